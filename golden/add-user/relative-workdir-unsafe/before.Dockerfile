FROM python:3.11
WORKDIR app
COPY app.py .
CMD ["python", "app.py"]
