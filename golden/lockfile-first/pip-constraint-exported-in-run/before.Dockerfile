FROM python:3.11
WORKDIR /app
COPY . .
RUN export PIP_CONSTRAINT=/app/constraints.txt && pip install -r requirements.txt
CMD ["python3", "app.py"]
