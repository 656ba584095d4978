FROM python:3.11-slim
WORKDIR /app
ENV XDG_CONFIG_HOME=/app/.config
COPY .config/pip/pip.conf ./.config/pip/
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY . .
CMD ["python", "app.py"]
