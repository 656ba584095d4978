package main

import (
	"os"
)

func main() {
	os.Symlink("/app/data", "/srv/data")
}
