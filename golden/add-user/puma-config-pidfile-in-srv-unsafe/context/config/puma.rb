port 3000
pidfile "/srv/run/puma.pid"
