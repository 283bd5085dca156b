package reports

import (
	"encoding/json"
	"os"
	"path/filepath"
)

// FormalFile is the run's trace-validation record (checker/tracemodel
// writes it; its type is mirrored here: reports imports no producer).
const FormalFile = "formal.json"

// formalView is formal.json as the page's "Formal" section shows it.
type formalView struct {
	Model       string   `json:"model"`
	Config      string   `json:"config"`
	Projection  string   `json:"projection"`
	ExplainedBy []string `json:"explained_by"`
	Tools       []struct {
		Tool     string  `json:"tool"`
		Result   string  `json:"result"`
		Orders   int     `json:"orders"`
		Accepted int     `json:"accepted"`
		Rejected int     `json:"rejected"`
		Unknown  int     `json:"unknown"`
		Seconds  float64 `json:"seconds"`
		Note     string  `json:"note"`
	} `json:"tools"`
}

// loadFormal reads DIR/formal.json; nil when absent or unreadable (the
// section is then left out; the checker's note still says what was done).
func loadFormal(dir string) *formalView {
	b, err := os.ReadFile(filepath.Join(dir, FormalFile))
	if err != nil {
		return nil
	}
	var f formalView
	if json.Unmarshal(b, &f) != nil {
		return nil
	}
	return &f
}
