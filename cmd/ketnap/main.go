// Command ketnap is the server and the administrative command line of
// ketnap, the system for developing new party members.
package main

import (
	"os"

	"ketnap/internal/cli"
)

func main() {
	os.Exit(cli.Main(cli.Env{Args: os.Args[1:], Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}))
}
