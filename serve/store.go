package serve

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/jepsen-lite/jepsen-lite/results"
)

// Run is one run (or campaign) directory of the store, as the list shows it.
type Run struct {
	// ID is the directory's path relative to the store, slash-separated;
	// "." for the store itself.
	ID       string    `json:"id"`
	Campaign bool      `json:"campaign"`
	Verdict  string    `json:"verdict"` // valid, invalid or unknown
	Seed     uint64    `json:"seed"`
	Nemesis  []string  `json:"nemesis"`
	Bug      string    `json:"bug"`
	Time     time.Time `json:"time"` // results.json's modification time
	// Anomalies are the distinct anomaly types found.
	Anomalies []string `json:"anomalies"`
	// Ops counts the run's client operations; a campaign's, its runs.
	Ops     int    `json:"ops"`
	Command string `json:"command,omitempty"`
	// Files are the run's files the list links to, those that exist.
	Files []string `json:"files"`
	// Err is set when results.json could not be read; the run is listed
	// with verdict unknown so that a broken run is seen, not hidden.
	Err string `json:"error,omitempty"`
}

// resultsFile marks a run directory (DESIGN.md, run directory).
const resultsFile = "results.json"

// Limits of a scan (STYLE.md: a limit on everything).
const (
	scanDepthMax = 6     // directory levels below the store
	scanRunsMax  = 10000 // runs listed
)

// linkedFiles are the files of a run the list links to, in this order.
var linkedFiles = []string{"report.html", "history.jsonl", "history.edn", "results.json", "trace.ndjson", "junit.xml", "summary.md"}

// otherPagesMax bounds the extra pages linked per run.
const otherPagesMax = 20

// otherPages lists a run's other HTML files (porcupine's visualizations of
// failing keys), sorted, at most otherPagesMax.
func otherPages(dir string) []string {
	entries, _ := os.ReadDir(dir) // sorted by name
	var out []string
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || !strings.HasSuffix(name, ".html") || slices.Contains(linkedFiles, name) {
			continue
		}
		if out = append(out, name); len(out) == otherPagesMax {
			break
		}
	}
	return out
}

// scan finds every directory under root holding a results.json, newest
// first. It does not follow symbolic links (filepath.WalkDir does not), so a
// link out of the store lists nothing from outside it.
func scan(root string) ([]Run, error) {
	var runs []Run
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			return nil // an unreadable subdirectory: skip it
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() && rel != "." && strings.Count(filepath.ToSlash(rel), "/") >= scanDepthMax {
			return filepath.SkipDir
		}
		if d.IsDir() || d.Name() != resultsFile || !d.Type().IsRegular() {
			return nil
		}
		if len(runs) == scanRunsMax {
			return filepath.SkipAll
		}
		runs = append(runs, readRun(root, filepath.Dir(p)))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store %s: %v", root, err)
	}
	slices.SortStableFunc(runs, func(a, b Run) int {
		if c := b.Time.Compare(a.Time); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return runs, nil
}

// readRun reads one run directory's results.json.
func readRun(root, dir string) Run {
	rel, _ := filepath.Rel(root, dir)
	r := Run{ID: filepath.ToSlash(rel), Verdict: "unknown", Nemesis: []string{}, Anomalies: []string{}}
	file := filepath.Join(dir, resultsFile)
	if fi, err := os.Stat(file); err == nil {
		r.Time = fi.ModTime()
	}
	for _, f := range linkedFiles {
		if fi, err := os.Lstat(filepath.Join(dir, f)); err == nil && fi.Mode().IsRegular() {
			r.Files = append(r.Files, f)
		}
	}
	r.Files = append(r.Files, otherPages(dir)...)
	if results.IsCampaign(file) {
		c, err := results.ReadCampaign(file)
		if err != nil {
			r.Err = oneLine(err)
			return r
		}
		r.Campaign, r.Verdict, r.Bug, r.Command, r.Ops = true, c.Valid.String(), c.Bug, c.Command, len(c.Runs)
		for _, run := range c.Runs { // the campaign shows what its runs found
			for _, a := range run.Anomalies {
				if !slices.Contains(r.Anomalies, a) {
					r.Anomalies = append(r.Anomalies, a)
				}
			}
			for _, n := range run.Nemesis {
				if !slices.Contains(r.Nemesis, n) {
					r.Nemesis = append(r.Nemesis, n)
				}
			}
		}
		slices.Sort(r.Anomalies)
		return r
	}
	res, err := results.Read(file)
	if err != nil {
		r.Err = oneLine(err)
		return r
	}
	r.Verdict, r.Seed, r.Bug, r.Ops, r.Command = res.Valid.String(), res.Seed, res.Bug, res.Stats.Ops, res.Command
	if res.Nemesis != nil {
		r.Nemesis = res.Nemesis
	}
	if res.Anomalies != nil {
		r.Anomalies = res.Anomalies
	}
	return r
}

func oneLine(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("results.json: bad JSON at byte %d", se.Offset)
	}
	return strings.ReplaceAll(err.Error(), "\n", " ")
}

// Filter selects runs by the list's query parameters; empty fields match all.
type Filter struct {
	Verdict string // valid, invalid, unknown
	Bug     string // exact bug name; "none" for runs without a bug
	Nemesis string // a fault the run injected
	Anomaly string // an anomaly type found
	Q       string // a substring of the run's ID
}

// Match reports whether r passes f.
func (f Filter) Match(r Run) bool {
	switch {
	case f.Verdict != "" && r.Verdict != f.Verdict:
	case f.Bug == "none" && r.Bug != "":
	case f.Bug != "" && f.Bug != "none" && r.Bug != f.Bug:
	case f.Nemesis != "" && !slices.Contains(r.Nemesis, f.Nemesis):
	case f.Anomaly != "" && !slices.Contains(r.Anomalies, f.Anomaly):
	case f.Q != "" && !strings.Contains(r.ID, f.Q):
	default:
		return true
	}
	return false
}

// fileURL is the URL of a file of a run, each segment escaped.
func fileURL(id, name string) string {
	return (&url.URL{Path: "/files/" + path.Join(id, name)}).EscapedPath()
}
