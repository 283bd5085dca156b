// Package history is the record of a run as the clients saw it: a sequence of
// operation events (invoke, then ok / fail / info), one JSON object per line in
// DIR/history.jsonl (DESIGN.md, run directory contract).
//
// It sits between workloads/ (which write it as the run goes) and checker/
// (which judge it). The writer appends one complete line per write call, so a
// process killed at any moment leaves only complete lines plus at most one
// partial last line, which the reader reports and skips.
package history
