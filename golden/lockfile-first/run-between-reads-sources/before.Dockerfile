FROM python:3.11
WORKDIR /app
COPY . .
RUN chmod +x scripts/entrypoint.sh
RUN pip install -r requirements.txt
ENTRYPOINT ["scripts/entrypoint.sh"]
