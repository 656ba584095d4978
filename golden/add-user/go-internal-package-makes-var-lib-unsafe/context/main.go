package main

import (
	"fmt"
	"os"

	"example.com/app/internal/store"
)

func main() {
	if err := store.Init(); err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("started")
}
