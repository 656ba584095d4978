FROM python:3.11-slim
WORKDIR /srv/www
COPY index.html .
CMD ["python", "-m", "http.server", "--bind", "0.0.0.0", "80"]
