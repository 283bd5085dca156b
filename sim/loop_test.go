package sim

import (
	"reflect"
	"testing"
	"time"
)

const ms = time.Millisecond

func TestLoopRunsInTimeThenSequenceOrder(t *testing.T) {
	var l Loop
	var got []string
	at := map[string]time.Duration{}
	add := func(name string, d time.Duration) {
		l.After(d, func() { got = append(got, name); at[name] = l.Now() })
	}
	add("c@3", 3*ms)
	add("a@1", 1*ms)
	add("b@1", 1*ms) // same time as a, scheduled later: runs after it
	add("z@0", 0)
	for l.Step() {
	}
	if want := []string{"z@0", "a@1", "b@1", "c@3"}; !reflect.DeepEqual(got, want) {
		t.Errorf("order = %v, want %v", got, want)
	}
	if at["c@3"] != 3*ms || at["b@1"] != 1*ms || l.Now() != 3*ms {
		t.Errorf("times %v, now %v: the clock must jump to each event's time", at, l.Now())
	}
	if l.Steps() != 4 {
		t.Errorf("Steps = %d, want 4", l.Steps())
	}
	if l.Step() {
		t.Error("Step on an empty queue returned true")
	}
}

func TestLoopAfterNegativeRunsNowAfterWhatIsDue(t *testing.T) {
	var l Loop
	var got []string
	l.After(2*ms, func() {
		got = append(got, "first")
		// Scheduled from inside an event: due now, after the other event at 2ms.
		l.After(-5*ms, func() {
			got = append(got, "negative")
			if l.Now() != 2*ms {
				t.Errorf("a negative delay ran at %v, want now (2ms), never in the past", l.Now())
			}
		})
	})
	l.After(2*ms, func() { got = append(got, "second") })
	l.After(3*ms, func() { got = append(got, "later") })
	for l.Step() {
	}
	if want := []string{"first", "second", "negative", "later"}; !reflect.DeepEqual(got, want) {
		t.Errorf("order = %v, want %v", got, want)
	}
}

func TestLoopRunUntilLimit(t *testing.T) {
	var l Loop
	var ran []time.Duration
	for _, d := range []time.Duration{1 * ms, 2 * ms, 5 * ms} {
		l.After(d, func() { ran = append(ran, l.Now()) })
	}
	if l.RunUntil(3*ms, func() bool { return false }) {
		t.Error("RunUntil reported stop although stop never held")
	}
	if !reflect.DeepEqual(ran, []time.Duration{1 * ms, 2 * ms}) {
		t.Errorf("ran at %v, want only the events up to the 3ms limit", ran)
	}
	if l.Now() != 2*ms {
		t.Errorf("now = %v after the limit, want the last event's time 2ms", l.Now())
	}
	// An event exactly at the limit runs.
	if l.RunUntil(5*ms, func() bool { return false }) || len(ran) != 3 {
		t.Errorf("ran %v, want the event at exactly the limit too, then an empty queue", ran)
	}

	// stop is checked before each step and ends the run with true.
	var m Loop
	n := 0
	for i := range 5 {
		m.After(time.Duration(i)*ms, func() { n++ })
	}
	if !m.RunUntil(time.Hour, func() bool { return n == 2 }) || n != 2 {
		t.Errorf("RunUntil stopped after %d events, want true after 2", n)
	}
	if !m.RunUntil(time.Hour, func() bool { return true }) || n != 2 {
		t.Error("a stop that already holds must return true without stepping")
	}
}
