FROM python:3.12-slim
RUN pip install pipenv==2024.4.0
WORKDIR /app
COPY Pipfile Pipfile.lock ./
RUN pipenv install --system --deploy --clear
