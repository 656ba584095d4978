FROM python:3.11-slim
WORKDIR /app
ENV PIP_CONSTRAINT=/app/constraints.txt PIP_FIND_LINKS=/app/wheels
COPY constraints.txt requirements.txt ./
COPY wheels/ ./wheels/
RUN pip install -r requirements.txt
COPY . .
CMD ["python", "app.py"]
