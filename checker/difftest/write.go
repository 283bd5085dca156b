package difftest

import (
	"errors"
	"os"
	"path/filepath"
	"time"

	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/trace"
)

// Write writes a built behaviour as a run directory's history.jsonl and
// trace.ndjson, so that `jepsen-lite check DIR/history.jsonl` judges it
// like any run.
func (b Built) Write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	hw, err := history.Create(filepath.Join(dir, "history.jsonl"), time.Hour) // synced once, at Close
	if err != nil {
		return err
	}
	for _, op := range b.Ops {
		if _, err := hw.Append(op); err != nil {
			return errors.Join(err, hw.Close())
		}
	}
	if err := hw.Close(); err != nil {
		return err
	}
	tw, err := trace.Create(filepath.Join(dir, "trace.ndjson"), time.Hour)
	if err != nil {
		return err
	}
	for _, e := range b.Trace {
		if err := tw.AppendStamped(e); err != nil {
			return errors.Join(err, tw.Close())
		}
	}
	return tw.Close()
}
