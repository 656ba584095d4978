FROM python:3.11
WORKDIR /app
COPY . .
RUN mv /app/seed.txt /app/state.txt
CMD ["python3", "app.py"]
