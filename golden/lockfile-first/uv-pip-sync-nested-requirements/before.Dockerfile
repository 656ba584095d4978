FROM python:3.12-slim
RUN pip install uv==0.4.30
WORKDIR /app
COPY . .
RUN uv pip sync --system requirements/prod.txt
CMD ["python", "main.py"]
