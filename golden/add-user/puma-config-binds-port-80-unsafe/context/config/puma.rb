workers 2
bind "tcp://0.0.0.0:80"
