FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
RUN echo 'greeting = from-rc' >> ~/.myapprc
CMD ["python", "app.py"]
