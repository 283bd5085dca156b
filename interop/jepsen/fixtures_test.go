package jepsen

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jepsen-lite/jepsen-lite/verdict"
)

// fixtureTimeout bounds each porcupine search; a fixture whose search does
// not finish in it fails the test (its verdict would be unknown, not Jepsen's).
const fixtureTimeout = 60 * time.Second

// knossosModels are the models and initial values Knossos' test-examples
// (knossos core_test.clj) judges its data directories with.
var knossosModels = []struct{ model, initial string }{
	{ModelCASRegister, "0"},
	{ModelMultiRegister, "{:x 0 :y 0}"},
}

// TestKnossosFixtures judges the histories copied from jepsen-io/knossos
// (testdata/README.md) with the model and initial value Knossos' own test
// (knossos core_test.clj, test-examples) uses for them, and expects the
// verdict that test asserts: valid for data/<model>/good, invalid for bad.
func TestKnossosFixtures(t *testing.T) {
	judgeKnossosData(t, filepath.Join("testdata", "knossos"))
}

// TestKnossosDataDir does the same over a whole Knossos data directory when
// JEPSEN_LITE_KNOSSOS_DATA names one (a checkout's data/: 120 cas-register
// histories and the multi-register one); it skips otherwise.
func TestKnossosDataDir(t *testing.T) {
	dir := os.Getenv("JEPSEN_LITE_KNOSSOS_DATA")
	if dir == "" {
		t.Skip("JEPSEN_LITE_KNOSSOS_DATA is unset: set it to a jepsen-io/knossos checkout's data/ to judge all of it")
	}
	if n := judgeKnossosData(t, dir); n == 0 {
		t.Fatalf("no history under %s/<model>/{good,bad}", dir)
	}
}

// judgeKnossosData checks every root/<model>/{good,bad}/*.edn and returns
// how many it judged.
func judgeKnossosData(t *testing.T, root string) int {
	n := 0
	for _, c := range knossosModels {
		for _, dir := range []string{"good", "bad"} {
			want := verdict.Valid
			if dir == "bad" {
				want = verdict.Invalid
			}
			files, _ := filepath.Glob(filepath.Join(root, c.model, dir, "*.edn"))
			for _, f := range files {
				n++
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
	return n
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
}

// TestKafkaFixtures judges histories transcribed from Jepsen's own kafka
// workload tests (testdata/README.md). Each file's "; expect:" line holds
// the verdict Jepsen gives it (its test's asserted error types, none of them
// allowed in assign mode, make :valid? false; an asserted empty error map
// makes it true) and the asserted type, which must be among ours.
func TestKafkaFixtures(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "kafka", "*.edn"))
	if len(files) == 0 {
		t.Fatal("no kafka fixtures")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			want, wantType := fixtureExpect(t, f)
			h, err := ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := Check(h, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Model != ModelKafka || rep.Checker != "log" {
				t.Fatalf("judged as %s by %s, want kafka by log", rep.Model, rep.Checker)
			}
			var types []string
			for _, a := range rep.Result.Anomalies {
				types = append(types, a.Type)
			}
			t.Logf("%s: %s %v; %s", f, rep.Result.Valid, types, rep.Result.Note)
			if rep.Result.Valid.String() != want {
				t.Fatalf("verdict %s, Jepsen says %s", rep.Result.Valid, want)
			}
			if wantType != "" && !slices.Contains(types, wantType) {
				t.Fatalf("anomalies %v do not include %s, which Jepsen reports", types, wantType)
			}
		})
	}
}

// fixtureExpect reads "; expect: valid" or "; expect: invalid TYPE".
func fixtureExpect(t *testing.T, path string) (string, string) {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "; expect: "); ok {
			f := strings.Fields(rest)
			if len(f) == 1 {
				return f[0], ""
			}
			return f[0], f[1]
		}
	}
	t.Fatalf("%s has no \"; expect:\" line", path)
	return "", ""
}

// Knossos' own tests name the op its analysis could not linearize
// (knossos linear_test.clj: cas-failure-test, immediate-failure-test); ours
// must name the same one.
func TestKnossosNamesTheSameOp(t *testing.T) {
	for file, index := range map[string]int{
		"testdata/knossos/cas-register/bad/cas-failure.edn":       491,
		"testdata/knossos/cas-register/bad/immediate-failure.edn": 3,
	} {
		h, err := ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := Check(h, Options{Model: ModelCASRegister, Initial: "0"})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Result.Anomalies) != 1 || !slices.Contains(rep.Result.Anomalies[0].Ops, index) {
			t.Errorf("%s: anomalies %v, want one naming op :index %d as Knossos does", file, rep.Result.Anomalies, index)
		}
	}
}

// Non-integer values are numbered for the log checker; the note says which
// number is which, so that anomaly details can be read.
func TestKafkaValueLegend(t *testing.T) {
	h, err := ReadFile("testdata/kafka/lost-write.edn")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Check(h, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rep.Result.Note, "0 = :a, 1 = :b, 2 = :d, 3 = :c") {
		t.Fatalf("note %q lacks the legend", rep.Result.Note)
	}
	h, _ = ReadFile("testdata/kafka/txn-abort-good.edn") // integers: kept as they are
	rep, _ = Check(h, Options{})
	if strings.Contains(rep.Result.Note, "numbered") {
		t.Fatalf("integer values were numbered: %q", rep.Result.Note)
	}
}
