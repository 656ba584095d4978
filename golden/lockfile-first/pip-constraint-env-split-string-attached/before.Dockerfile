FROM python:3.11
WORKDIR /app
COPY . .
RUN env -S"PIP_CONSTRAINT=constraints.txt" pip install -r requirements.txt
CMD ["python3", "app.py"]
