package history

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// The reader's contract (doc.go): complete lines parse or fail with the
// file and line named; a run killed mid-write leaves at most one partial
// last line, which is reported (Truncated) and skipped, never fatal.

const goodLines = `{"index":0,"type":"invoke","process":0,"f":"place","key":"o-1","value":{"customer":"c-1","sku":"s-1","qty":2,"amount":40},"time":10}
{"index":1,"type":"ok","process":0,"f":"place","key":"o-1","value":{"customer":"c-1","sku":"s-1","qty":2,"amount":40},"time":20}
{"index":2,"type":"info","process":-1,"f":"nemesis","value":{"fault":"final-reads","edge":"quiescent"},"time":30}
`

func TestReadGood(t *testing.T) {
	res, err := Read(strings.NewReader(goodLines), "h.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if res.Truncated || len(res.Ops) != 3 {
		t.Fatalf("truncated %v, %d ops; want false, 3", res.Truncated, len(res.Ops))
	}
	if v := res.Ops[0].Value; v == nil || v.Qty != 2 || v.Amount != 40 || v.Customer != "c-1" {
		t.Errorf("op 0 value %+v", v)
	}
	if v := res.Ops[2].Value; res.Ops[2].IsClient() || v.Fault != vocab.MarkFinal || v.Edge != vocab.EdgeQuiescent {
		t.Errorf("op 2 %+v", res.Ops[2])
	}
}

func TestReadMalformedMiddleLine(t *testing.T) {
	lines := strings.Split(goodLines, "\n")
	lines[1] = `{"index":1,"type":"ok",` // cut short, but a newline follows: not a killed write
	_, err := Read(strings.NewReader(strings.Join(lines, "\n")), "run/history.jsonl")
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T), want *ParseError", err, err)
	}
	if pe.File != "run/history.jsonl" || pe.Line != 2 || !strings.HasPrefix(err.Error(), "run/history.jsonl:2: ") {
		t.Errorf("error %q names %s:%d, want run/history.jsonl:2", err, pe.File, pe.Line)
	}
}

func TestReadTruncatedLastLine(t *testing.T) {
	in := goodLines + `{"index":3,"type":"invoke","proc`
	res, err := Read(strings.NewReader(in), "h.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if !res.Truncated || len(res.Ops) != 3 || res.Ops[2].Index != 2 {
		t.Errorf("truncated %v with %d ops; want true with the 3 complete ones", res.Truncated, len(res.Ops))
	}
}

// TestReadCompleteLastLineWithoutNewline: a last line that parses is kept,
// newline or not; only an unparsable one is a truncation.
func TestReadCompleteLastLineWithoutNewline(t *testing.T) {
	res, err := Read(strings.NewReader(strings.TrimSuffix(goodLines, "\n")), "h.jsonl")
	if err != nil || res.Truncated || len(res.Ops) != 3 {
		t.Errorf("err %v, truncated %v, %d ops; want nil, false, 3", err, res.Truncated, len(res.Ops))
	}
}

func TestReadBadOps(t *testing.T) {
	for _, c := range []struct{ name, line, want string }{
		{"bad-type", `{"index":0,"type":"done","process":0,"f":"place","time":1}`, `type "done"`},
		{"bad-index", `{"index":5,"type":"invoke","process":0,"f":"place","time":1}`, "index 5, want 0"},
		{"missing-f", `{"index":0,"type":"invoke","process":0,"time":1}`, `missing "f"`},
		{"negative-time", `{"index":0,"type":"invoke","process":0,"f":"place","time":-1}`, "negative time"},
		{"unknown-field", `{"index":0,"type":"invoke","process":0,"f":"place","time":1,"colour":"red"}`, "bad JSON"},
		{"trailing-data", `{"index":0,"type":"invoke","process":0,"f":"place","time":1} {}`, "trailing data"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(c.line+"\n"), "h.jsonl")
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line != 1 || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want a ParseError at h.jsonl:1 saying %q", err, c.want)
			}
		})
	}
}

// TestReadIndexGap: indices must count 0, 1, 2, ...: a gap in the middle
// names its line.
func TestReadIndexGap(t *testing.T) {
	in := strings.Replace(goodLines, `"index":2`, `"index":3`, 1)
	_, err := Read(strings.NewReader(in), "h.jsonl")
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 3 || !strings.Contains(err.Error(), "index 3, want 2") {
		t.Errorf("error %v, want h.jsonl:3: index 3, want 2", err)
	}
}

// TestReadBlankLines: blank lines are skipped but still counted, so that
// errors name the line an editor shows.
func TestReadBlankLines(t *testing.T) {
	in := "\n" + strings.Replace(goodLines, "\n", "\n\n", 1) + `{"index":3,"f":""}` + "\n"
	res, err := Read(strings.NewReader(in), "h.jsonl")
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 6 || len(res.Ops) != 3 {
		t.Errorf("error %v after %d ops, want a ParseError at line 6 after 3", err, len(res.Ops))
	}
}

func TestReadLineTooLong(t *testing.T) {
	long := `{"index":0,"type":"invoke","process":0,"f":"place","key":"` + strings.Repeat("x", 2<<20) + `","time":1}` + "\n"
	_, err := Read(strings.NewReader(long), "h.jsonl")
	if err == nil || !strings.HasPrefix(err.Error(), "h.jsonl:") {
		t.Errorf("error %v, want one naming h.jsonl", err)
	}
}

// TestWriterReadFileRoundTrip: what the Writer appends, ReadFile returns,
// indices assigned in order.
func TestWriterReadFileRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.jsonl")
	w, err := Create(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	ops := []Op{
		{Type: vocab.TypeInvoke, Process: 2, F: vocab.FReadStock, Key: "s-1", Time: 5},
		{Type: vocab.TypeOK, Process: 2, F: vocab.FReadStock, Key: "s-1", Value: &Value{Stock: Int(0)}, Time: 6},
		{Type: vocab.TypeFail, Process: 3, F: vocab.FCancel, Key: "o-9", Error: vocab.ErrNotFound, Time: 7},
	}
	for i, op := range ops {
		if idx, err := w.Append(op); err != nil || idx != i {
			t.Fatalf("append %d: index %d, %v", i, idx, err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	res, err := ReadFile(path)
	if err != nil || res.Truncated || len(res.Ops) != len(ops) {
		t.Fatalf("err %v, truncated %v, %d ops", err, res.Truncated, len(res.Ops))
	}
	// Stock 0 must survive: the pointer tells zero from absent.
	if s := res.Ops[1].Value.Stock; s == nil || *s != 0 {
		t.Errorf("stock %v, want a pointer to 0", s)
	}
	if res.Ops[2].Error != vocab.ErrNotFound || res.Ops[2].Index != 2 {
		t.Errorf("op 2 %+v", res.Ops[2])
	}
}

func TestReadFileMissing(t *testing.T) {
	_, err := ReadFile(filepath.Join(t.TempDir(), "nope.jsonl"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("error %v, want not-exist", err)
	}
}
