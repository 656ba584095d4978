FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt ./
RUN python -m venv /opt/venv \
 && . /opt/venv/bin/activate \
 && pip install -r requirements.txt
COPY . .
RUN . /opt/venv/bin/activate && python prepare.py
CMD ["/opt/venv/bin/python", "app.py"]
