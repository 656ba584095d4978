#\ -o 0.0.0.0 -p 80
run ->(env) { [200, {"content-type" => "text/plain"}, ["ok\n"]] }
