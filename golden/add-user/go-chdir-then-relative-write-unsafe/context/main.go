package main

import (
	"fmt"
	"os"
)

func main() {
	_ = os.Chdir("/srv")
	if err := os.WriteFile("app.pid", []byte("1"), 0o644); err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("started")
}
