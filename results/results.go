// Package results is the format of a run directory's results.json
// (DESIGN.md, contract): the verdict, the seed and options that reproduce
// the run, operation counts and every checker's result. harness/ writes it;
// reports/ and the campaign read it.
package results

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/verdict"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Results is results.json.
type Results struct {
	Valid    verdict.Validity          `json:"valid"`
	Seed     uint64                    `json:"seed"`
	Bug      string                    `json:"bug"`
	Nemesis  []string                  `json:"nemesis"`
	Bus      string                    `json:"bus,omitempty"`
	Stats    Stats                     `json:"stats"`
	Checkers map[string]verdict.Result `json:"checkers"`
	// Order lists the checker names in report order.
	Order []string `json:"order,omitempty"`
	// Anomalies lists the distinct anomaly types found.
	Anomalies []string `json:"anomalies"`
	// Command reproduces the run.
	Command  string   `json:"command,omitempty"`
	Schedule []Window `json:"schedule,omitempty"`
	// Marks counts the situations the run reached (coverage marks).
	Marks map[string]int `json:"marks,omitempty"`
}

// Window is one fault window of the run's schedule.
type Window struct {
	Fault  string        `json:"fault"`
	Target string        `json:"target"`
	Start  time.Duration `json:"start"`
	Stop   time.Duration `json:"stop"`
}

// Stats counts client operations by outcome.
type Stats struct {
	Ops  int `json:"ops"`
	OK   int `json:"ok"`
	Fail int `json:"fail"`
	Info int `json:"info"`
	// VirtualNS is the simulated duration of the run.
	VirtualNS int64 `json:"virtual_ns,omitempty"`
	// WallNS is how long the run took on the clock on the wall.
	WallNS int64 `json:"wall_ns,omitempty"`
}

// CountOps computes Stats over a history: ops are client invokes; an invoke
// never completed counts as info.
func CountOps(ops []history.Op) Stats {
	var s Stats
	for _, p := range history.Pairs(ops) {
		s.Ops++
		switch p.Outcome() {
		case vocab.TypeOK:
			s.OK++
		case vocab.TypeFail:
			s.Fail++
		default:
			s.Info++
		}
	}
	return s
}

// Write writes results.json into dir.
func (r Results) Write(dir string) error {
	if r.Nemesis == nil {
		r.Nemesis = []string{}
	}
	if r.Anomalies == nil {
		r.Anomalies = []string{}
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encode results: %w", err)
	}
	return os.WriteFile(filepath.Join(dir, "results.json"), append(b, '\n'), 0o644)
}

// Read reads a results.json.
func Read(path string) (Results, error) {
	var r Results
	b, err := os.ReadFile(path)
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return r, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}
