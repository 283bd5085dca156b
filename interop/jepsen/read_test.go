package jepsen

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// Bad input is one line naming the file and line (and the record).
func TestReadErrors(t *testing.T) {
	for _, c := range []struct{ name, text, want string }{
		{"unclosed map", "{:type :invoke, :f :read, :process 0}\n\n{:type :ok", "h.edn:3: '{' opened here is not closed"},
		{"bad type", "{:type :invoke, :f :read, :process 0}\n{:type :done, :f :read, :process 0}", "h.edn:2: record 1: :type :done is not"},
		{"no process", "{:type :invoke, :f :read}", "h.edn:1: record 0: no :process"},
		{"not a map", "[1 2]", "h.edn:1: record 0: want a map"},
		{"mismatched closer", "[{:type :invoke, :f :read, :process 0]\n", "h.edn:1: ']' closes '{'"},
		{"vector not closed", "[{:type :invoke, :f :read, :process 0}\n", "h.edn:1: the history vector opened here is not closed"},
		{"text after vector", "[]\n{:type :ok}", "h.edn:2: text after the history vector"},
		{"odd map", "{:type :invoke :f}", "h.edn:1: record 0: EDN:"},
		{"negative index", "{:type :invoke, :f :read, :process 0, :index -1}", "h.edn:1: record 0: :index -1"},
		{"string not closed", "{:type :invoke, :f \"read}", "h.edn:1: string opened here is not closed"},
	} {
		_, err := Read(strings.NewReader(c.text), "h.edn")
		if err == nil || !strings.HasPrefix(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line starting %q", c.name, err, c.want)
		}
	}
}

// Pairing errors name the record and its line.
func TestPairErrors(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"{:type :invoke, :f :read, :process 0}\n{:type :invoke, :f :write, :process 0, :value 1}", "h.edn:2 (record 1): process 0 invokes :write while its :read (record 0) is still open"},
		{"{:type :ok, :f :read, :process 3, :value 1}", "h.edn:1 (record 0): :ok of :read by process 3 has no invoke"},
		{"{:type :invoke, :f :read, :process 0}\n{:type :ok, :f :write, :process 0}", "h.edn:2 (record 1): :ok :write of process 0 completes its :read"},
	} {
		h, err := Read(strings.NewReader(c.text), "h.edn")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.Pairs(); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("error %v, want %q", err, c.want)
		}
	}
}

// Jepsen's history.edn form: one map per line, tagged records, nemesis ops,
// comments and discards; :index and :time are kept, values decoded.
func TestReadJepsenForm(t *testing.T) {
	text := `{:index 0, :time 10, :type :invoke, :process 0, :f :write, :value 1}
#jepsen.history.Op{:index 1, :time 20, :type :info, :process :nemesis, :f :start-partition, :value nil}
; a comment with a ] and a "
#_ {:index 99 :broken}
{:index 2, :time 30, :type :ok, :process 0, :f :write, :value 1, :error [:x "s]"]}
`
	h, err := Read(strings.NewReader(text), "h.edn")
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Ops) != 3 {
		t.Fatalf("%d ops, want 3", len(h.Ops))
	}
	got := []string{}
	for _, op := range h.Ops {
		got = append(got, strings.Join([]string{op.Type, op.F, Canonical(op.Value), op.Error}, "/"))
	}
	want := []string{"invoke/write/1/", "info/start-partition/nil/", `ok/write/1/[:x "s]"]`}
	if !slices.Equal(got, want) {
		t.Fatalf("ops %q, want %q", got, want)
	}
	if h.Ops[1].Client || !h.Ops[0].Client || h.Ops[2].Line != 5 || h.Ops[2].Index != 2 || h.Ops[2].Time != 30 {
		t.Fatalf("fields: %+v", h.Ops)
	}
	pairs, err := h.Pairs()
	if err != nil || len(pairs) != 1 || pairs[0].Outcome() != TypeOK {
		t.Fatalf("pairs %v, %v: want one ok write (the nemesis op skipped)", pairs, err)
	}
}

// Canonical forms are equal exactly when Clojure's = holds.
func TestCanonical(t *testing.T) {
	same := [][2]string{{"1", "1N"}, {"[1 2]", "(1 2)"}, {"{:a 1 :b 2}", "{:b 2, :a 1}"}, {"#{1 2}", "#{2 1}"}}
	differ := [][2]string{{"1", "1.0"}, {"1", `"1"`}, {":a", `"a"`}, {":a", "a"}, {"nil", "false"}, {`\a`, `"a"`}}
	canon := func(s string) string {
		var v any
		if err := decodeValue(s, &v); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		return Canonical(v)
	}
	for _, p := range same {
		if canon(p[0]) != canon(p[1]) {
			t.Errorf("%s and %s: %s != %s", p[0], p[1], canon(p[0]), canon(p[1]))
		}
	}
	for _, p := range differ {
		if canon(p[0]) == canon(p[1]) {
			t.Errorf("%s and %s both %s", p[0], p[1], canon(p[0]))
		}
	}
}

// FuzzRead: any input gives ops or a one-line error naming the file, never a
// panic; what parses also pairs and checks without panicking.
func FuzzRead(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*", "*.edn"))
	more, _ := filepath.Glob(filepath.Join("testdata", "knossos", "*", "*", "*.edn"))
	for _, p := range append(seeds, more...) {
		if b, err := os.ReadFile(p); err == nil && len(b) < 4096 {
			f.Add(b)
		}
	}
	f.Add([]byte(`[{:type :invoke :f :cas :value [1 2] :process 0} {:type :ok :f :cas :value [1 2] :process 0}]`))
	f.Add([]byte("#{1 1}"))
	f.Add([]byte(`{:type :ok :f :read :process 0 :value \` + "\n}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := Read(strings.NewReader(string(b)), "f.edn")
		if err != nil {
			if msg := err.Error(); !strings.HasPrefix(msg, "f.edn") || strings.Contains(msg, "\n") {
				t.Fatalf("error not one line naming the file: %q", msg)
			}
			return
		}
		for _, m := range Models {
			opts := Options{Model: m, Timeout: 100 * time.Millisecond}
			if m != ModelKafka {
				opts.Initial = "0"
			}
			_, _ = Check(h, opts)
		}
	})
}
