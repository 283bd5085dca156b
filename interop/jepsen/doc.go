// Package jepsen imports histories recorded by Jepsen (history.edn) and
// judges them with this project's checkers, so that a team can check a
// Jepsen run with the same tools as its own runs (docs/JEPSEN-EDN.md).
//
// It sits beside workloads/ as another source of histories: Read parses the
// EDN with olympos.io/encoding/edn (scan.go only finds where each record
// starts, for errors that name a line), Check prepares the ops as Knossos
// does (pairs.go, linear.go) and judges register, cas-register and
// multi-register histories for linearizability with porcupine and the
// models of model/register_porcupine.go, and kafka / queue histories with
// checker/logcheck (kafka.go). testdata/ holds histories from Knossos and
// Jepsen with the verdicts Jepsen gives them.
package jepsen
