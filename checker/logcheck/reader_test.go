package logcheck

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

const (
	lineInvoke = `{"index":0,"type":"invoke","process":1,"f":"send","time":0,"value":[{"f":"send","key":"x","value":1}]}`
	lineOK     = `{"index":1,"type":"ok","process":1,"f":"send","time":5,"value":[{"f":"send","key":"x","value":1,"offset":0}]}`
)

// TestReadMalformed: a malformed line is an error naming the file and line
// (file:line: why), whatever is wrong with it.
func TestReadMalformed(t *testing.T) {
	cases := []struct{ name, line, why string }{
		{"not JSON", `{"index":1,`,
			`unexpected EOF`},
		{"unknown field", `{"index":1,"type":"invoke","process":2,"f":"poll","time":1,"key":"x"}`,
			`unknown field "key"`},
		{"bad type", `{"index":1,"type":"done","process":2,"f":"poll","time":1}`,
			`type "done"`},
		{"bad f", `{"index":1,"type":"invoke","process":2,"f":"read","time":1}`,
			`f "read"`},
		{"index out of sequence", `{"index":7,"type":"invoke","process":2,"f":"poll","time":1}`,
			`index 7, want 1`},
		{"negative time", `{"index":1,"type":"invoke","process":2,"f":"poll","time":-1}`,
			`negative time`},
		{"poll in a send op", `{"index":1,"type":"invoke","process":2,"f":"send","time":1,"value":[{"f":"poll"}]}`,
			`a send op cannot hold a poll micro-op`},
		{"send without value", `{"index":1,"type":"invoke","process":2,"f":"send","time":1,"value":[{"f":"send","key":"x"}]}`,
			`needs "key" and "value"`},
		{"send with empty key", `{"index":1,"type":"invoke","process":2,"f":"send","time":1,"value":[{"f":"send","key":"","value":3}]}`,
			`empty key`},
		{"offset below -1", `{"index":1,"type":"invoke","process":2,"f":"send","time":1,"value":[{"f":"send","key":"x","value":3,"offset":-2}]}`,
			`offset -2`},
		{"poll with a key", `{"index":1,"type":"invoke","process":2,"f":"poll","time":1,"value":[{"f":"poll","key":"x"}]}`,
			`they belong in`},
		{"entry without offset", `{"index":1,"type":"invoke","process":2,"f":"poll","time":1,"value":[{"f":"poll","polled":{"x":[{"value":1}]}}]}`,
			`needs "offset" and "value"`},
		{"entry unknown field", `{"index":1,"type":"invoke","process":2,"f":"poll","time":1,"value":[{"f":"poll","polled":{"x":[{"offset":0,"value":1,"ts":3}]}}]}`,
			`unknown field "ts"`},
		{"invoke with entries", `{"index":1,"type":"invoke","process":2,"f":"poll","time":1,"value":[{"f":"poll","polled":{"x":[{"offset":0,"value":1}]}}]}`,
			`an invoke cannot hold polled entries`},
		{"null micro-op", `{"index":1,"type":"invoke","process":2,"f":"poll","time":1,"value":[null]}`,
			`micro-op is null`},
		{"assign with micro-ops", `{"index":1,"type":"invoke","process":2,"f":"assign","time":1,"value":[{"f":"poll"}]}`,
			`assign op carries micro-ops`},
		{"completion, no invoke", `{"index":1,"type":"ok","process":2,"f":"poll","time":1}`,
			`has no open invoke`},
		{"invoke while open", `{"index":1,"type":"invoke","process":1,"f":"poll","time":1}`,
			`while its send is still open`},
		{"completion of other f", `{"index":1,"type":"ok","process":1,"f":"poll","time":1}`,
			`completes its open send`},
		{"trailing data", `{"index":1,"type":"invoke","process":2,"f":"poll","time":1} {}`,
			`trailing data`},
		{"empty rebalance key", `{"index":1,"type":"invoke","process":2,"f":"poll","time":1,"rebalance":[""]}`,
			`rebalance names an empty key`},
		{"float value", `{"index":1,"type":"invoke","process":2,"f":"send","time":1,"value":[{"f":"send","key":"x","value":1.5}]}`,
			`cannot unmarshal number 1.5`},
		{"micro-op f unknown", `{"index":1,"type":"invoke","process":2,"f":"txn","time":1,"value":[{"f":"append"}]}`,
			`"append" is not send or poll`},
		{"send with polled", `{"index":1,"type":"invoke","process":2,"f":"txn","time":1,"value":[{"f":"send","key":"x","value":1,"polled":{}}]}`,
			`send micro-op has "polled"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := lineInvoke + "\n" + c.line + "\n" + lineOK + "\n"
			_, err := Read(strings.NewReader(in), "bad.jsonl")
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a ParseError", err)
			}
			if pe.File != "bad.jsonl" || pe.Line != 2 || !strings.HasPrefix(err.Error(), "bad.jsonl:2: ") {
				t.Fatalf("error %q does not name bad.jsonl:2", err)
			}
			if !strings.Contains(err.Error(), c.why) {
				t.Fatalf("error %q does not say %q", err, c.why)
			}
		})
	}
}

// TestReadTruncated: a cut-off last line is skipped and reported, not an
// error; the same line with a newline after it is an error.
func TestReadTruncated(t *testing.T) {
	partial := lineInvoke + "\n" + lineOK[:40]
	h, err := Read(strings.NewReader(partial), "cut.jsonl")
	if err != nil || !h.Truncated || len(h.Ops) != 1 {
		t.Fatalf("%v %+v", err, h)
	}
	if _, err := Read(strings.NewReader(partial+"\n"), "cut.jsonl"); err == nil {
		t.Fatal("a complete malformed line was accepted")
	}
	h, err = Read(strings.NewReader(lineInvoke+"\n\n"+lineOK), "ok.jsonl") // no final newline, but whole
	if err != nil || h.Truncated || len(h.Ops) != 2 || h.Ops[1].Value[0].Offset != 0 {
		t.Fatalf("%v %+v", err, h)
	}
	if h.Ops[0].Value[0].Offset != OffsetUnknown {
		t.Fatalf("absent offset read as %d", h.Ops[0].Value[0].Offset)
	}
}

// TestRoundTrip: every corpus file written back reads back the same.
func TestRoundTrip(t *testing.T) {
	for _, name := range append(AnomalyTypes(), "valid", "info-read", "info-unread", "rebalance") {
		h := load(t, name+".jsonl")
		var buf bytes.Buffer
		if err := Write(&buf, h.Ops); err != nil {
			t.Fatal(err)
		}
		again, err := Read(&buf, "again.jsonl")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(again.Ops, h.Ops) {
			t.Fatalf("%s: round trip changed the ops", name)
		}
	}
	if _, err := ReadFile("testdata/no-such-file.jsonl"); err == nil {
		t.Fatal("missing file read")
	}
}
