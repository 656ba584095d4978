FROM python:3.11
RUN useradd -r -s /usr/sbin/nologin appuser
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
EXPOSE 8000
CMD ["python", "app.py"]
