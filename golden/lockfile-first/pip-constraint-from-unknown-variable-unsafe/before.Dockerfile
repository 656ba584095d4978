FROM python:3.11-slim
ARG CONSTRAINTS
WORKDIR /app
COPY . .
RUN PIP_CONSTRAINT=$CONSTRAINTS pip install -r requirements.txt
CMD ["python3", "app.py"]
