ARG PIP_CONSTRAINT=/app/constraints.txt
FROM python:3.12-slim
ARG PIP_CONSTRAINT
WORKDIR /app
COPY constraints.txt requirements.txt ./
RUN pip install -r requirements.txt
COPY . .
CMD ["python", "app.py"]
