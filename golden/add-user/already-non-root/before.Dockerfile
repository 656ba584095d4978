FROM python:3.12-slim
RUN useradd --create-home web
WORKDIR /home/web/app
COPY --chown=web:web . .
USER web
CMD ["python", "main.py"]
