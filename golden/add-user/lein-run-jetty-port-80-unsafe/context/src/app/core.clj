(ns app.core (:require [ring.adapter.jetty :refer [run-jetty]]))
(defn -main [] (run-jetty handler {:port 80}))
