package logcheck

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// FuzzRead: Read never panics on any bytes; an error is a ParseError naming
// the input and a line, or a scan error prefixed with the input's name;
// whatever it accepts passes Validate, writes back and reads back to the
// same ops, and can be analyzed and judged without error or panic (so the
// fuzzer also drives the checker over odd but well-formed histories).
//
//	go test ./checker/logcheck/ -run '^$' -fuzz FuzzRead -fuzztime 15s
func FuzzRead(f *testing.F) {
	// Seeds are small on purpose: the fuzzer minimizes every new input before
	// it reports it, and a multi-kilobyte seed makes that take tens of seconds
	// in which nothing else is explored. Together they reach every anomaly
	// path: a send and a poll that agree, one that conflicts, and a txn.
	f.Add([]byte(lineInvoke + "\n" + lineOK + "\n" +
		`{"index":2,"type":"invoke","process":2,"f":"poll","time":6}` + "\n" +
		`{"index":3,"type":"ok","process":2,"f":"poll","time":7,"value":[{"f":"poll","polled":{"x":[{"offset":0,"value":1},{"offset":2,"value":3}]}}]}` + "\n"))
	f.Add([]byte(`{"index":0,"type":"invoke","process":0,"f":"send","value":[{"f":"send","key":"x","value":1},{"f":"send","key":"x","value":2}]}
{"index":1,"type":"fail","process":0,"f":"send","value":[{"f":"send","key":"x","value":1,"offset":1},{"f":"send","key":"x","value":2,"offset":0}]}
{"index":2,"type":"invoke","process":0,"f":"poll"}
{"index":3,"type":"ok","process":0,"f":"poll","value":[{"f":"poll","polled":{"x":[{"offset":1,"value":2},{"offset":0,"value":1}]}}]}
`))
	f.Add([]byte(lineInvoke + "\n" + lineOK[:30]))
	f.Add([]byte(lineInvoke + "\n" + `{"index":1,"type":"info","process":1,"f":"send","time":2,"rebalance":["x"]}` + "\n"))
	f.Add([]byte(`{"index":0,"type":"invoke","process":0,"f":"txn","time":0,"value":[{"f":"send","key":"k","value":-4,"offset":9},{"f":"poll","polled":{"k":null}}]}`))
	f.Add([]byte("\n\n{}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := Read(bytes.NewReader(b), "fuzz.jsonl")
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) && !strings.HasPrefix(err.Error(), "fuzz.jsonl:") {
				t.Fatalf("error %q names no file", err)
			}
			if pe != nil && (pe.File != "fuzz.jsonl" || pe.Line < 1) {
				t.Fatalf("ParseError %+v", pe)
			}
			return
		}
		if err := Validate(h.Ops); err != nil {
			t.Fatalf("read ops fail Validate: %v", err)
		}
		var buf bytes.Buffer
		if err := Write(&buf, h.Ops); err != nil {
			t.Fatal(err)
		}
		again, err := Read(&buf, "again.jsonl")
		if err != nil {
			t.Fatalf("accepted ops do not read back: %v\n%s", err, buf.String())
		}
		if again.Truncated {
			t.Fatal("complete lines read back as truncated")
		}
		if !reflect.DeepEqual(again.Ops, h.Ops) {
			t.Fatalf("round trip changed the ops:\n%+v\n%+v", h.Ops, again.Ops)
		}
		for _, m := range []Mode{ModeAssign, ModeSubscribe} {
			if _, err := Check(h, Options{Mode: m, FinalPolls: true, MaxPerType: 2}); err != nil {
				t.Fatalf("check: %v", err)
			}
		}
	})
}
