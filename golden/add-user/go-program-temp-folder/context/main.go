package main

import (
	"os"
	"path/filepath"
)

func main() {
	os.MkdirAll(filepath.Join(os.TempDir(), "app"), 0o755)
}
