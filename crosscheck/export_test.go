package crosscheck

import (
	"testing"
)

// The Go model's TLA+ exporter (saga.State.TLA) and the two canonical
// printers agree on every state of a config with faults of every kind:
// CanonState(ParseState(s.TLA())) = CanonState(StateValue(s)) = the fast
// printer FromSaga uses.
func TestStateExportersAgree(t *testing.T) {
	for _, c := range loadConfigs(t) {
		if c.Name != "correct-partition" && c.Name != "ack-before-persist" {
			continue
		}
		sc, g := goGraph(t, c)
		p := newCanonPrinter(sc)
		step := 7 // every 7th state: ~11k states, all kinds of values
		if testing.Short() {
			step = 97
		}
		for i := 0; i < len(g.States); i += step {
			s := g.States[i]
			vars, err := ParseState(s.TLA())
			if err != nil {
				t.Fatalf("%s state %d: TLA() does not parse: %v\n%s", c.Name, i, err, s.TLA())
			}
			a, b, fast := CanonState(vars), CanonState(StateValue(sc, s)), p.state(s)
			if a != b || b != fast {
				t.Fatalf("%s state %d: exporters disagree:\nTLA():      %s\nStateValue: %s\nprinter:    %s", c.Name, i, a, b, fast)
			}
		}
	}
}
