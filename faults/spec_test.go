package faults

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// A generated schedule survives Format → ParseSchedule unchanged.
func TestScheduleRoundTrip(t *testing.T) {
	s := Generate(rand.New(rand.NewPCG(1, 2)), vocab.Faults, 2*time.Second, 40*time.Millisecond)
	if len(s) < 10 {
		t.Fatalf("only %d windows in 2 s with a 40 ms gap", len(s))
	}
	got, err := ParseSchedule(Format(s))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, s) {
		t.Fatalf("round trip changed the schedule:\n%v\n%v", s, got)
	}
}

func TestParseScheduleErrors(t *testing.T) {
	for spec, want := range map[string]string{
		"crash":                    "fault@target",
		"crash@orders":             "fault@target",
		"crash@orders:5ms":         "start-stop",
		"flood@orders:1ms-2ms":     "unknown fault",
		"crash@mars:1ms-2ms":       "unknown target",
		"crash@orders:x-2ms":       "start",
		"crash@orders:5ms-2ms":     "start < stop",
		"crash@orders:1ms-2ms,bad": "window 2",
	} {
		_, err := ParseSchedule(spec)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want it to mention %q", spec, err, want)
		}
	}
	if s, err := ParseSchedule("none"); err != nil || len(s) != 0 {
		t.Errorf("none: %v %v", s, err)
	}
}

// Generate never opens two windows of an exclusive fault on one target at once.
func TestGenerateExclusive(t *testing.T) {
	s := Generate(rand.New(rand.NewPCG(3, 4)), []string{vocab.FaultCrash, vocab.FaultPartition}, 10*time.Second, 5*time.Millisecond)
	open := map[string]time.Duration{}
	for _, w := range s {
		k := w.Fault + "@" + w.Target
		if open[k] > w.Start {
			t.Fatalf("%v overlaps an earlier %s window ending at %v", w, k, open[k])
		}
		open[k] = w.Stop
	}
}
