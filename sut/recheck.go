package sut

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/reports"
	"github.com/jepsen-lite/jepsen-lite/results"
)

// ErrNoSpec is returned by Recheck when the history's directory has no
// test.json and no checkers were given: it is not a sut run.
var ErrNoSpec = errors.New("sut: no " + SpecFile + " beside the history")

// HistoryError is a history that could not be read (a bad line, a
// missing file): bad input data, not an internal error.
type HistoryError struct{ Err error }

// Error is the reading error's message (it names the file and line).
func (e *HistoryError) Error() string { return e.Err.Error() }

// Unwrap returns the reading error.
func (e *HistoryError) Unwrap() error { return e.Err }

// Recheck judges a stored history again with the checkers recorded in the
// test.json beside it (see Spec.Rebuild; own supplies the test's own
// checkers, and stands in for test.json when there is none). The seed,
// bug, nemesis, schedule and command come from the results.json beside it,
// when present. With outDir set it writes results.json and the
// checkers' files (visualizations) there.
func Recheck(path, outDir string, own ...checker.Checker) (results.Results, error) {
	dir := filepath.Dir(path)
	spec, err := ReadSpec(dir)
	var cs []checker.Checker
	switch {
	case err == nil:
		cs = spec.Rebuild(own...)
	case errors.Is(err, fs.ErrNotExist) && len(own) > 0:
		cs = own
	case errors.Is(err, fs.ErrNotExist):
		return results.Results{}, ErrNoSpec
	default:
		return results.Results{}, &HistoryError{err}
	}
	h, err := history.ReadFile(path)
	if err != nil {
		return results.Results{}, &HistoryError{err}
	}
	res := Judge(&checker.Input{Ops: h.Ops, HistoryTruncated: h.Truncated, OutDir: outDir}, cs)
	if prev, err := results.Read(filepath.Join(dir, reports.ResultsFile)); err == nil {
		res.Seed, res.Bug, res.Nemesis, res.Command, res.Schedule = prev.Seed, prev.Bug, prev.Nemesis, prev.Command, prev.Schedule
	}
	if outDir != "" {
		if err := os.MkdirAll(outDir, 0o755); err != nil {
			return res, err
		}
		if err := res.Write(outDir); err != nil {
			return res, fmt.Errorf("%s: %w", outDir, err)
		}
	}
	return res, nil
}
