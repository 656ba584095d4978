FROM python:3.12-slim
WORKDIR /srv
COPY index.html .
CMD ["python", "-m", "http.server", "80"]
