FROM python:3.11
WORKDIR /app
COPY . .
RUN sh scripts/setup.sh
CMD ["python3", "app.py"]
