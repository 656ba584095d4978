FROM python:3.11
WORKDIR /app
RUN python3 -c "open('/etc/pip.conf', 'w').write('[install]\\nconstraint = /app/constraints.txt\\n')"
COPY requirements.txt constraints.txt ./
RUN pip install -r requirements.txt
COPY . .
CMD ["python3", "app.py"]
