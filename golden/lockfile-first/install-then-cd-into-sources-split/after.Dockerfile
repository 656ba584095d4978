FROM python:3.11
WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY . .
RUN cd docs && python build.py
CMD ["python", "app.py"]
