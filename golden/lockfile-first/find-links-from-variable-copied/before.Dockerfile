FROM python:3.12-slim
ENV WHEELS=/app/wheels
WORKDIR /app
COPY . .
RUN pip install --find-links $WHEELS -r requirements.txt
CMD ["python", "app.py"]
