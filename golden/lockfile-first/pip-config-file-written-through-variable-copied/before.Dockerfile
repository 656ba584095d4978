FROM python:3.11
WORKDIR /app
ENV PIP_CONFIG_FILE=/etc/pip/custom.conf
RUN mkdir -p /etc/pip && printf '[install]\nconstraint = /app/constraints.txt\n' > "$PIP_CONFIG_FILE"
COPY . .
RUN pip install -r requirements.txt
CMD ["python3", "app.py"]
