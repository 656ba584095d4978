package main

import (
	"os"
	"path"
)

func openLog(name string) error {
	f, err := os.Create(path.Join("/var", "log", name))
	if err != nil {
		return err
	}
	return f.Close()
}
