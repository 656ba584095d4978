(ns app.core)
(defn -main [] (spit "/srv/app/state" "x"))
