FROM python:3.11
WORKDIR /app
COPY . .
CMD ["bash", "-e", "docker/start.sh"]
