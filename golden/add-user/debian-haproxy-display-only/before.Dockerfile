FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends haproxy && rm -rf /var/lib/apt/lists/*
COPY frontend.cfg /tmp/frontend.cfg
RUN mkdir -p /run/haproxy && cat /tmp/frontend.cfg >> /etc/haproxy/haproxy.cfg
WORKDIR /srv
EXPOSE 8081
CMD ["haproxy", "-db", "-f", "/etc/haproxy/haproxy.cfg"]
