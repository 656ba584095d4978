FROM python:3.11
WORKDIR /app
RUN printf '[install]\nconstraint = /app/constraints.txt\n' > /etc/pip.conf
COPY . .
RUN pip install -r requirements.txt
CMD ["python3", "app.py"]
