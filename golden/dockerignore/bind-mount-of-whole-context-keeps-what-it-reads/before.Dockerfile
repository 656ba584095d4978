FROM python:3.11
WORKDIR /app
RUN --mount=type=bind,target=/src cp -a /src/. /app/
RUN pip install -r requirements.txt
CMD ["python", "app.py"]
