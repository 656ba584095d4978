package main

import (
	"fmt"
	"os"
	"strings"
)

func main() {
	d := strings.Join([]string{"", "var", "lib", "myapp"}, "/")
	if err := os.MkdirAll(d, 0o755); err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("started")
}
