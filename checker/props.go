package checker

import (
	"strconv"
	"strings"
)

// Properties returns the property checkers in a fixed order. Each is named
// by its key in results.json "checkers"; they share one index per Input
// (index.go), so running them all costs about one pass over the history and
// one over the trace.
func Properties() []Checker {
	return []Checker{
		ExactlyOnce{},
		Conservation{},
		Terminal{},
		SagaTermination{},
		NoLostCommand{},
		NoLostEvent{},
		CausalOrder{},
		Projection{},
		DeadLetters{},
	}
}

// anomalyCap bounds the anomalies one checker reports (STYLE.md: errors
// capped per type); those past it are counted in a last anomaly's Detail.
const anomalyCap = 100

// unknownCap bounds the keys a Note names as unknown.
const unknownCap = 10

// propVerdict accumulates one checker's result: anomalies up to
// anomalyCap, and the keys that could not be judged with why. Invalid wins
// over unknown, which wins over valid, as in Merge.
type propVerdict struct {
	anomalies []Anomaly
	more      int // anomalies past anomalyCap
	moreType  string
	unknown   []string // "key (why)", up to unknownCap
	nUnknown  int
	undecided []string // parts of the check that could not run at all
	notes     []string
}

// anomaly records a finding.
func (v *propVerdict) anomaly(a Anomaly) {
	if a.Ops == nil {
		a.Ops = []int{}
	}
	if len(v.anomalies) < anomalyCap {
		v.anomalies = append(v.anomalies, a)
		return
	}
	v.more++
	v.moreType = a.Type
}

// unknownKey records a key that could not be judged.
func (v *propVerdict) unknownKey(key, why string) {
	v.nUnknown++
	if len(v.unknown) < unknownCap {
		v.unknown = append(v.unknown, key+" ("+why+")")
	}
}

// undecide records that a part of the check could not run, and why.
func (v *propVerdict) undecide(why string) { v.undecided = append(v.undecided, why) }

// note adds a sentence to the result's Note.
func (v *propVerdict) note(s string) { v.notes = append(v.notes, s) }

// result settles the verdict; checked says what was judged, for the Note.
func (v *propVerdict) result(checked string) Result {
	var r Result
	for _, a := range v.anomalies {
		r.Invalidate(a)
	}
	if v.more > 0 {
		r.Invalidate(Anomaly{Type: v.moreType, Detail: "... and " + strconv.Itoa(v.more) + " more"})
	}
	notes := append([]string{checked}, v.notes...)
	if len(v.undecided) > 0 && r.Valid == Valid {
		r.Valid = Unknown
	}
	notes = append(notes, v.undecided...)
	if v.nUnknown > 0 {
		if r.Valid == Valid {
			r.Valid = Unknown
		}
		s := "unknown for " + strconv.Itoa(v.nUnknown) + " key(s): " + strings.Join(v.unknown, ", ")
		if v.nUnknown > len(v.unknown) {
			s += ", ..."
		}
		notes = append(notes, s)
	}
	r.Note = strings.Join(notes, "; ")
	return r
}

// unknownResult is the verdict of a check that could not run at all.
func unknownResult(why string) Result { return Result{Valid: Unknown, Note: why} }

// traceGate says why a check that needs the trace cannot run: "" when it can.
func traceGate(in *Input, ix *index) string {
	switch {
	case in.Trace == nil:
		return "no trace: this check needs trace.ndjson"
	case ix.tr.overflow != "":
		return "the trace names more than " + strconv.Itoa(nodeMax) + " nodes (first past the bound: " + ix.tr.overflow + ")"
	}
	return ""
}

// truncatedNote is the Note of a trace-only safety check on a trace cut
// short: what it saw holds no violation, but the rest was not seen.
func truncatedNote(in *Input, v *propVerdict) {
	if in.TraceTruncated {
		v.note("the trace was cut short (killed run): only its complete lines were checked")
	}
}

// orderOps returns the history indices of an order's place ops, then of
// the given extra calls.
func (ix *index) orderOps(key string, extra ...call) []int {
	return ix.callOps(ix.placeOps(key), extra...)
}

// countNote is "N <what>".
func countNote(n int, what string) string { return strconv.Itoa(n) + " " + what }
