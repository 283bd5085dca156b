package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// parseFlags parses flags that may come before or after positional
// arguments and returns the positionals. Errors are one line naming the flag.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%s: %v", fs.Name(), oneLine(err))
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func oneLine(err error) string { return strings.ReplaceAll(err.Error(), "\n", " ") }

// printDefaults writes a flag set's usage.
func printDefaults(fs *flag.FlagSet, w io.Writer, synopsis string) {
	fmt.Fprintf(w, "usage: jepsen-lite %s\n\nflags:\n", synopsis)
	fs.SetOutput(w)
	fs.PrintDefaults()
}

// exitFor maps a verdict string to an exit code.
func exitFor(valid string) int {
	switch valid {
	case "valid":
		return exitValid
	case "invalid":
		return exitInvalid
	}
	return exitUnknown
}
