FROM python:3.11
WORKDIR /app
ENV PIP_CONFIG_FILE=/etc/pipconfig
RUN printf '[install]\nconstraint = /app/constraints.txt\n' > /etc/pipconfig
COPY requirements.txt constraints.txt ./
RUN pip install -r requirements.txt
COPY . .
CMD ["python3", "app.py"]
