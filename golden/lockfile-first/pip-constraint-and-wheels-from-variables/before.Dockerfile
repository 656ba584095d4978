FROM python:3.11-slim
WORKDIR /app
ENV PIP_CONSTRAINT=/app/constraints.txt PIP_FIND_LINKS=/app/wheels
COPY . .
RUN pip install -r requirements.txt
CMD ["python", "app.py"]
