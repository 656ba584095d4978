FROM python:3.12-slim
WORKDIR /app
COPY lib/ /opt/lib/
ENV PYTHONPATH=/opt/lib
COPY . .
CMD ["sh", "start.sh"]
