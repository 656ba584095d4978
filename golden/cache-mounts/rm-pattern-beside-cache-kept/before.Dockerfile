FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN echo "$DEPLOY_KEY" > /root/deploy.pem && pip install -r requirements.txt && rm -f /root/*.pem && rm -rf /root/.cache/pip ~/.netrc*
COPY . .
CMD ["python", "app.py"]
