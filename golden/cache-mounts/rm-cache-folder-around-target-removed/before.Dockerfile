FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt && rm -rf /root/.cache/pip && mkdir -p /root/.config/pip && rm -rf /root/.config /root/.cache
COPY . .
CMD ["python", "app.py"]
