# syntax=docker/dockerfile:1
FROM python:3.11
WORKDIR /app
COPY requirements.txt ./
RUN --mount=type=cache,target=/root/.cache/pip \
    pip install -r requirements.txt && [ -f constraints.txt ] && cat constraints.txt
COPY . .
CMD ["python3", "app.py"]
