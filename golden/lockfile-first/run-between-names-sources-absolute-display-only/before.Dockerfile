FROM python:3.11
WORKDIR /app
COPY . .
RUN chmod +x /app/start.sh
RUN pip install -r requirements.txt
EXPOSE 8000
CMD ["/app/start.sh"]
