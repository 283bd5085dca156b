package formal

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Parsers of the mCRL2 tools' outputs. Each takes the text a tool printed
// and returns what the runner needs or a one-line error; none panics
// (FuzzMCRL2Outputs).

// lpsLTSCounts is what lps2lts reports when it is done.
type lpsLTSCounts struct {
	Levels, States, Transitions int64
}

// lps2lts -v ends with "Done with state space generation (22 levels, 33012
// states and 180000 transitions)" (singular for 1; no levels with several
// threads or a depth-first search; other versions: lower case, thousands
// separators).
var reLTSDone = regexp.MustCompile(`(?i)done with state space generation \((?:([\d,.]+) levels?, )?([\d,.]+) states? and ([\d,.]+) transitions?\)`)

// parseLps2ltsDone finds the counts in lps2lts's verbose output.
func parseLps2ltsDone(out string) (lpsLTSCounts, error) {
	m := reLTSDone.FindAllStringSubmatch(out, -1)
	if m == nil {
		return lpsLTSCounts{}, fmt.Errorf("lps2lts: no \"done with state space generation\" line in its output: %s", LastLines(out, 3))
	}
	last := m[len(m)-1]
	var c lpsLTSCounts
	for i, p := range []*int64{&c.Levels, &c.States, &c.Transitions} {
		if last[i+1] == "" {
			continue // no levels
		}
		n, err := strconv.ParseInt(strings.NewReplacer(",", "", ".", "").Replace(last[i+1]), 10, 64)
		if err != nil {
			return lpsLTSCounts{}, fmt.Errorf("lps2lts: count %q: %v", last[i+1], err)
		}
		*p = n
	}
	return c, nil
}

// parsePbessolve reads pbessolve's answer: its stdout is "true" or "false"
// (on a line of its own; log lines go to stderr, but may be merged).
func parsePbessolve(out string) (bool, error) {
	lines := strings.Split(out, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		switch strings.TrimSpace(lines[i]) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
	}
	return false, fmt.Errorf("pbessolve: no true/false in its output: %s", LastLines(out, 3))
}

// parseMCRL2Version reads "<tool> mCRL2 toolset 202407.1 (Release)" (the
// first line of `<tool> --version`) and returns the part from "mCRL2".
func parseMCRL2Version(out string) (string, error) {
	first, _, _ := strings.Cut(strings.TrimSpace(out), "\n")
	i := strings.Index(first, "mCRL2")
	if i < 0 {
		return "", fmt.Errorf("mcrl2: no version in %q", oneLineOf(first, 120))
	}
	return strings.TrimSpace(first[i:]), nil
}

// toolError makes a tool's failure one line: the tool, its exit, and the
// lines of its output that say "error" (else its last lines).
func toolError(tool string, runErr error, out string) string {
	var errs []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(strings.ToLower(l), "error") {
			errs = append(errs, strings.TrimSpace(l))
		}
	}
	msg := LastLines(out, 3)
	if len(errs) > 0 {
		if len(errs) > 4 {
			errs = errs[:4]
		}
		msg = strings.Join(errs, " | ")
	}
	return oneLineOf(fmt.Sprintf("%s: %v: %s", tool, runErr, msg), 600)
}

// oneLineOf joins lines and cuts s to at most n bytes.
func oneLineOf(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		s = s[:n] + "…"
	}
	return s
}
