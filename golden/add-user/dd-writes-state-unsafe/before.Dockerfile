FROM python:3.11
WORKDIR /app
COPY . .
RUN dd if=/app/seed.txt of=/app/state.txt status=none
CMD ["python3", "app.py"]
