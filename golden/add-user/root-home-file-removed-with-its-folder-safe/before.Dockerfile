FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN mkdir -p /root/.config/pip && printf '[global]\ntimeout = 60\n' > /root/.config/pip/pip.conf && pip install -r requirements.txt && rm -rf /root/.config/pip
COPY . .
CMD ["python", "app.py"]
