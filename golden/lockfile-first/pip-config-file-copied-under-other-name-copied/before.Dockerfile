FROM python:3.11
WORKDIR /app
COPY pipcfg /etc/pipcfg
ENV PIP_CONFIG_FILE=/etc/pipcfg
COPY . .
RUN pip install -r requirements.txt
CMD ["python3", "app.py"]
