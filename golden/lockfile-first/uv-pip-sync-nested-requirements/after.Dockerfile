FROM python:3.12-slim
RUN pip install uv==0.4.30
WORKDIR /app
COPY requirements/prod.txt requirements/base.txt ./requirements/
RUN uv pip sync --system requirements/prod.txt
COPY . .
CMD ["python", "main.py"]
