package reports

import (
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/jepsen-lite/jepsen-lite/results"
	"github.com/jepsen-lite/jepsen-lite/verdict"
)

// junitAnomaliesMax caps the anomalies written into one failure's text:
// CI pages show the text inline, and the full list is in results.json.
const junitAnomaliesMax = 10

// The JUnit XML schema as CI systems read it (Jenkins, GitLab, GitHub
// reporters): a <testsuites> root with one <testsuite>, as go-junit-report
// writes it. Counts are attributes; the verdict of a case is the presence
// of <failure> or <skipped>.
type (
	junitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Name     string       `xml:"name,attr"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Errors   int          `xml:"errors,attr"`
		Skipped  int          `xml:"skipped,attr"`
		Time     string       `xml:"time,attr"`
		Suites   []junitSuite `xml:"testsuite"`
	}
	junitSuite struct {
		Name       string          `xml:"name,attr"`
		Tests      int             `xml:"tests,attr"`
		Failures   int             `xml:"failures,attr"`
		Errors     int             `xml:"errors,attr"`
		Skipped    int             `xml:"skipped,attr"`
		Time       string          `xml:"time,attr"`
		Properties []junitProperty `xml:"properties>property"`
		Cases      []junitCase     `xml:"testcase"`
	}
	junitProperty struct {
		Name  string `xml:"name,attr"`
		Value string `xml:"value,attr"`
	}
	junitCase struct {
		Classname string        `xml:"classname,attr"`
		Name      string        `xml:"name,attr"`
		Time      string        `xml:"time,attr"`
		Failure   *junitFailure `xml:"failure,omitempty"`
		Skipped   *junitSkipped `xml:"skipped,omitempty"`
		SystemOut *junitText    `xml:"system-out,omitempty"`
	}
	junitFailure struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		// Text is CDATA so its lines stay lines in the file (chardata
		// would write every newline as &#xA;).
		Text string `xml:",cdata"`
	}
	junitText struct {
		Text string `xml:",cdata"`
	}
	junitSkipped struct {
		Message string `xml:"message,attr"`
	}
)

// WriteJUnit writes junit.xml: one test suite "jepsen-lite" with one test
// case per checker, classname "jepsen-lite.<bug or correct>", so a CI
// matrix of bug switches groups by switch. Invalid is a failure, unknown
// is skipped (it was not decided, which is not a pass), valid passes.
func WriteJUnit(w io.Writer, r results.Results) error {
	s := junitSuite{Name: "jepsen-lite", Time: junitTime(r.Stats), Properties: junitProps(r)}
	class := "jepsen-lite." + runLabel(r)
	for _, c := range orderedCheckers(r) {
		s.Cases = append(s.Cases, junitCaseOf(class, c.Name, c.Result, r.Command))
	}
	if len(s.Cases) == 0 {
		// A run with no checker results must not show as an empty, green
		// suite: report the overall verdict as the one case.
		s.Cases = append(s.Cases, junitCaseOf(class, "verdict", verdict.Result{Valid: r.Valid,
			Note: "results.json has no checker results"}, r.Command))
	}
	for _, c := range s.Cases {
		s.Tests++
		if c.Failure != nil {
			s.Failures++
		}
		if c.Skipped != nil {
			s.Skipped++
		}
	}
	doc := junitSuites{Name: "jepsen-lite", Tests: s.Tests, Failures: s.Failures, Skipped: s.Skipped,
		Time: s.Time, Suites: []junitSuite{s}}
	return encodeJUnit(w, doc)
}

// encodeJUnit writes the XML header and the document.
func encodeJUnit(w io.Writer, doc junitSuites) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("%s: %v", JUnitFile, err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("%s: %v", JUnitFile, err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func junitCaseOf(class, name string, res verdict.Result, command string) junitCase {
	c := junitCase{Classname: class, Name: name, Time: "0"}
	if res.Note != "" {
		c.SystemOut = &junitText{xmlSafe(res.Note)}
	}
	switch res.Valid {
	case verdict.Invalid:
		var types []string
		for _, a := range res.Anomalies {
			if !slices.Contains(types, a.Type) {
				types = append(types, a.Type)
			}
		}
		var b strings.Builder
		for i, a := range res.Anomalies {
			if i == junitAnomaliesMax {
				fmt.Fprintf(&b, "... %d more anomalies in results.json\n", len(res.Anomalies)-i)
				break
			}
			b.WriteString(anomalyLine(a) + "\n")
		}
		if command != "" {
			fmt.Fprintf(&b, "reproduce: %s\n", command)
		}
		c.Failure = &junitFailure{Message: fmt.Sprintf("%d anomalies: %s", len(res.Anomalies), strings.Join(types, ", ")),
			Type: strings.Join(types, ","), Text: xmlSafe(b.String())}
	case verdict.Unknown:
		note := res.Note
		if note == "" {
			note = "the checker could not decide and gave no reason"
		}
		c.Skipped = &junitSkipped{Message: "unknown verdict: " + note}
	}
	return c
}

// junitTime is the suite's duration in seconds: wall time when recorded,
// else the simulated run time, which is at least the run's length.
func junitTime(s results.Stats) string {
	ns := s.WallNS
	if ns == 0 {
		ns = s.VirtualNS
	}
	return strconv.FormatFloat(float64(ns)/1e9, 'f', 3, 64)
}

// junitProps records what reproduces the run, so a CI page alone suffices.
func junitProps(r results.Results) []junitProperty {
	return []junitProperty{
		{"valid", r.Valid.String()},
		{"seed", strconv.FormatUint(r.Seed, 10)},
		{"bug", runLabel(r)},
		{"nemesis", listOr(r.Nemesis, "none")},
		{"bus", orNone(r.Bus)},
		{"command", r.Command},
	}
}

// xmlSafe replaces the characters XML 1.0 forbids (most control
// characters) with U+FFFD. encoding/xml does this for attributes and
// chardata but writes CDATA as given, and a history value can hold anything.
func xmlSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return r
		case r < 0x20 || r == 0xFFFE || r == 0xFFFF || (r >= 0xD800 && r <= 0xDFFF):
			return '\uFFFD'
		}
		return r
	}, s)
}
