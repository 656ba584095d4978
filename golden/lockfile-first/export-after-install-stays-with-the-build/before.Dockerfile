FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt \
 && export APP_ENV=production \
 && python build_assets.py
CMD ["python", "app.py"]
