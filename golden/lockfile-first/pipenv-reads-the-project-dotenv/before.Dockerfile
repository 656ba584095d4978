FROM python:3.12-slim
RUN pip install pipenv==2024.4.0
WORKDIR /app
COPY . .
RUN pipenv install --deploy
CMD ["/app/.venv/bin/python", "app.py"]
