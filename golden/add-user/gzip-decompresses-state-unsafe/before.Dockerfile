FROM python:3.11
WORKDIR /app
COPY . .
RUN python3 -m gzip -d state.txt.gz
CMD ["python3", "app.py"]
