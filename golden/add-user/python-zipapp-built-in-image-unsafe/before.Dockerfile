FROM python:3.11
WORKDIR /app
COPY . .
RUN python3 -m zipapp src -o app.pyz
CMD ["python3", "app.pyz"]
