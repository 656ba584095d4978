FROM python:3.11
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt && cd docs && python build.py
CMD ["python", "app.py"]
