from python:3.12-alpine
workdir /srv
copy . .
cmd ["python", "app.py"]
