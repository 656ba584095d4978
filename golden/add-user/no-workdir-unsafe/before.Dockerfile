FROM python:3.11
COPY app.py /opt/worker/app.py
CMD ["python", "/opt/worker/app.py"]
