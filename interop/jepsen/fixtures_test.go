package jepsen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jepsen-lite/jepsen-lite/verdict"
)

// fixtureTimeout bounds each porcupine search; a fixture whose search does
// not finish in it fails the test (its verdict would be unknown, not Jepsen's).
const fixtureTimeout = 60 * time.Second

// TestKnossosFixtures judges the histories copied from jepsen-io/knossos
// (testdata/README.md) with the model and initial value Knossos' own test
// (knossos core_test.clj, test-examples) uses for them, and expects the
// verdict that test asserts: valid for data/<model>/good, invalid for bad.
func TestKnossosFixtures(t *testing.T) {
	for _, c := range []struct {
		model, initial string
	}{
		{ModelCASRegister, "0"},
		{ModelMultiRegister, "{:x 0 :y 0}"},
	} {
		for _, dir := range []string{"good", "bad"} {
			want := verdict.Valid
			if dir == "bad" {
				want = verdict.Invalid
			}
			files, _ := filepath.Glob(filepath.Join("testdata", "knossos", c.model, dir, "*.edn"))
			for _, f := range files {
				t.Run(c.model+"/"+dir+"/"+filepath.Base(f), func(t *testing.T) {
					h, err := ReadFile(f)
					if err != nil {
						t.Fatal(err)
					}
					start := time.Now()
					rep, err := Check(h, Options{Model: c.model, Initial: c.initial, Timeout: fixtureTimeout})
					if err != nil {
						t.Fatal(err)
					}
					t.Logf("%s: %s in %v (%d ops); %s %v", f, rep.Result.Valid, time.Since(start).Round(time.Millisecond), rep.Stats.Ops, rep.Result.Note, rep.Result.Anomalies)
					if rep.Result.Valid != want {
						t.Fatalf("%s: verdict %s, Knossos says %s", f, rep.Result.Valid, want)
					}
				})
			}
		}
	}
}

// Detect must pick the model the fixtures were made for.
func TestDetectFixtures(t *testing.T) {
	for dir, want := range map[string]string{
		"testdata/knossos/cas-register":   ModelCASRegister,
		"testdata/knossos/multi-register": ModelMultiRegister,
	} {
		files, _ := filepath.Glob(filepath.Join(dir, "*", "*.edn"))
		if len(files) == 0 {
			t.Fatalf("no fixtures in %s", dir)
		}
		for _, f := range files {
			h, err := ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			pairs, err := h.Pairs()
			if err != nil {
				t.Fatal(err)
			}
			if got := Detect(pairs); got != want {
				t.Errorf("%s: detected %s, want %s", f, got, want)
			}
		}
	}
	_ = os.Stdout
	_ = strings.TrimSpace
}
