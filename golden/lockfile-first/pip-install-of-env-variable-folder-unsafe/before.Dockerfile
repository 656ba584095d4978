FROM python:3.11
ENV APP_HOME=/app
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt ${APP_HOME}
CMD ["python", "app.py"]
