FROM python:3.11
ENV APP_HOME=/app
WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt ${APP_HOME}
COPY . .
CMD ["python", "app.py"]
