FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN VERSION=$(cat VERSION) && pip install -r requirements.txt && python build_assets.py "$VERSION"
CMD ["python", "app.py"]
