from golang:1.22 as builder
workdir /src
copy . .
run go build -o /bin/api .

from golang:1.22 as app
workdir /src
copy --from=builder /bin/api /bin/api
cmd ["/bin/api"]
