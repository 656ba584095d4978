package main

import (
	"flag"
	"net/http"
)

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	db := flag.String("db", "db:543", "database address")
	flag.Parse()
	_ = db
	http.ListenAndServe(*addr, nil)
}
