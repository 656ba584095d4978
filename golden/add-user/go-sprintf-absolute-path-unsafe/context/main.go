package main

import (
	"fmt"
	"os"
)

func main() {
	d := fmt.Sprintf("/%s/%s", "srv", "data")
	if err := os.MkdirAll(d, 0o755); err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("started")
}
