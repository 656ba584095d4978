FROM python:3.9
WORKDIR /app
COPY Pipfile Pipfile.lock /app/
RUN pipenv install --deploy --system
COPY . /app
CMD ["gunicorn", "app:app"]
