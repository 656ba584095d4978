FROM python:3.11
WORKDIR /app
COPY constraints.txt requirements.txt ./
RUN env -S"PIP_CONSTRAINT=constraints.txt" pip install -r requirements.txt
COPY . .
CMD ["python3", "app.py"]
