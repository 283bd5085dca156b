package checker

import "testing"

func TestGenSmoke(t *testing.T) {
	in := genRun(genConfig{seed: 1, events: 20000, skus: 5, customers: 8, procs: 4})
	t.Logf("ops %d trace %d", len(in.Ops), len(in.Trace))
	for _, c := range Properties() {
		r := c.Check(in)
		t.Logf("%s: %v %s %v", c.Name(), r.Valid, r.Note, r.Anomalies)
	}
}
