FROM python:3.11
ARG BUILD_VERSION=1.4.2
WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY . .
RUN echo "$BUILD_VERSION" > /app/VERSION
EXPOSE 8000
CMD ["python", "app.py"]
