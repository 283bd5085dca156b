package crosscheck

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/jepsen-lite/jepsen-lite/formal"
)

// Golden files (spec/golden/crosscheck/), written by the live tests with
// -update from real tool runs.
const (
	TLCGoldenPath   = "golden/crosscheck/tlc-graphs.json"  // under spec/
	MCRL2GoldenPath = "golden/crosscheck/mcrl2-bisim.json" // under spec/
)

// Provenance says which tool, of which version, produced a golden from
// which inputs (path relative to spec/ -> sha256), as formal.Golden does.
type Provenance struct {
	Tool    string            `json:"tool"`
	Version string            `json:"version"`
	Command string            `json:"command"`
	Inputs  map[string]string `json:"inputs"`
}

// Stale lists the inputs under specDir that changed since the golden was
// made (formal.Golden.Stale); none means the golden is current.
func (p Provenance) Stale(specDir string) ([]string, error) {
	return formal.Golden{Tool: p.Tool, Version: p.Version, Inputs: p.Inputs}.Stale(specDir)
}

// TLCGolden records TLC's state graph of every config as a Summary.
type TLCGolden struct {
	Provenance
	Graphs map[string]Summary `json:"graphs"`
}

// MCRL2Golden records ltscompare's verdict per config with the hashes of
// both compared LTSs.
type MCRL2Golden struct {
	Provenance
	Results map[string]BisimResult `json:"results"`
}

// readJSON reads a golden file.
func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	return nil
}

// writeJSON writes a golden file (indented; map keys sorted by encoding/json).
func writeJSON(path string, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// ReadTLCGolden reads spec/golden/crosscheck/tlc-graphs.json.
func ReadTLCGolden(specDir string) (TLCGolden, error) {
	var g TLCGolden
	err := readJSON(filepath.Join(specDir, TLCGoldenPath), &g)
	return g, err
}

// WriteTLCGolden writes it.
func WriteTLCGolden(specDir string, g TLCGolden) error {
	return writeJSON(filepath.Join(specDir, TLCGoldenPath), g)
}

// ReadMCRL2Golden reads spec/golden/crosscheck/mcrl2-bisim.json.
func ReadMCRL2Golden(specDir string) (MCRL2Golden, error) {
	var g MCRL2Golden
	err := readJSON(filepath.Join(specDir, MCRL2GoldenPath), &g)
	return g, err
}

// WriteMCRL2Golden writes it.
func WriteMCRL2Golden(specDir string, g MCRL2Golden) error {
	return writeJSON(filepath.Join(specDir, MCRL2GoldenPath), g)
}
