FROM python:3.11
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
RUN python make_config.py > /app/config.json && chmod 600 /app/config.json
EXPOSE 8000
CMD ["python", "app.py"]
