FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN echo "machine pypi.acme.example login ci password $PYPI_PASSWORD" > /root/.netrc && pip install -r requirements.txt && rm -rf /root/.[!.]*
COPY . .
CMD ["python", "app.py"]
