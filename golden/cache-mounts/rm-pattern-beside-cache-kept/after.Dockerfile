# syntax=docker/dockerfile:1
FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip \
    echo "$DEPLOY_KEY" > /root/deploy.pem && pip install -r requirements.txt && rm -f /root/*.pem && rm -rf ~/.netrc*
COPY . .
CMD ["python", "app.py"]
