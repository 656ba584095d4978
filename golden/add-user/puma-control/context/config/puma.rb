port ENV.fetch("PORT") { 3000 }
pidfile "tmp/pids/puma.pid"
