from golang:1.22 as app
workdir /src
copy . .
run go build -o /bin/api .
cmd ["/bin/api"]
