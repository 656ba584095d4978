FROM python:3.12-slim
RUN pip install uv==0.4.30
WORKDIR /app
COPY requirements.txt uv.toml ./
COPY wheels/ ./wheels/
RUN uv pip install --system -r requirements.txt
COPY . .
CMD ["python", "app.py"]
