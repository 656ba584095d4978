package main

import (
	"fmt"
	"os"
)

func main() {
	if err := openLog("myapp.log"); err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("started")
}
