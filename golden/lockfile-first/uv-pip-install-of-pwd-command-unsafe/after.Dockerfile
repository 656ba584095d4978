FROM python:3.11
RUN pip install uv==0.4.30
WORKDIR /app
COPY requirements.txt ./
RUN uv pip install --system -r requirements.txt "$(pwd)"
COPY . .
CMD ["python", "app.py"]
