FROM python:3.11-slim
WORKDIR /app
ENV XDG_CONFIG_HOME=/app/.config
COPY . .
RUN pip install -r requirements.txt
CMD ["python", "app.py"]
