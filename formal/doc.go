// Package formal runs the formal models of spec/ with the real tools — TLC
// for spec/tla and the mCRL2 toolset for spec/mcrl2 — parses their verdicts,
// state counts and counterexamples, and compares them: per config and
// property, TLC's verdict beside mCRL2's. It finds the tools through
// TLA2TOOLS_JAR and MCRL2_BIN or PATH and reports clearly when they are
// missing; results of real runs are kept as golden files with the sha256 of
// every input, so a spec changed without re-running the tools is caught.
package formal
