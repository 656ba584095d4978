package main

import (
	"fmt"
	"os"
)

func main() {
	err := os.MkdirAll("/var/lib/myapp", 0o755)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("started")
}
