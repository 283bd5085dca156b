package reports

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImportsOnlyFormats holds the package to its role (DESIGN.md,
// independence rules: "reports/ renders results; it imports no part that
// produces them"): of this module it may import the formats only. Tests
// are held to it too, which is why the benchmark builds its 100k-op run by
// hand instead of running the simulator.
func TestImportsOnlyFormats(t *testing.T) {
	const module = "github.com/jepsen-lite/jepsen-lite/"
	allowed := map[string]bool{"results": true, "verdict": true, "history": true, "trace": true, "vocab": true, "internal/jsonl": true}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		ast, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range ast.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			switch {
			case strings.HasPrefix(p, module):
				if !allowed[strings.TrimPrefix(p, module)] {
					t.Errorf("%s imports %s: reports/ may import only results, verdict, history, trace and vocab", f, p)
				}
			case strings.Contains(strings.SplitN(p, "/", 2)[0], "."):
				t.Errorf("%s imports %s: reports/ uses the standard library only", f, p)
			}
		}
	}
}
