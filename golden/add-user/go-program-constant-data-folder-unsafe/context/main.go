package main

import (
	"fmt"
	"os"
)

func main() {
	err := os.WriteFile(dataDir+"/x", []byte("1"), 0o644)
	if os.IsNotExist(err) {
		err = os.MkdirAll(dataDir, 0o755)
	}
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("started")
}
