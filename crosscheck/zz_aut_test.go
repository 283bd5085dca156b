package crosscheck

import (
	"os"
	"testing"
)

func TestDevAut(t *testing.T) {
	for _, c := range loadConfigs(t) {
		if c.Name != os.Getenv("CFG") {
			continue
		}
		_, g := goGraph(t, c)
		a, _ := GoAut(g, false)
		b, _ := GoAut(g, true)
		os.WriteFile("/tmp/h2/m/go.aut", a, 0o644)
		os.WriteFile("/tmp/h2/m/go-obs.aut", b, 0o644)
	}
}
