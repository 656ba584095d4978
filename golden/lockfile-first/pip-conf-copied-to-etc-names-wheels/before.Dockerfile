FROM python:3.12-slim
COPY pip.conf /etc/pip.conf
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
CMD ["python", "app.py"]
