FROM python:3.11
WORKDIR /app
COPY . .
RUN sh -c 'umask 027; cp conf/app.conf /etc/app.conf'
CMD ["python3", "app.py"]
