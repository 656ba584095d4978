FROM python:3.11
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY --chmod=600 settings.ini /etc/myapp/settings.ini
COPY . .
EXPOSE 8000
CMD ["python", "app.py"]
