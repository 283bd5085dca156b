package difftest

import (
	"path/filepath"
	"testing"
)

// Every regression case in testdata/ (a disagreement rapid found, shrunk)
// is replayed on every run: plain behaviours are compared with the model,
// mutated ones with the mutation's verdict by construction.
func TestRegressionCases(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no regression case in testdata/: %v", err)
	}
	for _, p := range paths {
		t.Run(filepath.Base(p), func(t *testing.T) {
			b, err := ReadCase(p)
			if err != nil {
				t.Fatal(err)
			}
			if b.Mutation == nil {
				check(t, b)
				return
			}
			built, err := Build(b, true)
			if err != nil {
				t.Fatal(err)
			}
			checkMutated(t, b, built)
		})
	}
}
