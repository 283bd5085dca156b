// Package checker judges a run: each checker takes the history (and the trace
// where it needs one) and returns a three-valued verdict (valid, invalid,
// unknown) with anomalies that name op indices and keys.
//
// It sits after workloads/ (history) and system/ (trace) and before reports/.
// It never imports system/: a checker that asked the system whether the
// system is right would prove nothing. Checkers are composed by name and
// merged as invalid > unknown > valid (Jepsen's checker/compose).
package checker
