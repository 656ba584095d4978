FROM debian:bookworm
WORKDIR /app
COPY . .
CMD ["perl", "app.pl"]
