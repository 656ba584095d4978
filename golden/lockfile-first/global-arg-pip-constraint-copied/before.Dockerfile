ARG PIP_CONSTRAINT=/app/constraints.txt
FROM python:3.12-slim
ARG PIP_CONSTRAINT
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
CMD ["python", "app.py"]
