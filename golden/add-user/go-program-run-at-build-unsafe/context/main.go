package main

import (
	"database/sql"
	"fmt"
	"os"
)

var _ = sql.ErrNoRows

func main() {
	if len(os.Args) > 1 && os.Args[1] == "--init" {
		if err := os.WriteFile("state.db", []byte("init"), 0o644); err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		return
	}
	f, err := os.OpenFile("state.db", os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	f.Close()
	fmt.Println("started")
}
