FROM python:3.11
WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY . .
RUN chmod +x *.sh
EXPOSE 8000
CMD ["./run.sh"]
