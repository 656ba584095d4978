FROM python:3.11
WORKDIR /app
RUN printf '[install]\nconstraint = /app/constraints.txt\n' > /etc/pip.conf
COPY requirements.txt constraints.txt ./
RUN pip install -r requirements.txt
COPY . .
CMD ["python3", "app.py"]
