FROM perl:5.38
WORKDIR /app
COPY . .
CMD ["perl", "app.pl"]
