FROM python:3.11
WORKDIR /app
ARG PIP_INDEX_URL
ARG PIP_EXTRA_INDEX_URL
ENV PYTHONPATH=/app
COPY . .
RUN pip install -r requirements.txt
CMD ["python3", "app.py"]
