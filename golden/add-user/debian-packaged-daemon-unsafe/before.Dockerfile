FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends redis-server && rm -rf /var/lib/apt/lists/*
RUN sed -i 's/^bind .*/bind 0.0.0.0/; s/^protected-mode yes/protected-mode no/' /etc/redis/redis.conf
WORKDIR /srv
EXPOSE 6379
CMD ["redis-server", "/etc/redis/redis.conf", "--daemonize", "no"]
