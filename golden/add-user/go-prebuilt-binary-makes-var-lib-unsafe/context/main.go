package main

import "os"

func main() {
	if err := os.MkdirAll("/var/lib/server", 0o755); err != nil {
		panic(err)
	}
}
