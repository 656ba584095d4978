FROM python:3.11-slim
RUN pip install --no-cache-dir pipenv==2024.0.1
WORKDIR /app
COPY Pipfile Pipfile.lock ./
RUN pipenv install --deploy
COPY . .
CMD ["pipenv", "run", "python", "-m", "app"]
