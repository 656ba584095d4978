FROM python:3.11-slim
WORKDIR /app
COPY . .
RUN mkdir -p data && touch data/hits.txt
CMD ["python", "app.py"]
