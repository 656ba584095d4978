(defproject app "0.1.0")
