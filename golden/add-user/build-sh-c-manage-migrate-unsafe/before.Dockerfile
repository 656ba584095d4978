FROM python:3.11
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN sh -c 'python manage.py migrate'
CMD ["python", "manage.py", "runserver"]
