mkdir -p /usr/local/share/ca-certificates/app && cp certs/*.crt /usr/local/share/ca-certificates/app/ && echo ok
exec python3 app.py
