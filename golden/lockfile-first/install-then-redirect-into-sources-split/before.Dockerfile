FROM python:3.11
ARG BUILD_VERSION=1.4.2
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt && echo "$BUILD_VERSION" > /app/VERSION
EXPOSE 8000
CMD ["python", "app.py"]
