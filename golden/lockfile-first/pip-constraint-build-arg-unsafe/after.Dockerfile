FROM python:3.11
WORKDIR /app
ARG PIP_CONSTRAINT
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY . .
CMD ["python3", "app.py"]
