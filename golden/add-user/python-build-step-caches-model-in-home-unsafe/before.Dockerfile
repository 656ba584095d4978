FROM python:3.11
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY download_model.py .
RUN python download_model.py
COPY . .
EXPOSE 8000
CMD ["python", "app.py"]
