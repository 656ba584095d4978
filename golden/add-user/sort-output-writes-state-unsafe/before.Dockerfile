FROM python:3.11
WORKDIR /app
COPY . .
RUN sort -o /app/state.txt /app/seed.txt
CMD ["python3", "app.py"]
