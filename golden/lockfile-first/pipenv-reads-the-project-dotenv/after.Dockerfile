FROM python:3.12-slim
RUN pip install pipenv==2024.4.0
WORKDIR /app
COPY Pipfile Pipfile.lock .env ./
RUN pipenv install --deploy
COPY . .
CMD ["/app/.venv/bin/python", "app.py"]
