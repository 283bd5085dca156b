package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/jepsen-lite/jepsen-lite/sut"
)

// checkSUT judges a history written by sut.Run (a user's own system: its
// directory holds test.json) with the checkers test.json records. handled
// is false when the history is not a sut run (no test.json beside it).
func checkSUT(path, out string, stdout, stderr io.Writer) (code int, handled bool) {
	res, err := sut.Recheck(path, out)
	var herr *sut.HistoryError
	switch {
	case errors.Is(err, sut.ErrNoSpec):
		return 0, false
	case errors.As(err, &herr):
		fmt.Fprintf(stderr, "jepsen-lite check: %s\n", oneLine(err))
		return exitData, true
	case err != nil:
		fmt.Fprintf(stderr, "jepsen-lite check: %s\n", oneLine(err))
		return exitInternal, true
	}
	fmt.Fprintf(stdout, "judged with the checkers of %s\n", filepath.Join(filepath.Dir(path), sut.SpecFile))
	if out != "" {
		fmt.Fprintf(stdout, "results: %s\n", filepath.Join(out, "results.json"))
	}
	printVerdict(stdout, res)
	for _, name := range res.Order {
		if r := res.Checkers[name]; r.Valid.String() == "unknown" {
			fmt.Fprintf(stdout, "%s is unknown: %s\n", name, r.Note)
		}
	}
	return exitFor(res.Valid.String()), true
}
