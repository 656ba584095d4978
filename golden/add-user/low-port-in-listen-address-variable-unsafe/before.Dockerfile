FROM python:3.11
ENV LISTEN_ADDR=":80"
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
CMD ["python", "app.py"]
