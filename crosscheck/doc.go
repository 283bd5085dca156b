// Package crosscheck ties the Go model (model/saga) to the formal models of
// spec/: it proves, per config spec/tla/*.cfg, that
//
//   - the Go model's reachable state graph equals TLC's (-dump
//     dot,actionlabels): the same states, initial states and labelled
//     edges after canonicalisation (ParseTLCDot, FromSaga, Diff); and
//   - the Go model's LTS (saga.Graph.WriteAut) is branching-bisimilar to
//     mCRL2's (lps2lts) with the observation actions obs_status and violated
//     hidden, and strongly bisimilar when the Go side carries the same
//     observation loops (CompareMCRL2, via ltscompare).
//
// The comparisons run live when TLC / mCRL2 are installed (formal.FindTLC,
// formal.FindMCRL2) and otherwise against golden summaries of real runs in
// spec/golden/crosscheck/, which record the tool version and the sha256 of
// every input and fail when stale. It sits beside formal/ (which runs the
// tools for verdicts) and under checker/ (which validates traces against
// the Go model that this package ties to the specs). docs/CROSSCHECK.md is
// the user documentation.
package crosscheck
