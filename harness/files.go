package harness

import (
	"errors"
	"os"
	"path/filepath"

	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/trace"
)

// runFiles are the files a run writes as it goes.
type runFiles struct {
	history *history.Writer
	tw      *trace.Writer
	err     error // first trace write error
}

func openFiles(opts Options) (*runFiles, error) {
	f := &runFiles{}
	if opts.OutDir == "" {
		return f, nil
	}
	if err := os.MkdirAll(opts.OutDir, 0o755); err != nil {
		return nil, err
	}
	var err error
	if f.history, err = history.Create(filepath.Join(opts.OutDir, "history.jsonl"), opts.SyncEvery); err != nil {
		return nil, err
	}
	if f.tw, err = trace.Create(filepath.Join(opts.OutDir, "trace.ndjson"), opts.SyncEvery); err != nil {
		f.history.Close()
		return nil, err
	}
	return f, nil
}

func (f *runFiles) trace(e trace.Event) {
	if f.tw != nil && f.err == nil {
		f.err = f.tw.AppendStamped(e)
	}
}

func (f *runFiles) close() error {
	var errs []error
	if f.history != nil {
		errs = append(errs, f.history.Close())
	}
	if f.tw != nil {
		errs = append(errs, f.tw.Close())
	}
	return errors.Join(errs...)
}
