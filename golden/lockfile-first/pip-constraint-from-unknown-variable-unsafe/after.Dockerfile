FROM python:3.11-slim
ARG CONSTRAINTS
WORKDIR /app
COPY requirements.txt ./
RUN PIP_CONSTRAINT=$CONSTRAINTS pip install -r requirements.txt
COPY . .
CMD ["python3", "app.py"]
