// Package verdict holds the three-valued results every checker returns:
// valid, invalid or unknown, with anomalies that name op indices and keys.
// It is a leaf: checker/ produces these values, harness/ and reports/
// consume them, and none of them has to import the others for the types.
package verdict

import (
	"encoding/json"
	"fmt"
)

// Validity is a three-valued verdict.
type Validity int8

const (
	Valid Validity = iota
	Unknown
	Invalid
)

func (v Validity) String() string {
	switch v {
	case Valid:
		return "valid"
	case Invalid:
		return "invalid"
	}
	return "unknown"
}

// MarshalJSON writes true, false or "unknown" (DESIGN.md results.json).
func (v Validity) MarshalJSON() ([]byte, error) {
	switch v {
	case Valid:
		return []byte("true"), nil
	case Invalid:
		return []byte("false"), nil
	}
	return []byte(`"unknown"`), nil
}

// UnmarshalJSON reads true, false or "unknown".
func (v *Validity) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case "true":
		*v = Valid
	case "false":
		*v = Invalid
	case `"unknown"`:
		*v = Unknown
	default:
		return fmt.Errorf("validity %s is not true, false or \"unknown\"", b)
	}
	return nil
}

// Merge returns the worse of two verdicts: invalid > unknown > valid.
func Merge(a, b Validity) Validity {
	if b > a {
		return b
	}
	return a
}

// Anomaly is one finding. Ops are history indices (of invokes and
// completions) that show it; Key is the order, SKU or account concerned.
type Anomaly struct {
	Type   string `json:"type"`
	Key    string `json:"key,omitempty"`
	Ops    []int  `json:"ops"`
	Detail string `json:"detail,omitempty"`
}

// Result is one checker's verdict.
type Result struct {
	Valid     Validity  `json:"valid"`
	Anomalies []Anomaly `json:"anomalies"`
	// Note explains an unknown verdict or states what was checked.
	Note string `json:"note,omitempty"`
	// Files are artifacts written into the output directory (e.g. porcupine's visualization).
	Files []string `json:"files,omitempty"`
}

// Invalidate appends an anomaly and marks the result invalid.
func (r *Result) Invalidate(a Anomaly) {
	if a.Ops == nil {
		a.Ops = []int{}
	}
	r.Anomalies = append(r.Anomalies, a)
	r.Valid = Invalid
}

// MarshalJSON makes Anomalies [] rather than null.
func (r Result) MarshalJSON() ([]byte, error) {
	type plain Result
	if r.Anomalies == nil {
		r.Anomalies = []Anomaly{}
	}
	return json.Marshal(plain(r))
}
