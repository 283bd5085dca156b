package faults

import (
	"fmt"
	"strings"
	"time"

	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Format writes a schedule as a --faults value: comma-separated
// fault@target:start-stop windows, e.g. "crash@orders:120ms-140ms".
func Format(s Schedule) string {
	parts := make([]string, len(s))
	for i, w := range s {
		parts[i] = fmt.Sprintf("%s@%s:%v-%v", w.Fault, w.Target, w.Start, w.Stop)
	}
	return strings.Join(parts, ",")
}

// ParseSchedule reads a --faults value. "none" is the empty schedule.
func ParseSchedule(spec string) (Schedule, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" || spec == "none" {
		return Schedule{}, nil
	}
	var s Schedule
	for i, part := range strings.Split(spec, ",") {
		w, err := parseWindow(strings.TrimSpace(part))
		if err != nil {
			return nil, fmt.Errorf("window %d %q: %v", i+1, part, err)
		}
		s = append(s, w)
	}
	return s, nil
}

func parseWindow(p string) (Window, error) {
	fault, rest, ok := strings.Cut(p, "@")
	if !ok {
		return Window{}, fmt.Errorf("want fault@target:start-stop")
	}
	target, span, ok := strings.Cut(rest, ":")
	if !ok {
		return Window{}, fmt.Errorf("want fault@target:start-stop")
	}
	from, to, ok := strings.Cut(span, "-")
	if !ok {
		return Window{}, fmt.Errorf("want start-stop, e.g. 10ms-40ms")
	}
	if !vocab.Known(vocab.Faults, fault) {
		return Window{}, fmt.Errorf("unknown fault %q", fault)
	}
	if !vocab.Known(kinds[fault].targets, target) {
		return Window{}, fmt.Errorf("unknown target %q (want one of %s)", target, strings.Join(kinds[fault].targets, ", "))
	}
	start, err := time.ParseDuration(from)
	if err != nil {
		return Window{}, fmt.Errorf("start: %v", err)
	}
	stop, err := time.ParseDuration(to)
	if err != nil {
		return Window{}, fmt.Errorf("stop: %v", err)
	}
	if start < 0 || stop <= start {
		return Window{}, fmt.Errorf("need 0 <= start < stop, got %v-%v", start, stop)
	}
	return Window{Fault: fault, Target: target, Start: start, Stop: stop}, nil
}
