FROM python:3.12-slim
RUN pip install uv==0.4.30
COPY requirements.txt /app/requirements.txt
RUN uv pip sync --system --no-cache /app/requirements.txt
COPY . /app
CMD ["python", "/app/main.py"]
