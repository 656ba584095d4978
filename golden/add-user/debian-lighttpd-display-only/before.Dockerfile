FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends lighttpd && rm -rf /var/lib/apt/lists/*
RUN sed -i 's/^server.port.*/server.port = 8080/' /etc/lighttpd/lighttpd.conf
COPY site/ /var/www/html/
WORKDIR /srv
EXPOSE 8080
CMD ["lighttpd", "-D", "-f", "/etc/lighttpd/lighttpd.conf"]
