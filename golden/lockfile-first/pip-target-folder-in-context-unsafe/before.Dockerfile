FROM python:3.12-slim
ENV PYTHONPATH=/app/vendor
WORKDIR /app
COPY . .
RUN pip install --upgrade --target vendor -r requirements.txt
CMD ["python", "app.py"]
