FROM python:3.11-slim
WORKDIR /app
COPY . .
RUN export PIP_EDITABLE=. && pip install -r requirements.txt
CMD ["python3", "-m", "app"]
