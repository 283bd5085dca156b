package sut

import (
	"reflect"
	"strings"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/checker/logcheck"
)

// test.json round-trips: a spec written for a test's checkers parses back
// and rebuilds checkers of the same names and kinds.
func TestSpecRoundTrip(t *testing.T) {
	cs := []checker.Checker{Linearizable(KVModel()), LogChecker(logcheck.Options{Mode: logcheck.ModeSubscribe, FinalPolls: true}),
		CheckerFunc("mine", func(*checker.Input) checker.Result { return checker.Result{} })}
	dir := t.TempDir()
	if err := WriteSpec(dir, "x", cs); err != nil {
		t.Fatal(err)
	}
	s, err := ReadSpec(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := s.Rebuild()
	if len(got) != 3 || got[0].(*LinearizableChecker).Model.Name != "kv" ||
		!reflect.DeepEqual(got[1].(*LogCheck).Options, logcheck.Options{Mode: logcheck.ModeSubscribe, FinalPolls: true}) {
		t.Fatalf("rebuilt %#v", got)
	}
	if r := got[2].Check(&checker.Input{}); r.Valid != checker.Unknown || !strings.Contains(r.Note, "own code") {
		t.Fatalf("custom checker without its code: %v %q", r.Valid, r.Note)
	}
}

func TestParseSpecErrors(t *testing.T) {
	for in, want := range map[string]string{
		`{`:                            "unexpected EOF",
		`{"name":"x","checkers":[]}`:   "0 checkers",
		`{"name":"x","checkers":[{}]}`: "empty name",
		`{"checkers":[{"name":"a"}]}`:  "exactly one of",
		`{"checkers":[{"name":"a","model":"kv","custom":true}]}`: "exactly one of",
		`{"checkers":[{"name":"a","custom":true}],"x":1}`:        "unknown field",
		`{"checkers":[{"name":"a","custom":true}]} {}`:           "trailing data",
	} {
		if _, err := ParseSpec([]byte(in), "t.json"); err == nil || !strings.Contains(err.Error(), want) ||
			!strings.HasPrefix(err.Error(), "t.json: ") {
			t.Errorf("%s: error %v, want t.json: ... %s", in, err, want)
		}
	}
}

// FuzzParseSpec: any input parses or fails with an error naming the file,
// never panics, and what parses rebuilds into as many checkers.
func FuzzParseSpec(f *testing.F) {
	f.Add([]byte(`{"name":"kv","checkers":[{"name":"linearizable","model":"kv"}]}`))
	f.Add([]byte(`{"name":"q","checkers":[{"name":"log","log":{"Mode":"assign","FinalPolls":true}}]}`))
	f.Add([]byte(`{"name":"c","checkers":[{"name":"mine","custom":true},{"name":"linearizable","model":"other"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ParseSpec(b, "test.json")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "test.json: ") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		if cs := s.Rebuild(); len(cs) != len(s.Checkers) {
			t.Fatalf("%d checkers rebuilt from %d", len(cs), len(s.Checkers))
		}
	})
}
