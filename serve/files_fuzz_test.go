package serve

import (
	"path/filepath"
	"strings"
	"testing"
)

// FuzzResolve: whatever path a request names, resolve either refuses it or
// returns a regular file whose resolved path lies under the store.
func FuzzResolve(f *testing.F) {
	for _, seed := range []string{"r2/report.html", "../outside/secret.txt", "r2/leak.txt", "linkdir/secret.txt",
		"r1/report.txt", "./r2/./report.html", "r2//report.html", "/etc/passwd", "r2/..", "..", ".", "%2e%2e/x"} {
		f.Add(seed)
	}
	store, _ := testStoreF(f)
	s, err := New(store)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, rel string) {
		p, err := s.resolve(rel)
		if err != nil {
			return
		}
		real, err := filepath.EvalSymlinks(p)
		if err != nil {
			t.Fatalf("resolve(%q) = %s, which does not resolve: %v", rel, p, err)
		}
		if in, err := filepath.Rel(s.Root(), real); err != nil || in == ".." || strings.HasPrefix(in, "../") {
			t.Fatalf("resolve(%q) = %s, outside the store %s", rel, real, s.Root())
		}
	})
}
