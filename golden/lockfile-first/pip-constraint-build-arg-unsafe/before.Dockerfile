FROM python:3.11
WORKDIR /app
ARG PIP_CONSTRAINT
COPY . .
RUN pip install -r requirements.txt
CMD ["python3", "app.py"]
