FROM python:3.11
WORKDIR /app
COPY . .
RUN python3 -m compileall -b -q . && rm app.py
CMD ["python3", "app.pyc"]
