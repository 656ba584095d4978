package main

import (
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	exe, _ := os.Executable()
	err := os.MkdirAll(filepath.Join(filepath.Dir(exe), "data"), 0o755)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("started")
}
