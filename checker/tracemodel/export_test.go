package tracemodel

import "github.com/jepsen-lite/jepsen-lite/model/saga"

// ValidateConfig is validate, for tests that switch on a model mutation.
func ValidateConfig(cfg saga.Config, p *Projection) Verdict { return validate(cfg, p) }
