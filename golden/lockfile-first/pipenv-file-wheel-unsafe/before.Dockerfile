FROM python:3.9
WORKDIR /app
COPY . /app
RUN pipenv install --deploy --system
CMD ["gunicorn", "app:app"]
