package sut

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/checker/logcheck"
	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/results"
)

// SpecFile is the file of a run directory that records the test's name and
// its checkers, so that `jepsen-lite check DIR/history.jsonl` judges a
// user's history with the same checkers rather than the order system's.
const SpecFile = "test.json"

// Spec is the content of test.json.
type Spec struct {
	Name     string        `json:"name"`
	Checkers []CheckerSpec `json:"checkers"`
}

// CheckerSpec records one checker of a test.
type CheckerSpec struct {
	Name string `json:"name"`
	// Model is the linearizability checker's model name.
	Model string `json:"model,omitempty"`
	// Log holds the log checker's options.
	Log *logcheck.Options `json:"log,omitempty"`
	// Custom marks a checker of the user's own code: only the test's own
	// binary can run it again.
	Custom bool `json:"custom,omitempty"`
}

// specOf records a checker.
func specOf(c checker.Checker) CheckerSpec {
	switch c := c.(type) {
	case *LinearizableChecker:
		return CheckerSpec{Name: c.Name(), Model: c.Model.Name}
	case *LogCheck:
		opts := c.Options
		return CheckerSpec{Name: c.Name(), Log: &opts}
	}
	return CheckerSpec{Name: c.Name(), Custom: true}
}

// WriteSpec writes test.json into dir.
func WriteSpec(dir, name string, cs []checker.Checker) error {
	s := Spec{Name: name, Checkers: make([]CheckerSpec, len(cs))}
	for i, c := range cs {
		s.Checkers[i] = specOf(c)
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("encode %s: %w", SpecFile, err)
	}
	return os.WriteFile(filepath.Join(dir, SpecFile), append(b, '\n'), 0o644)
}

// ReadSpec reads dir's test.json; the error wraps fs.ErrNotExist when the
// directory has none (a run of the order system).
func ReadSpec(dir string) (Spec, error) {
	path := filepath.Join(dir, SpecFile)
	b, err := os.ReadFile(path)
	if err != nil {
		return Spec{}, err
	}
	return ParseSpec(b, path)
}

// specCheckersMax bounds the checkers a test.json may list.
const specCheckersMax = 100

// ParseSpec parses the content of a test.json; name is used in errors.
func ParseSpec(b []byte, name string) (Spec, error) {
	var s Spec
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return Spec{}, fmt.Errorf("%s: %v", name, err)
	}
	if dec.More() {
		return Spec{}, fmt.Errorf("%s: trailing data after the object", name)
	}
	if len(s.Checkers) == 0 || len(s.Checkers) > specCheckersMax {
		return Spec{}, fmt.Errorf("%s: %d checkers: want 1..%d", name, len(s.Checkers), specCheckersMax)
	}
	for i, c := range s.Checkers {
		kinds := 0
		for _, set := range []bool{c.Model != "", c.Log != nil, c.Custom} {
			if set {
				kinds++
			}
		}
		switch {
		case c.Name == "":
			return Spec{}, fmt.Errorf("%s: checkers[%d]: empty name", name, i)
		case kinds != 1:
			return Spec{}, fmt.Errorf("%s: checkers[%d] (%s): want exactly one of model, log, custom", name, i, c.Name)
		}
	}
	return s, nil
}

// Rebuild returns the checkers a Spec records. Those the CLI cannot run
// (a model of the user's own, a custom checker) are replaced by the
// matching checker of own, when given, and otherwise judge unknown with a
// note that says to re-judge with the test's own binary.
func (s Spec) Rebuild(own ...checker.Checker) []checker.Checker {
	mine := map[string]checker.Checker{}
	for _, c := range own {
		mine[c.Name()] = c
	}
	out := make([]checker.Checker, 0, len(s.Checkers))
	for _, cs := range s.Checkers {
		if c, ok := mine[cs.Name]; ok {
			out = append(out, c)
			continue
		}
		out = append(out, s.rebuild(cs))
	}
	return out
}

func (s Spec) rebuild(cs CheckerSpec) checker.Checker {
	why := fmt.Sprintf("checker %q is the test's own code: judge the history with the test's binary (its check command)", cs.Name)
	switch {
	case cs.Log != nil:
		return LogChecker(*cs.Log)
	case cs.Model != "":
		if m, ok := BuiltinModels[cs.Model]; ok {
			return Linearizable(m())
		}
		why = fmt.Sprintf("model %q is not built in (built in: %s): judge the history with the test's binary (its check command)",
			cs.Model, builtinNames())
	}
	return CheckerFunc(cs.Name, func(*checker.Input) checker.Result {
		return checker.Result{Valid: checker.Unknown, Note: why}
	})
}

// Judge runs checkers over a history and returns results.json's content
// (without the run's seed, options and schedule).
func Judge(in *checker.Input, cs []checker.Checker) results.Results {
	return judged(checker.Run(in, cs), cs, in.Ops)
}

// funcChecker is a checker.Checker made of a name and a function.
type funcChecker struct {
	name string
	fn   func(*checker.Input) checker.Result
}

func (f funcChecker) Name() string                           { return f.name }
func (f funcChecker) Check(in *checker.Input) checker.Result { return f.fn(in) }

// CheckerFunc makes a checker of your own from a name and a function, for
// a property of your system (say, "no acknowledged write is lost"). The
// function reads in.Ops (Calls pairs them) and returns valid, invalid with
// anomalies that name history indices, or unknown with a Note saying why.
func CheckerFunc(name string, fn func(in *checker.Input) checker.Result) checker.Checker {
	return funcChecker{name: name, fn: fn}
}

// clientOps returns the client ops of a history (nemesis ops left out).
func clientOps(ops []history.Op) []history.Op {
	out := make([]history.Op, 0, len(ops))
	for _, op := range ops {
		if op.IsClient() {
			out = append(out, op)
		}
	}
	return out
}
