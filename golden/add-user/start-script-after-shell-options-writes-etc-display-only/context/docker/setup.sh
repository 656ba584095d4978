cp /app/docker/app.conf /etc/app.conf
