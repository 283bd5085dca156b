package logcheck

import (
	"fmt"
	"sort"
	"strings"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/verdict"
)

// Name is the checker's key in results.json "checkers".
const Name = "log"

// Mode is how consumers got their partitions, which decides what a correct
// log may show them (Jepsen's :sub-via).
type Mode string

const (
	// ModeAuto judges in subscribe mode if the history has a subscribe op,
	// else in assign mode.
	ModeAuto Mode = ""
	// ModeAssign: consumers assign themselves partitions and nothing moves
	// them, so every poll must continue where the process's last one ended.
	ModeAssign Mode = "assign"
	// ModeSubscribe: the consumer group rebalances partitions at any time,
	// unannounced in the history, so a process may resume a key anywhere.
	ModeSubscribe Mode = "subscribe"
)

// DefaultMaxPerType bounds the anomalies a Result lists per type (STYLE.md:
// errors capped per type); the rest are counted in one last anomaly.
const DefaultMaxPerType = 100

// Options is the policy that turns an Analysis into a verdict.
type Options struct {
	Mode Mode
	// FinalPolls says the history ends with final polls that read every key
	// to its end (Jepsen's final-polls generator). Only then is an
	// acknowledged send that nobody read a failure ("unseen" invalidates);
	// without them a consumer that merely fell behind would look like data
	// loss, so unseen counts go to the Note.
	FinalPolls bool
	// MaxPerType caps the anomalies listed per type; 0 means DefaultMaxPerType.
	MaxPerType int
	// Tolerate adds anomaly types the system under test is known to allow
	// on top of the mode's (e.g. duplicate for a producer without
	// idempotence, whose retries write a record twice). As with the mode's,
	// they are reported in the Note, never hidden.
	Tolerate []string
	// Why says, in the Note, why Tolerate holds what it holds.
	Why string
}

func (o Options) validate() error {
	switch o.Mode {
	case ModeAuto, ModeAssign, ModeSubscribe:
	default:
		return fmt.Errorf("mode %q is not assign or subscribe", o.Mode)
	}
	if o.MaxPerType < 0 {
		return fmt.Errorf("negative MaxPerType %d", o.MaxPerType)
	}
	for _, t := range o.Tolerate {
		if _, ok := rank[t]; !ok {
			return fmt.Errorf("tolerate %q: not an anomaly type of this checker", t)
		}
	}
	return nil
}

// Tolerated lists the anomaly types a correct system may show in a mode
// (Jepsen's allowed-error-types). They are reported in Result.Note, never
// hidden, but do not make the verdict invalid. In every mode int-send-skip
// is tolerated: a producer's sends in one op are not atomic, so other
// producers' sends interleave. In subscribe mode poll-skip and
// nonmonotonic-poll are too: a rebalance between two polls moves a key to
// another consumer and back, resuming it at its committed offset.
func Tolerated(m Mode) []string {
	if m == ModeSubscribe {
		return []string{AnomalyNonmonotonicPoll, AnomalyPollSkip, AnomalyIntSendSkip}
	}
	return []string{AnomalyIntSendSkip}
}

// Check analyzes a history and judges it under opts.
func Check(h *History, opts Options) (verdict.Result, error) {
	if err := opts.validate(); err != nil {
		return verdict.Result{}, err
	}
	a, err := Analyze(h)
	if err != nil {
		return verdict.Result{}, err
	}
	return a.Result(opts), nil
}

