FROM python:3.12-slim
ENV PYTHONPATH=/app/vendor
WORKDIR /app
COPY requirements.txt ./
RUN pip install --upgrade --target vendor -r requirements.txt
COPY . .
CMD ["python", "app.py"]
