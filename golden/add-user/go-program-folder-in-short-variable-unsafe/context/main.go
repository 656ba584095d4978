package main

import (
	"os"
	"path/filepath"
)

func main() {
	base := "/srv"
	os.MkdirAll(filepath.Join(base, "data"), 0o755)
}
