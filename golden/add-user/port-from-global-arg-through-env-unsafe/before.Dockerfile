ARG PORT=80
FROM python:3.12-slim
ARG PORT
ENV PORT=${PORT}
WORKDIR /app
COPY . .
CMD ["python", "serve.py"]
