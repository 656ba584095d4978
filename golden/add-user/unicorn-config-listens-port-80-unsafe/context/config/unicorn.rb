worker_processes 2
listen 80
