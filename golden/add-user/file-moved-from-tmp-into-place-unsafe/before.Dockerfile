FROM python:3.11
WORKDIR /app
COPY . .
RUN cp /app/seed.txt /tmp/state.txt && mv /tmp/state.txt /app/state.txt
CMD ["python3", "app.py"]
