package checker

import vd "github.com/jepsen-lite/jepsen-lite/verdict"

// The verdict types live in the leaf package verdict so that reports/ can
// read them without importing the checkers that produce them.
type (
	Validity = vd.Validity
	Anomaly  = vd.Anomaly
	Result   = vd.Result
)

const (
	Valid   = vd.Valid
	Unknown = vd.Unknown
	Invalid = vd.Invalid
)

// Merge returns the worse of two verdicts: invalid > unknown > valid.
func Merge(a, b Validity) Validity { return vd.Merge(a, b) }
