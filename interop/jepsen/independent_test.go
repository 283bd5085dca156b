package jepsen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/verdict"
)

// keyedHistory interleaves Knossos fixtures as the keys of one
// jepsen.independent history: each op's value becomes [key value] and each
// key's processes are offset so that they stay apart.
func keyedHistory(t *testing.T, files map[string]string) string {
	t.Helper()
	var lines [][]string
	for key, file := range files {
		h, err := ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var ls []string
		for _, op := range h.Ops {
			if !op.Client {
				continue
			}
			ls = append(ls, fmt.Sprintf("{:type :%s, :f :%s, :process %d, :value [%s %s]}",
				op.Type, op.F, op.Process+int64(len(lines))*100000, key, Canonical(op.Value)))
		}
		lines = append(lines, ls)
	}
	var b strings.Builder
	for i := 0; ; i++ {
		wrote := false
		for _, ls := range lines {
			if i < len(ls) {
				b.WriteString(ls[i] + "\n")
				wrote = true
			}
		}
		if !wrote {
			return b.String()
		}
	}
}

// With --independent each key is its own register (Jepsen's
// independent/checker): one bad key makes the history invalid and is named;
// judged as one register, the same history is invalid and the note says why.
func TestIndependentKeys(t *testing.T) {
	text := keyedHistory(t, map[string]string{
		":a": "testdata/knossos/cas-register/bad/cas-failure.edn",
		":b": "testdata/knossos/cas-register/good/memstress3-0.edn",
	})
	h, err := Read(strings.NewReader(text), "keyed.edn")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Check(h, Options{Model: ModelCASRegister, Initial: "0", Independent: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Result.Valid != verdict.Invalid || len(rep.Result.Anomalies) != 1 || rep.Result.Anomalies[0].Key != ":a" {
		t.Fatalf("independent: %s %v", rep.Result.Valid, rep.Result.Anomalies)
	}
	if !strings.Contains(rep.Result.Note, "2 independent keys") {
		t.Errorf("note %q", rep.Result.Note)
	}
	good, err := Read(strings.NewReader(keyedHistory(t, map[string]string{
		":b": "testdata/knossos/cas-register/good/memstress3-0.edn",
		"7":  "testdata/knossos/cas-register/good/memstress3-33.edn",
	})), "good.edn")
	if err != nil {
		t.Fatal(err)
	}
	if rep, err := Check(good, Options{Model: ModelCASRegister, Initial: "0", Independent: true}); err != nil || rep.Result.Valid != verdict.Valid {
		t.Fatalf("two good keys: %v %+v", err, rep.Result)
	}
	rep, err = Check(good, Options{Model: ModelCASRegister, Initial: "0"})
	if err != nil || rep.Result.Valid != verdict.Invalid || !strings.Contains(rep.Result.Note, "--independent") {
		t.Fatalf("as one register: %v %s %q", err, rep.Result.Valid, rep.Result.Note)
	}
	// A value that is not a tuple is bad input naming its record.
	h, _ = Read(strings.NewReader("{:type :invoke, :f :write, :process 0, :value 3}\n"), "x.edn")
	if _, err := Check(h, Options{Model: ModelRegister, Independent: true}); err == nil || !strings.HasPrefix(err.Error(), "x.edn:1 (record 0): value 3 is not a jepsen.independent") {
		t.Fatalf("error %v", err)
	}
}
