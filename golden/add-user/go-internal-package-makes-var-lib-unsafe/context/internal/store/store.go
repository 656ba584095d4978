package store

import "os"

func Init() error { return os.MkdirAll("/var/lib/myapp", 0o755) }
