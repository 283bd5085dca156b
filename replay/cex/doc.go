// Package cex reads the counterexamples the model checkers found back into
// the Go model (model/saga): TLC's -dumpTrace json (ReadTLC) and mCRL2's
// shortest paths (formal.MCRL2Trace, ReadMCRL2), as the steps, with all
// their arguments, and the states of a behaviour of the model. TLC prints
// wrapper actions (Deliver, OrdersDecide, Duplicate, CrashAfterCommit)
// without their arguments, so each step is recovered as the model
// successor that reaches the state TLC printed.
//
// It sits between formal/ (the tools' results) and replay/ (which turns a
// counterexample into a simulator run) and imports neither the harness nor
// the system, so its parsers fuzz quickly.
package cex
