FROM python:3.11
WORKDIR /app
COPY . .
RUN pip install poetry==1.8.3 && poetry config virtualenvs.create false && poetry install --only main --no-root
CMD ["python", "-m", "app"]
