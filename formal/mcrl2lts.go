package formal

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// LTS is a labelled transition system as lps2lts writes it in the FSM
// format: the state parameters with their values, every state's values,
// and the transitions. State 0 is the initial state.
type LTS struct {
	Params []string   // parameter names, in state-vector order
	values [][]string // per parameter: its values, by index
	states [][]int32  // per state: per parameter the index of its value
	Trans  []LTSTrans
	out    [][]int32 // per state: indexes into Trans
}

// LTSTrans is one transition.
type LTSTrans struct {
	From, To int32
	Label    string
}

// NumStates is the number of states.
func (l *LTS) NumStates() int { return len(l.states) }

// Value returns a state's value of parameter p ("" for a parameter the
// FSM gives no values).
func (l *LTS) Value(state, p int) string {
	if len(l.values[p]) == 0 {
		return ""
	}
	return l.values[p][l.states[state][p]]
}

// ParseFSM reads an LTS in mCRL2's FSM format:
//
//	name(card) Sort "v0" "v1" ...    one line per state parameter
//	---
//	i j ...                           one line per state: value indexes
//	---
//	from to "label"                   one line per transition (1-based)
//
// Parameters of cardinality 0 have no entry in the state vectors.
// Errors are one line and name the line.
func ParseFSM(r io.Reader, name string) (*LTS, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	l := &LTS{}
	var shown []int // parameters present in state vectors
	section, line := 0, 0
	fail := func(format string, a ...any) error {
		return fmt.Errorf("%s:%d: %s", name, line, fmt.Sprintf(format, a...))
	}
	for sc.Scan() {
		line++
		t := strings.TrimSpace(sc.Text())
		if t == "---" {
			section++
			if section > 2 {
				return nil, fail("a fourth section")
			}
			continue
		}
		if t == "" {
			continue
		}
		switch section {
		case 0:
			open := strings.IndexByte(t, '(')
			cls := strings.IndexByte(t, ')')
			if open <= 0 || cls < open {
				return nil, fail("want name(cardinality) Sort \"value\"...")
			}
			card, err := strconv.Atoi(t[open+1 : cls])
			if err != nil || card < 0 {
				return nil, fail("cardinality %q", t[open+1:cls])
			}
			vals, err := quoted(t[cls+1:])
			if err != nil {
				return nil, fail("%v", err)
			}
			// The sort (before the first quote) may be absent; the values are
			// the quoted strings.
			if len(vals) != card {
				return nil, fail("parameter %s: %d values for cardinality %d", t[:open], len(vals), card)
			}
			if card > 0 {
				shown = append(shown, len(l.Params))
			}
			l.Params = append(l.Params, t[:open])
			l.values = append(l.values, vals)
		case 1:
			f := strings.Fields(t)
			if len(f) != len(shown) {
				return nil, fail("state vector of %d values, want %d", len(f), len(shown))
			}
			st := make([]int32, len(l.Params))
			for i, w := range f {
				p := shown[i]
				v, err := strconv.Atoi(w)
				if err != nil || v < 0 || v >= len(l.values[p]) {
					return nil, fail("value index %q of parameter %s", w, l.Params[p])
				}
				st[p] = int32(v)
			}
			l.states = append(l.states, st)
		case 2:
			f := strings.SplitN(t, " ", 3)
			if len(f) != 3 {
				return nil, fail("want from to \"label\"")
			}
			from, err1 := strconv.Atoi(f[0])
			to, err2 := strconv.Atoi(f[1])
			lab, err3 := quoted(f[2])
			if err1 != nil || err2 != nil || err3 != nil || len(lab) != 1 {
				return nil, fail("want from to \"label\"")
			}
			if from < 1 || to < 1 || from > len(l.states) || to > len(l.states) {
				return nil, fail("state %d or %d out of 1..%d", from, to, len(l.states))
			}
			l.Trans = append(l.Trans, LTSTrans{From: int32(from - 1), To: int32(to - 1), Label: lab[0]})
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fail("%v", err)
	}
	if section != 2 {
		return nil, fail("want 3 sections separated by ---, got %d", section+1)
	}
	if len(l.states) == 0 {
		return nil, fail("no states")
	}
	l.out = make([][]int32, len(l.states))
	for i, tr := range l.Trans {
		l.out[tr.From] = append(l.out[tr.From], int32(i))
	}
	return l, nil
}

// quoted returns the double-quoted strings of s (anything else but blanks
// between them is an error).
func quoted(s string) ([]string, error) {
	var out []string
	i := strings.IndexByte(s, '"')
	if i < 0 {
		return nil, nil // no values (a sort alone, or nothing)
	}
	s = s[i:]
	for {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			return out, nil
		}
		if s[0] != '"' {
			return nil, fmt.Errorf("unquoted text %q", oneLineOf(s, 40))
		}
		j := strings.IndexByte(s[1:], '"')
		if j < 0 {
			return nil, fmt.Errorf("unterminated quote")
		}
		out = append(out, s[1:1+j])
		s = s[j+2:]
	}
}

// actionName is a label's action name: "deliver(inventory, 1)" -> "deliver".
func actionName(label string) string {
	name, _, _ := strings.Cut(label, "(")
	return strings.TrimSpace(name)
}

// isObservation reports whether a label is an observation self-loop
// (violated, obs_status): not a protocol step.
func isObservation(label string) bool {
	n := actionName(label)
	return n == "violated" || n == "obs_status"
}
