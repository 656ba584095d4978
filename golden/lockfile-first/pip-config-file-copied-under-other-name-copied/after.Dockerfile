FROM python:3.11
WORKDIR /app
COPY pipcfg /etc/pipcfg
ENV PIP_CONFIG_FILE=/etc/pipcfg
COPY requirements.txt constraints.txt ./
RUN pip install -r requirements.txt
COPY . .
CMD ["python3", "app.py"]
