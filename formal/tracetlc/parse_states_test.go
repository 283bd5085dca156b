package tracetlc

import "testing"

// The count is the final report's, not a progress line's, and commas are
// thousands separators (a progress line's "73,247" once read as 247).
func TestFinalStates(t *testing.T) {
	out := "Progress(17) at 2026-12-01 13:26:42: 241,202 states generated (60,798 s/min), 73,247 distinct states found, 17,181 states left on queue.\n" +
		"Model checking completed. No error has been found.\n" +
		"300,011 states generated, 104,245 distinct states found, 0 states left on queue.\n"
	if got := finalStates(out); got != 104245 {
		t.Fatalf("finalStates = %d, want 104245", got)
	}
	if got := finalStates("no counts here"); got != 0 {
		t.Fatalf("finalStates without a count = %d, want 0", got)
	}
}
