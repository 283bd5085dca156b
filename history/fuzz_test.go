package history

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// FuzzRead: Read never panics on any bytes; whatever it accepts, written
// back one op per line, reads back to the same ops, complete (a well-formed
// history round-trips); and an error is either a ParseError naming the
// input or a scan error prefixed with it.
//
//	go test ./history/ -run '^$' -fuzz FuzzRead -fuzztime 20s
func FuzzRead(f *testing.F) {
	f.Add([]byte(goodLines))
	f.Add([]byte(goodLines + `{"index":3,"type":"invoke","proc`))
	f.Add([]byte(`{"index":0,"type":"ok","process":1,"f":"read-stock","key":"s-1","value":{"stock":0},"time":0}` + "\n"))
	f.Add([]byte(`{"index":0,"type":"fail","process":1,"f":"cancel","key":"o-1","error":"not-found","time":3}`))
	f.Add([]byte("\n\n{}\n"))
	f.Add([]byte(`{"index":0,"type":"invoke","process":-1,"f":"nemesis","value":{"fault":"final-reads","edge":"timeout","target":"all"},"time":1}` + "\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := Read(bytes.NewReader(b), "fuzz.jsonl")
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
		for i, op := range res.Ops {
			if op.Index != i {
				t.Fatalf("op %d has index %d", i, op.Index)
			}
		}
		var buf bytes.Buffer
		for _, op := range res.Ops {
			line, err := json.Marshal(op)
			if err != nil {
				t.Fatalf("marshal %+v: %v", op, err)
			}
			buf.Write(line)
			buf.WriteByte('\n')
		}
		again, err := Read(&buf, "again.jsonl")
		if err != nil {
			t.Fatalf("accepted ops do not read back: %v\n%s", err, buf.String())
		}
		if again.Truncated {
			t.Fatal("complete lines read back as truncated")
		}
		if !reflect.DeepEqual(again.Ops, res.Ops) && !(len(again.Ops) == 0 && len(res.Ops) == 0) {
			t.Fatalf("round trip changed the ops:\n%+v\n%+v", res.Ops, again.Ops)
		}
	})
}
