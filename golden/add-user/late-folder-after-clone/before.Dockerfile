FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends git ca-certificates python3 && rm -rf /var/lib/apt/lists/*
RUN git clone --depth 1 https://github.com/example/tool.git /opt/tool
WORKDIR /opt/tool
CMD ["python3", "tool.py"]
