FROM golang:1.22
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/hello . \
 && mkdir -p /etc/hello \
 && cp conf/greeting.txt /etc/hello/greeting.txt
EXPOSE 8080
CMD ["hello"]
