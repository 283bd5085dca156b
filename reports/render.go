package reports

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/internal/jsonl"
	"github.com/jepsen-lite/jepsen-lite/results"
	"github.com/jepsen-lite/jepsen-lite/trace"
)

// Names of the files of a run directory (DESIGN.md, run directory contract).
const (
	ResultsFile = "results.json"
	HistoryFile = "history.jsonl"
	TraceFile   = "trace.ndjson"
	HTMLFile    = "report.html"
	JUnitFile   = "junit.xml"
	SummaryFile = "summary.md"
)

// Run is everything a report shows: one run's stored results, its history
// and the part of its trace the plots use.
type Run struct {
	// Dir is the run directory; links to its files (porcupine's
	// visualizations) are relative to it, and only files present there are
	// linked. Empty means "do not check, link what Results names".
	Dir     string
	Results results.Results
	Ops     []history.Op
	// Trace holds the events the plots read (publish, commit, handle,
	// conflict, dlq, fault; Load keeps only the handles with outcome
	// retry). Other events are ignored, so a full trace may be passed as
	// well. Nil when the run has no trace.ndjson.
	Trace []trace.Event
	// HasTrace is false when trace.ndjson was absent: the trace plots then
	// say so instead of showing an empty chart that looks like "no lag".
	HasTrace bool
	// HistoryTruncated and TraceTruncated record a partial last line (a run
	// killed mid-write); the page warns about them.
	HistoryTruncated bool
	TraceTruncated   bool
}

// Render reads the run directory dir and writes report.html, junit.xml and
// summary.md into it. Errors are one line and name the file concerned.
func Render(dir string) error {
	run, err := Load(dir)
	if err != nil {
		return err
	}
	outs := []struct {
		name  string
		write func(io.Writer) error
	}{
		{JUnitFile, func(w io.Writer) error { return WriteJUnit(w, run.Results) }},
		{SummaryFile, func(w io.Writer) error { return WriteSummary(w, run.Results) }},
		// The page last: it links the run's files that exist, these two included.
		{HTMLFile, func(w io.Writer) error { return WriteHTML(w, run) }},
	}
	for _, o := range outs {
		if err := writeAtomic(filepath.Join(dir, o.name), o.write); err != nil {
			return err
		}
	}
	return nil
}

// Load parses a run directory. results.json and history.jsonl are required;
// trace.ndjson is optional (a history checked with `jepsen-lite check` has none).
func Load(dir string) (*Run, error) {
	run := &Run{Dir: dir}
	res, err := results.Read(filepath.Join(dir, ResultsFile))
	if err != nil {
		return nil, oneLine(err)
	}
	run.Results = res
	h, err := history.ReadFile(filepath.Join(dir, HistoryFile))
	if err != nil {
		return nil, oneLine(err)
	}
	run.Ops, run.HistoryTruncated = h.Ops, h.Truncated
	tpath := filepath.Join(dir, TraceFile)
	f, err := os.Open(tpath)
	if errors.Is(err, fs.ErrNotExist) {
		return run, nil
	}
	if err != nil {
		return nil, oneLine(err)
	}
	defer f.Close()
	run.Trace, run.TraceTruncated, err = readPlotTrace(f, tpath)
	if err != nil {
		return nil, oneLine(err)
	}
	run.HasTrace = true
	return run, nil
}

// plotEvent is the subset of trace.Event the plots read. Decoding into it
// skips the appended envelopes: measured on a 45k-event trace, 3.4 µs/event
// against 8.7 µs for trace.ReadFile. The strict reader belongs to the
// checkers, which judge the trace; a renderer only needs to be right about
// the fields it draws, so lines of other kinds are not even decoded
// (skippable) and are not checked.
type plotEvent struct {
	Time      int64  `json:"time"`
	Kind      string `json:"kind"`
	Node      string `json:"node"`
	Topic     string `json:"topic"`
	Partition int    `json:"partition"`
	Offset    int64  `json:"offset"`
	Outcome   string `json:"outcome"`
	Fault     string `json:"fault"`
	Edge      string `json:"edge"`
	Target    string `json:"target"`
}

