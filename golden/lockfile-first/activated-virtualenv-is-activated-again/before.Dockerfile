FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN python -m venv /opt/venv \
 && . /opt/venv/bin/activate \
 && pip install -r requirements.txt \
 && python prepare.py
CMD ["/opt/venv/bin/python", "app.py"]
