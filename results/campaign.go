package results

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/jepsen-lite/jepsen-lite/verdict"
)

// Campaign is a campaign directory's results.json.
type Campaign struct {
	Valid   verdict.Validity `json:"valid"`
	Bug     string           `json:"bug"`
	Runs    []CampaignRun    `json:"runs"`
	Stopped bool             `json:"stopped_early"`
	WallNS  int64            `json:"wall_ns"`
	// Marks sums the coverage marks of every run; Never lists those no run reached.
	Marks  map[string]int `json:"marks"`
	Never  []string       `json:"never_reached"`
	Shrunk *Shrunk        `json:"shrunk,omitempty"`
	// Command reruns the campaign.
	Command string `json:"command,omitempty"`
}

// CampaignRun is one run of a campaign.
type CampaignRun struct {
	Seed      uint64           `json:"seed"`
	Nemesis   []string         `json:"nemesis"`
	Valid     verdict.Validity `json:"valid"`
	Anomalies []string         `json:"anomalies"`
	Ops       int              `json:"ops"`
	WallNS    int64            `json:"wall_ns"`
	Dir       string           `json:"dir,omitempty"` // kept run directory (failing runs)
	Command   string           `json:"command"`
	Marks     map[string]int   `json:"marks,omitempty"`
}

// Shrunk is a smaller reproducer of a failing run.
type Shrunk struct {
	Anomaly        string `json:"anomaly"`
	Original       string `json:"original"`
	Command        string `json:"command"`
	OpsBefore      int    `json:"ops_before"`
	OpsAfter       int    `json:"ops_after"`
	WindowsBefore  int    `json:"windows_before"`
	WindowsAfter   int    `json:"windows_after"`
	Runs           int    `json:"runs"`
	BudgetExceeded bool   `json:"budget_exceeded,omitempty"`
}

// Write writes the campaign's results.json into dir.
func (c Campaign) Write(dir string) error {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return fmt.Errorf("encode campaign results: %w", err)
	}
	return os.WriteFile(filepath.Join(dir, "results.json"), append(b, '\n'), 0o644)
}

// IsCampaign reports whether a results.json is a campaign's (it has runs).
func IsCampaign(path string) bool {
	b, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	var probe struct {
		Runs json.RawMessage `json:"runs"`
	}
	return json.Unmarshal(b, &probe) == nil && len(probe.Runs) > 0
}

// ReadCampaign reads a campaign's results.json.
func ReadCampaign(path string) (Campaign, error) {
	var c Campaign
	b, err := os.ReadFile(path)
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}