// Result judges the analysis under opts: anomalies of tolerated types and
// unseen values without final polls go to the Note; unseen values in a
// truncated history make the verdict unknown (the cut-off end may have been
// the final polls that read them); every other anomaly invalidates. Invalid
// options judge as ModeAssign with the default cap.
func (a *Analysis) Result(opts Options) verdict.Result {
	if opts.validate() != nil {
		opts = Options{FinalPolls: opts.FinalPolls}
	}
	mode := opts.Mode
	if mode == ModeAuto {
		mode = ModeAssign
		if a.Subscribed {
			mode = ModeSubscribe
		}
	}
	tolerated := map[string]string{} // type -> why, for the Note
	for _, t := range opts.Tolerate {
		tolerated[t] = "by this system"
	}
	for _, t := range Tolerated(mode) {
		tolerated[t] = fmt.Sprintf("in %s mode", mode)
	}
	capN := opts.MaxPerType
	if capN == 0 {
		capN = DefaultMaxPerType
	}
	byType := map[string][]verdict.Anomaly{}
	for _, an := range a.Anomalies {
		byType[an.Type] = append(byType[an.Type], an)
	}
	r := verdict.Result{Valid: verdict.Valid}
	notes := []string{fmt.Sprintf("%d ops on %d keys judged in %s mode (tolerated: %s)",
		a.Ops, a.Keys, mode, strings.Join(Tolerated(mode), ", "))}
	if len(opts.Tolerate) > 0 {
		notes = append(notes, fmt.Sprintf("also tolerated: %s (%s)", strings.Join(opts.Tolerate, ", "), opts.Why))
	}
	for _, t := range AnomalyTypes() {
		as := byType[t]
		switch {
		case len(as) == 0:
		case tolerated[t] != "":
			notes = append(notes, toleratedNote(t, tolerated[t], as))
		case t == AnomalyUnseen && !opts.FinalPolls:
			notes = append(notes, "unseen, not judged without final polls: "+unseenCounts(a.Unseen))
		case t == AnomalyUnseen && a.Truncated:
			r.Valid = verdict.Merge(r.Valid, verdict.Unknown)
			notes = append(notes, "unknown: the history is truncated, so its final polls may be cut off; unseen: "+
				unseenCounts(a.Unseen))
		default:
			for _, an := range as[:min(len(as), capN)] {
				r.Invalidate(an)
			}
			if n := len(as) - capN; n > 0 {
				r.Invalidate(verdict.Anomaly{Type: t, Detail: fmt.Sprintf("... and %d more", n)})
			}
		}
	}
	if a.Truncated {
		notes = append(notes, "the history's last line was cut off and skipped")
	}
	r.Note = strings.Join(notes, "; ")
	return r
}

// toleratedExamples bounds the anomalies a Note spells out per tolerated type.
const toleratedExamples = 3

func toleratedNote(t, why string, as []verdict.Anomaly) string {
	var b strings.Builder
	fmt.Fprintf(&b, "tolerated %s (reported, not invalidating): %s: %d found", why, t, len(as))
	for i, an := range as[:min(len(as), toleratedExamples)] {
		sep := ", e.g. "
		if i > 0 {
			sep = " | "
		}
		fmt.Fprintf(&b, "%skey %s ops %v: %s", sep, an.Key, an.Ops, an.Detail)
	}
	return b.String()
}

func unseenCounts(unseen map[string]int) string {
	keys := make([]string, 0, len(unseen))
	for k := range unseen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, min(len(keys), listMax)+1)
	for i, k := range keys {
		if i == listMax {
			parts = append(parts, fmt.Sprintf("... (%d keys in all)", len(keys)))
			break
		}
		parts = append(parts, fmt.Sprintf("%s=%d", k, unseen[k]))
	}
	return strings.Join(parts, ", ")
}

// Checker is the log checker as a checker.Checker, composed with the others
// by name. Its log history comes from New, not from checker.Input, whose Ops
// are the order workload's history.jsonl; the analysis is done once, in New.
type Checker struct {
	analysis *Analysis
	opts     Options
}

// New analyzes h and returns a checker that judges it under opts. Bad
// options and a malformed history are errors here, so that Check, which
// cannot return one, never meets them.
func New(h *History, opts Options) (*Checker, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	a, err := Analyze(h)
	if err != nil {
		return nil, err
	}
	return &Checker{analysis: a, opts: opts}, nil
}

// Name returns "log".
func (c *Checker) Name() string { return Name }

// Check returns the verdict; in is not used (see Checker).
func (c *Checker) Check(in *checker.Input) checker.Result { return c.analysis.Result(c.opts) }
