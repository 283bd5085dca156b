package harness

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/faults"
	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Results is results.json (DESIGN.md, run directory contract).
type Results struct {
	Valid    checker.Validity          `json:"valid"`
	Seed     uint64                    `json:"seed"`
	Bug      string                    `json:"bug"`
	Nemesis  []string                  `json:"nemesis"`
	Bus      string                    `json:"bus,omitempty"`
	Stats    Stats                     `json:"stats"`
	Checkers map[string]checker.Result `json:"checkers"`
	// Anomalies lists the distinct anomaly types found, most serious first.
	Anomalies []string `json:"anomalies"`
	// Command reproduces the run.
	Command  string          `json:"command,omitempty"`
	Schedule faults.Schedule `json:"schedule,omitempty"`
}

// Stats counts client operations by outcome.
type Stats struct {
	Ops  int `json:"ops"`
	OK   int `json:"ok"`
	Fail int `json:"fail"`
	Info int `json:"info"`
	// VirtualNS is the simulated duration of the run.
	VirtualNS int64 `json:"virtual_ns,omitempty"`
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

// NewResults assembles results from a checker report.
func NewResults(rep checker.Report, ops []history.Op) Results {
	nem := []string{}
	return Results{Valid: rep.Valid, Nemesis: nem, Stats: CountOps(ops), Checkers: rep.Checkers,
		Anomalies: rep.AnomalyTypes()}
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

// ReadResults reads a results.json.
func ReadResults(path string) (Results, error) {
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
