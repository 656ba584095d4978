FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY . .
RUN export APP_ENV=production \
 && python build_assets.py
CMD ["python", "app.py"]
