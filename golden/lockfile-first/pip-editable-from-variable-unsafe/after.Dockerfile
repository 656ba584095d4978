FROM python:3.11-slim
WORKDIR /app
COPY requirements.txt ./
RUN export PIP_EDITABLE=. && pip install -r requirements.txt
COPY . .
CMD ["python3", "-m", "app"]
