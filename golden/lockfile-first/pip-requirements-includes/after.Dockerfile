FROM python:3.11-slim
WORKDIR /srv
COPY requirements/prod.txt requirements/base.txt ./requirements/
RUN pip install --no-cache-dir -r requirements/prod.txt
COPY . .
CMD ["python", "-m", "app"]
