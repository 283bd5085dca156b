package sut

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Model is a porcupine model of the system under test together with the
// way to read its inputs and outputs back from the history.
type Model struct {
	// Name names the model in the run directory's test.json. A built-in
	// model's name (see BuiltinModels) lets `jepsen-lite check` judge the
	// history again; a model of your own is judged again by your test's
	// binary (Main's "check" command).
	Name string
	// Porcupine is the sequential specification of ONE key (the checker
	// partitions by Call.Key itself, so Partition is ignored). Its Step
	// receives what Decode returns; for an Info call it must accept any
	// output, since the operation's result is unknown.
	Porcupine porcupine.Model
	// Decode turns a recorded call into the model's input and output. It
	// sees ok and info calls (fail calls took no effect and are dropped).
	// Returning ErrSkip leaves the call out (a read whose result is
	// unknown tells nothing); another error makes the key unknown.
	Decode func(c Call) (input, output any, err error)
}

// ErrSkip is returned by Model.Decode for a call the model leaves out.
var ErrSkip = errors.New("sut: skip this call")

// LinearizableChecker checks that each key's calls are linearizable
// against a Model, with porcupine, one key at a time (a history is
// linearizable iff every key's calls are, when the keys are independent).
// Info calls may take effect at any time after their invoke: they get an
// infinite return time (porcupine's recipe). It is named "linearizable".
type LinearizableChecker struct {
	Model Model
	// Timeout bounds all searches together; keys not decided by then are
	// unknown, never valid. 0 means no limit.
	Timeout time.Duration
}

// LinearizableTimeoutDefault is the default search budget of Linearizable.
const LinearizableTimeoutDefault = 30 * time.Second

// Linearizable returns the linearizability checker for m with the default
// time budget.
func Linearizable(m Model) *LinearizableChecker {
	return &LinearizableChecker{Model: m, Timeout: LinearizableTimeoutDefault}
}

// Name is "linearizable".
func (c *LinearizableChecker) Name() string { return "linearizable" }

// Bounds on what a failing check writes.
const (
	linOpsMax  = 50 // history indices one anomaly lists
	linVizMax  = 10 // porcupine visualizations written per check
	infinitely = math.MaxInt64
)

// linKey is one key's calls as porcupine operations.
type linKey struct {
	key string
	ops []porcupine.Operation
	err error // a Decode error: the key cannot be judged
}

// validate reports a model that cannot be run.
func (c *LinearizableChecker) validate() error {
	if c.Model.Decode == nil || c.Model.Porcupine.Init == nil || c.Model.Porcupine.Step == nil {
		return fmt.Errorf("linearizable: model %q: Decode, Porcupine.Init and Porcupine.Step must be set", c.Model.Name)
	}
	return nil
}

// Check runs porcupine on every key.
func (c *LinearizableChecker) Check(in *checker.Input) checker.Result {
	if err := c.validate(); err != nil {
		return checker.Result{Valid: checker.Unknown, Note: err.Error()}
	}
	keys, dropped, skipped := c.partition(Calls(in.Ops))
	var deadline time.Time
	if c.Timeout > 0 {
		deadline = time.Now().Add(c.Timeout)
	}
	m := c.Model.Porcupine
	m.Partition, m.PartitionEvent = nil, nil
	if m.DescribeOperationMetadata == nil {
		m.DescribeOperationMetadata = describeRef
	}
	res := checker.Result{Valid: checker.Valid}
	var unknown []string
	failed, ops := 0, 0
	for _, k := range keys {
		ops += len(k.ops)
		if k.err != nil {
			unknown = append(unknown, k.key+" ("+k.err.Error()+")")
			continue
		}
		left := time.Duration(0) // porcupine: 0 = no limit
		if !deadline.IsZero() {
			if left = time.Until(deadline); left <= 0 {
				unknown = append(unknown, k.key+" (time budget spent)")
				continue
			}
		}
		switch porcupine.CheckOperationsTimeout(m, k.ops, left) {
		case porcupine.Unknown:
			unknown = append(unknown, k.key+" (time budget spent)")
		case porcupine.Illegal:
			failed++
			a, file, err := c.explain(m, k, in.OutDir, failed <= linVizMax)
			res.Invalidate(a)
			if file != "" {
				res.Files = append(res.Files, file)
			}
			if err != nil {
				unknown = append(unknown, k.key+" (visualization: "+err.Error()+")")
			}
		}
	}
	res.Note = fmt.Sprintf("model %s: %d calls on %d keys (dropped %d fail calls, skipped %d): %d keys not linearizable",
		c.Model.Name, ops, len(keys), dropped, skipped, failed)
	if len(unknown) > 0 {
		if res.Valid == checker.Valid {
			res.Valid = checker.Unknown
		}
		res.Note += fmt.Sprintf("; %d keys unknown: %s", len(unknown), strings.Join(unknown[:min(len(unknown), 5)], "; "))
	}
	return res
}

