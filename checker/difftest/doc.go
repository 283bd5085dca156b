// Package difftest cross-checks the checkers with the formal model
// (issue 6, point 6): it turns behaviours of model/saga — random walks of
// its Successors for the correct config and every bug config, each ended
// by a final phase of system steps until the model is quiet — into the
// history and trace the reference system would have written for them
// (Build), runs the checkers a run gets (Judge) and compares their
// anomalies with the model's invariants in the states the behaviour
// reached (ModelAnomalies, Compare). Mutated traces (a handle dropped, an
// effect appended twice, two handles swapped) get their model verdict by
// construction and from the trace validator (checker/tracemodel).
//
// Where checkers and model differ in scope by design, Compare encodes it
// (docs/REPLAY.md, "Differential checker tests"): invariants the model
// states on Quiet states are taken in the behaviour's last state only;
// a conflicting terminal may also read as a lost cancel; the stale-read
// checker may name what the linearizability checker names; conservation
// may be unknown while an order is not terminal. The model's strong-read
// invariant forgets refused cancels, so the client's observations are
// replayed in the model's order as well (observe.go).
//
// Disagreements found by rapid are shrunk and kept in testdata/*.json;
// TestRegressionCases replays them on every run.
package difftest
