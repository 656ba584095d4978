FROM python:3.11
WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt && [ -f constraints.txt ] && cat constraints.txt; rm -rf /root/.cache/pip
COPY . .
CMD ["python3", "app.py"]