// partition decodes the calls into porcupine operations, one list per key
// in order of first invoke. Fail calls are dropped: they took no effect.
func (c *LinearizableChecker) partition(calls []Call) (keys []*linKey, dropped, skipped int) {
	at := map[string]*linKey{}
	for _, call := range calls {
		if call.Outcome == Fail {
			dropped++
			continue
		}
		k := at[call.Key]
		if k == nil {
			k = &linKey{key: call.Key}
			at[call.Key] = k
			keys = append(keys, k)
		}
		input, output, err := c.Model.Decode(call)
		if errors.Is(err, ErrSkip) {
			skipped++
			continue
		}
		if err != nil {
			if k.err == nil {
				k.err = err
			}
			continue
		}
		ret := call.Return
		if call.Outcome == Info {
			ret = infinitely
		}
		k.ops = append(k.ops, porcupine.Operation{ClientId: call.Process, Input: input, Call: call.Call,
			Output: output, Return: ret, Metadata: [2]int{call.Invoke, call.Complete}})
	}
	return keys, dropped, skipped
}

// explain re-runs a failing key with porcupine's linearization info and
// names the call that cannot follow the longest linearizable prefix (the
// first to return among the calls left out of it), the state the prefix
// leaves, and the calls around it; it writes the key's visualization
// (linearizable-<key>.html) when dir is set and viz allows.
func (c *LinearizableChecker) explain(m porcupine.Model, k *linKey, dir string, viz bool) (checker.Anomaly, string, error) {
	ops := denseClients(k.ops)
	a := checker.Anomaly{Type: vocab.AnomalyNonlinearizable, Key: k.key}
	res, info := porcupine.CheckOperationsVerbose(m, ops, time.Second)
	var prefix []int
	for _, part := range info.PartialLinearizations() {
		for _, lin := range part {
			if len(lin) > len(prefix) || len(lin) == len(prefix) && slices.Compare(lin, prefix) < 0 {
				prefix = lin
			}
		}
	}
	state := m.Init()
	in := make([]bool, len(ops))
	for _, id := range prefix {
		_, state = m.Step(state, ops[id].Input, ops[id].Output)
		in[id] = true
	}
	stuck := -1
	for i, op := range ops {
		if !in[i] && (stuck < 0 || op.Return < ops[stuck].Return) {
			stuck = i
		}
	}
	a.Detail = fmt.Sprintf("no linearization of the %d calls on %s with model %s: the longest linearizable prefix has %d",
		len(ops), k.key, c.Model.Name, len(prefix))
	if m.DescribeState != nil {
		a.Detail += " and leaves " + m.DescribeState(state)
	}
	if stuck >= 0 {
		desc := fmt.Sprint(ops[stuck].Input)
		if m.DescribeOperation != nil {
			desc = m.DescribeOperation(ops[stuck].Input, ops[stuck].Output)
		}
		a.Detail += fmt.Sprintf("; the next call to return, %s (%s), cannot follow it", desc, describeRef(ops[stuck].Metadata))
	}
	a.Ops = namedOps(ops, prefix, stuck)
	if res != porcupine.Illegal || dir == "" || !viz {
		return a, "", nil
	}
	name := "linearizable-" + fileKey(k.key) + ".html"
	if err := porcupine.VisualizePath(m, info, filepath.Join(dir, name)); err != nil {
		return a, "", err
	}
	return a, name, nil
}

// namedOps lists the history indices an anomaly shows: the stuck call, the
// calls that overlap it, and the last calls of the prefix, at most linOpsMax.
func namedOps(ops []porcupine.Operation, prefix []int, stuck int) []int {
	var pick []int
	if stuck >= 0 {
		pick = append(pick, stuck)
		for i, op := range ops {
			if i != stuck && op.Call <= ops[stuck].Return && ops[stuck].Call <= op.Return {
				pick = append(pick, i)
			}
		}
	}
	for i := len(prefix) - 1; i >= 0 && len(prefix)-i <= 5; i-- {
		pick = append(pick, prefix[i])
	}
	var out []int
	for _, i := range pick {
		ref := ops[i].Metadata.([2]int)
		for _, h := range ref {
			if h >= 0 && !slices.Contains(out, h) && len(out) < linOpsMax {
				out = append(out, h)
			}
		}
	}
	slices.Sort(out)
	return out
}

// denseClients renumbers client ids 0, 1, ... by first appearance:
// porcupine's visualization draws a row per id up to the largest.
func denseClients(ops []porcupine.Operation) []porcupine.Operation {
	out := slices.Clone(ops)
	ids := map[int]int{}
	for i := range out {
		if _, ok := ids[out[i].ClientId]; !ok {
			ids[out[i].ClientId] = len(ids)
		}
		out[i].ClientId = ids[out[i].ClientId]
	}
	return out
}

// describeRef renders an operation's history indices in visualizations.
func describeRef(meta any) string {
	ref, ok := meta.([2]int)
	switch {
	case !ok:
		return ""
	case ref[1] < 0:
		return fmt.Sprintf("history %d, never completed", ref[0])
	}
	return fmt.Sprintf("history %d→%d", ref[0], ref[1])
}

// fileKey makes a key safe as part of a file name.
func fileKey(key string) string {
	if key == "" {
		return "_"
	}
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, key)
}
