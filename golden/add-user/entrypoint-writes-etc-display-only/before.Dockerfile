FROM python:3.11
WORKDIR /app
COPY entrypoint.sh /usr/local/bin/entrypoint.sh
COPY app.py default.conf ./
ENTRYPOINT ["entrypoint.sh"]
CMD ["python", "app.py"]
