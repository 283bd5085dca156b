package faults

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Window is one fault, active on Target from Start to Stop.
type Window struct {
	Fault  string        `json:"fault"`
	Target string        `json:"target"`
	Start  time.Duration `json:"start"`
	Stop   time.Duration `json:"stop"`
}

func (w Window) String() string {
	return fmt.Sprintf("%s@%s[%v,%v)", w.Fault, w.Target, w.Start, w.Stop)
}

// Schedule is a list of windows ordered by start.
type Schedule []Window

// kind is one fault's shape: where it may strike and for how long.
type kind struct {
	name             string
	targets          []string
	durMin, durMax   time.Duration
	exclusivePerNode bool // at most one window of this fault per target at a time
}

var kinds = map[string]kind{}

func register(k kind) { kinds[k.name] = k }

// ParseNemesis parses a --nemesis value: a comma list of faults, "all" or "none".
func ParseNemesis(s string) ([]string, error) {
	s = strings.TrimSpace(s)
	switch s {
	case "", "none":
		return nil, nil
	case "all":
		return slices.Clone(vocab.Faults), nil
	}
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if !vocab.Known(vocab.Faults, f) {
			return nil, fmt.Errorf("unknown fault %q (want a comma list of %s, or all, or none)", f, strings.Join(vocab.Faults, ", "))
		}
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out, nil
}

// Generate draws a schedule of the given faults over [0, horizon): windows
// start on average every gap, each with a random target and duration.
func Generate(rng *rand.Rand, faults []string, horizon, gap time.Duration) Schedule {
	if len(faults) == 0 || gap <= 0 {
		return nil
	}
	var s Schedule
	busyUntil := map[string]time.Duration{} // fault/target -> end of its last window
	for t := gap / 2; t < horizon; t += gap/2 + time.Duration(rng.Int64N(int64(gap)+1)) {
		k := kinds[faults[rng.IntN(len(faults))]]
		target := k.targets[rng.IntN(len(k.targets))]
		dur := k.durMin + time.Duration(rng.Int64N(int64(k.durMax-k.durMin)+1))
		key := k.name + "/" + target
		if k.exclusivePerNode && busyUntil[key] > t {
			continue
		}
		busyUntil[key] = t + dur
		s = append(s, Window{Fault: k.name, Target: target, Start: t, Stop: t + dur})
	}
	return s
}
