# python:3.11 for the end-to-end suite: Debian's Python 3.11 with pip and venv, `python` on PATH, runs as
# root. The official image's pip has no PEP 668 guard; PIP_BREAK_SYSTEM_PACKAGES lifts Debian's.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates python3 python3-pip python3-venv python-is-python3 \
 && rm -rf /var/lib/apt/lists/*
ENV LANG=C.UTF-8 \
    PIP_BREAK_SYSTEM_PACKAGES=1
CMD ["python3"]
