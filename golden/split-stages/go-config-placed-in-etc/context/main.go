// Command hello greets its arguments. A standard-library-only module: the end-to-end suite cannot reach
// proxy.golang.org.
package main

import (
	"fmt"
	"os"
	"strings"
)

func main() {
	name := "world"
	if len(os.Args) > 1 {
		name = strings.Join(os.Args[1:], " ")
	}
	fmt.Printf("hello, %s\n", name)
}
