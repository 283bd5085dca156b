// Package serve is the local web server of `jepsen-lite serve`: it lists the
// runs found under a store directory (every directory holding a
// results.json: single runs and campaigns), newest first and filterable, and
// serves each run's report.html, history and results (docs/SERVE.md).
//
// It sits after reports/, reading what runs wrote; it produces no verdict.
// It is built to be safe on a developer's machine: it binds loopback by
// default and answers only loopback host names, serves no file outside the
// store (files.go: no "..", no absolute paths, no symbolic link out), renders
// every value from runs with html/template, runs no script on its list page
// and sandboxes the HTML files it serves.
package serve
