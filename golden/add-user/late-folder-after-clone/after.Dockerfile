FROM debian:bookworm-slim
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app
RUN apt-get update && apt-get install -y --no-install-recommends git ca-certificates python3 && rm -rf /var/lib/apt/lists/*
RUN git clone --depth 1 https://github.com/example/tool.git /opt/tool
WORKDIR /opt/tool
RUN mkdir -p /opt/tool && chown app:app /opt/tool
USER 10001:10001
CMD ["python3", "tool.py"]
