package main

import (
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	err := os.MkdirAll(filepath.Join("/", "var", "cache", "myapp"), 0o755)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("started")
}
