FROM python:3.11-slim
WORKDIR /app
COPY . .
RUN export PIP_CONSTRAINT="constraints.txt pins/extra.txt"; pip install -r requirements.txt
CMD ["python3", "app.py"]