// plotted reports whether the plots read events of kind k.
func plotted(k string) bool {
	switch k {
	case trace.KindPublish, trace.KindCommit, trace.KindHandle, trace.KindConflict,
		trace.KindDLQ, trace.KindFault:
		return true
	}
	return false
}

// kindKey is how the top-level kind of a trace line starts.
var kindKey = []byte(`"kind":"`)

// skippable reports whether a trace line is certainly of a kind the plots
// do not read, without decoding it: appends carry the event data and are
// most of a trace's bytes (a 100k-op run has a ~250 MB trace). Only the
// part before the first nested object or array is searched, so the match
// is the top-level key, never one inside event data; a line that does not
// fit this shape is decoded in full.
func skippable(b []byte) bool {
	prefix := b
	if i := bytes.IndexAny(b[1:], "{["); i >= 0 {
		prefix = b[:i+1]
	}
	k := bytes.Index(prefix, kindKey)
	if k < 0 {
		return false
	}
	rest := b[k+len(kindKey):]
	end := bytes.IndexByte(rest, '"')
	if end <= 0 || bytes.IndexByte(rest[:end], '\\') >= 0 {
		return false
	}
	kind := string(rest[:end])
	if kind == trace.KindHandle {
		// Only retries are plotted, and handles are a quarter of a trace.
		// The key cannot occur unescaped inside a string value, so its
		// absence is certain; its presence is checked by decoding.
		return !bytes.Contains(b, retryKey)
	}
	return !plotted(kind)
}

var retryKey = []byte(`"outcome":"` + trace.OutcomeRetry + `"`)

// readPlotTrace reads the plotted events of a trace. A partial last line
// that does not parse is a killed run's and is skipped, as trace.Read does.
func readPlotTrace(r io.Reader, name string) (events []trace.Event, truncated bool, err error) {
	err = jsonl.Scan(r, func(n int, b []byte, complete bool) error {
		if complete && skippable(b) {
			return nil
		}
		var e plotEvent
		switch derr := json.Unmarshal(b, &e); {
		case derr != nil && !complete:
			truncated = true
		case derr != nil:
			return fmt.Errorf("%s:%d: bad JSON: %v", name, n, derr)
		case e.Kind == "":
			return fmt.Errorf("%s:%d: missing \"kind\"", name, n)
		case plotted(e.Kind) && (e.Kind != trace.KindHandle || e.Outcome == trace.OutcomeRetry):
			events = append(events, trace.Event{Time: e.Time, Kind: e.Kind, Node: e.Node,
				Topic: e.Topic, Partition: e.Partition, Offset: e.Offset, Outcome: e.Outcome,
				Fault: e.Fault, Edge: e.Edge, Target: e.Target})
		}
		return nil
	})
	if err != nil && !strings.HasPrefix(err.Error(), name) {
		err = fmt.Errorf("%s:%v", name, err)
	}
	return events, truncated, err
}

// writeAtomic writes path through a temporary file renamed into place, so
// a failed render never leaves half a report that looks complete.
func writeAtomic(path string, write func(io.Writer) error) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return oneLine(err)
	}
	bw := bufio.NewWriterSize(f, 256<<10)
	werr := write(bw)
	if werr == nil {
		werr = bw.Flush()
	}
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("%s: %v", path, oneLine(err))
	}
	if err := os.Rename(tmp, path); err != nil {
		return oneLine(err)
	}
	return nil
}

// oneLine keeps an error to one line: the CLI prints it as is, and a JSON
// syntax error can quote a multi-line input.
func oneLine(err error) error {
	msg := err.Error()
	if !strings.ContainsAny(msg, "\r\n") {
		return err
	}
	return errors.New(strings.Join(strings.Fields(msg), " "))
}
