FROM python:3.11-slim
WORKDIR /app
COPY constraints.txt requirements.txt ./
COPY pins/extra.txt pins/base.txt ./pins/
RUN export PIP_CONSTRAINT="constraints.txt pins/extra.txt"; pip install -r requirements.txt
COPY . .
CMD ["python3", "app.py"]
