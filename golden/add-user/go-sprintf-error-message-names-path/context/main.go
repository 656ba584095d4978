package main

import (
	"fmt"
	"os"
)

func main() {
	if err := os.WriteFile("/tmp/state", nil, 0o644); err != nil {
		fmt.Println(fmt.Sprintf("/tmp/state: %v", err))
		os.Exit(1)
	}
}
