FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN tmp=$(mktemp) && python render_config.py > "$tmp" && mv "$tmp" /etc/myapp.json
CMD ["python", "app.py"]
