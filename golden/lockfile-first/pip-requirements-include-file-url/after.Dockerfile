FROM python:3.11
WORKDIR /app
COPY requirements.txt constraints.txt ./
COPY reqs/base.txt reqs/common.txt reqs/pins.txt ./reqs/
RUN pip install -r requirements.txt
COPY . .
CMD ["python3", "app.py"]
