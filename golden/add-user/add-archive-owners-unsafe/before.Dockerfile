FROM python:3.11
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
ADD state.tar.gz /app/
COPY app.py .
CMD ["python", "app.py"]
