# syntax=docker/dockerfile:1
FROM python:3.11
RUN useradd --create-home --uid 1001 app
ENV HOME=/home/app
WORKDIR /home/app/svc
COPY requirements.txt .
RUN --mount=type=cache,target=/home/app/.cache/pip pip install -r requirements.txt
COPY --chown=app:app . .
USER app
EXPOSE 8000
CMD ["python", "app.py"]
