// Package jsonl writes and reads files of one JSON value per line, the format
// of history.jsonl and trace.ndjson. The writer issues one write call per
// line, so a killed process leaves complete lines and at most one partial
// last line; the reader reports that partial line instead of failing.
package jsonl

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// Writer appends JSON lines to a file, syncing at most every SyncEvery
// (0 = after every line).
type Writer struct {
	f         *os.File
	buf       []byte
	SyncEvery time.Duration
	lastSync  time.Time
}

// Create opens path for writing, truncating any old content.
func Create(path string) (*Writer, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	return &Writer{f: f, SyncEvery: 50 * time.Millisecond, lastSync: time.Now()}, nil
}

// Append encodes v as one line and writes it with a single write call.
func (w *Writer) Append(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.buf = append(append(w.buf[:0], b...), '\n')
	if _, err := w.f.Write(w.buf); err != nil {
		return err
	}
	if now := time.Now(); now.Sub(w.lastSync) >= w.SyncEvery {
		w.lastSync = now
		return w.f.Sync()
	}
	return nil
}

// Close syncs and closes the file.
func (w *Writer) Close() error {
	serr := w.f.Sync()
	cerr := w.f.Close()
	return errors.Join(serr, cerr)
}

// MaxLine bounds one line; a longer line is malformed.
const MaxLine = 1 << 20

// Scan calls fn for every non-blank line of r with its 1-based line number
// and whether it ended with a newline. A line over MaxLine is an error.
func Scan(r io.Reader, fn func(line int, b []byte, complete bool) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var out []byte
	for line := 1; ; line++ {
		out = out[:0]
		var err error
		for {
			var chunk []byte
			chunk, err = br.ReadSlice('\n')
			out = append(out, chunk...)
			if len(out) > MaxLine {
				return fmt.Errorf("line %d: longer than %d bytes", line, MaxLine)
			}
			if !errors.Is(err, bufio.ErrBufferFull) {
				break
			}
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("line %d: %w", line, err)
		}
		complete := err == nil
		if b := bytes.TrimSpace(out); len(b) > 0 {
			if ferr := fn(line, b, complete); ferr != nil {
				return ferr
			}
		}
		if !complete {
			return nil
		}
	}
}

// Decode strictly decodes one JSON object into v: unknown fields and
// trailing data are errors.
func Decode(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("bad JSON: %v", err)
	}
	if dec.More() {
		return errors.New("bad JSON: trailing data after the object")
	}
	return nil
}
