FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends cron && rm -rf /var/lib/apt/lists/*
COPY crontab /etc/cron.d/jobs
USER root
CMD ["cron", "-f"]
