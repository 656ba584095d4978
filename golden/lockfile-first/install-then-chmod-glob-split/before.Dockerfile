FROM python:3.11
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt && chmod +x *.sh
EXPOSE 8000
CMD ["./run.sh"]
