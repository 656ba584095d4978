FROM alpine
COPY <<-"EOT" /etc/motd <<'CONF' /etc/app.conf
	hello $USER
	EOT
key=$value
CONF
RUN cat /etc/motd
