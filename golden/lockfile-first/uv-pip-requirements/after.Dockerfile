FROM python:3.12-slim
RUN pip install uv==0.13.6
WORKDIR /app
COPY requirements.txt ./
RUN uv pip install --system -r requirements.txt
COPY . .
CMD ["python", "-m", "app"]
