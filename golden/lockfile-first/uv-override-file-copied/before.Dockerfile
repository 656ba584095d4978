FROM python:3.12-slim
RUN pip install uv==0.5.11
WORKDIR /app
COPY . .
RUN uv pip install --system -r requirements.txt --override overrides.txt
CMD ["python", "app.py"]
