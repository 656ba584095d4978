FROM python:3.11-slim
ARG SRC=.
WORKDIR /app
COPY ${SRC} /app
CMD ["python", "main.py"]
