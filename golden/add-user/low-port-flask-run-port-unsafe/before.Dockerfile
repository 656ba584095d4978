FROM python:3.11
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
ENV FLASK_APP=app FLASK_RUN_HOST=0.0.0.0 FLASK_RUN_PORT=80
CMD ["flask", "run"]
