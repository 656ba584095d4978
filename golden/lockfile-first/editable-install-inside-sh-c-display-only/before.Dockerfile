FROM python:3.11
WORKDIR /app
COPY . .
RUN sh -c 'pip install -r requirements.txt && pip install -e .'
CMD ["python", "app.py"]
