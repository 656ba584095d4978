FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN python -c "import sqlite3; sqlite3.connect('/app/app.db').execute('create table hits (n integer)')"
CMD ["python", "app.py"]
