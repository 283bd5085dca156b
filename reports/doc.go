// Package reports renders a finished run for people: it reads a run
// directory (results.json, history.jsonl and, when present, trace.ndjson)
// and writes report.html, junit.xml and summary.md next to them
// (DESIGN.md, run directory contract).
//
// It is the last stage of workload → fault → history → checker → report.
// It renders results and never produces them: it imports only the formats
// (results/, verdict/, history/, trace/, vocab/) and the standard library,
// never the system, the simulator, the harness or the checkers. A report
// that asked a checker to recompute a verdict could disagree with the
// results.json it claims to show; this one shows exactly what was stored.
//
// The page follows STYLE.md point 7, "reports are for people first": the
// verdict and the reproduce command on top, the most serious checker first,
// anomalies capped per type with the history around each, and plots whose
// size is bounded however long the run was (points are sampled, rates are
// bucketed), so a 100k-op run still gives a page a browser opens at once.
//
// Render does the whole directory; WriteHTML, WriteJUnit and WriteSummary
// take parsed inputs so that a campaign can reuse them for its own pages.
package reports
