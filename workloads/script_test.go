package workloads

import (
	"strings"
	"testing"
	"time"
)

// A bad script is a one-line error naming the op.
func TestScriptValidate(t *testing.T) {
	cases := []struct {
		script []Scripted
		want   string
	}{
		{[]Scripted{{F: "drop-table", Key: "o-1"}}, `script op 0: f "drop-table"`},
		{[]Scripted{{F: "place"}}, "script op 0 (place): empty key"},
		{[]Scripted{{At: 2 * time.Millisecond, F: "place", Key: "o-1"}, {At: time.Millisecond, F: "cancel", Key: "o-1"}}, "script op 1 (cancel): at 1ms"},
	}
	for _, c := range cases {
		cfg := Default()
		cfg.Script = c.script
		err := cfg.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("script %+v: error %v, want %q", c.script, err, c.want)
		}
	}
	cfg := Default()
	cfg.Script = []Scripted{{F: "place", Key: "o-1"}, {At: time.Millisecond, F: "read-strong", Key: "o-1"}}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("good script: %v", err)
	}
}
