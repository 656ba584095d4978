package main
import "os"
func main() { os.MkdirAll("/srv/data", 0o755) }
