package reports

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/results"
	"github.com/jepsen-lite/jepsen-lite/verdict"
)

// stdJUnit is the JUnit XML schema as CI systems read it (the Ant/Jenkins
// junit-10 XSD subset: testsuites > testsuite > testcase with failure,
// skipped, error), written here independently of junit.go so the test
// does not just read back what the writer's own structs wrote.
type stdJUnit struct {
	XMLName xml.Name `xml:"testsuites"`
	Suites  []struct {
		Name       string `xml:"name,attr"`
		Tests      int    `xml:"tests,attr"`
		Failures   int    `xml:"failures,attr"`
		Errors     int    `xml:"errors,attr"`
		Skipped    int    `xml:"skipped,attr"`
		Time       string `xml:"time,attr"`
		Properties []struct {
			Name  string `xml:"name,attr"`
			Value string `xml:"value,attr"`
		} `xml:"properties>property"`
		Cases []struct {
			Classname string `xml:"classname,attr"`
			Name      string `xml:"name,attr"`
			Time      string `xml:"time,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Skipped *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
			Error     *struct{} `xml:"error"`
			SystemOut string    `xml:"system-out"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func parseJUnit(t *testing.T, b []byte) stdJUnit {
	t.Helper()
	var j stdJUnit
	if err := xml.Unmarshal(b, &j); err != nil {
		t.Fatalf("junit.xml does not parse: %v\n%s", err, b)
	}
	if len(j.Suites) != 1 || j.Suites[0].Name != "jepsen-lite" {
		t.Fatalf("want one testsuite named jepsen-lite, got %d", len(j.Suites))
	}
	return j
}

func TestJUnitParsesWithOneCasePerChecker(t *testing.T) {
	dir, _ := renderFixture(t, "small")
	b, err := os.ReadFile(filepath.Join(dir, JUnitFile))
	if err != nil {
		t.Fatal(err)
	}
	s := parseJUnit(t, b).Suites[0]
	if s.Tests != 3 || s.Failures != 1 || s.Skipped != 1 || s.Errors != 0 || s.Time != "0.060" {
		t.Errorf("suite tests=%d failures=%d skipped=%d errors=%d time=%s, want 3 1 1 0 0.060",
			s.Tests, s.Failures, s.Skipped, s.Errors, s.Time)
	}
	byName := map[string]int{}
	for i, c := range s.Cases {
		byName[c.Name] = i
		if c.Classname != "jepsen-lite.no-dedup" {
			t.Errorf("case %s classname %q, want jepsen-lite.no-dedup", c.Name, c.Classname)
		}
	}
	inv := s.Cases[byName["exactly-once"]]
	if inv.Failure == nil || inv.Failure.Message != "2 anomalies: duplicate-effect" {
		t.Fatalf("exactly-once failure = %+v, want message \"2 anomalies: duplicate-effect\"", inv.Failure)
	}
	for _, want := range []string{"duplicate-effect key=o-1 ops=[2 3]", "<script>alert('detail')</script>",
		"reproduce: jepsen-lite run --seed 42"} {
		if !strings.Contains(inv.Failure.Text, want) {
			t.Errorf("failure text lacks %q:\n%s", want, inv.Failure.Text)
		}
	}
	unk := s.Cases[byName["linearizable"]]
	if unk.Skipped == nil || !strings.Contains(unk.Skipped.Message, "search timed out") || unk.Failure != nil {
		t.Errorf("linearizable (unknown) = %+v, want skipped with its note", unk)
	}
	if val := s.Cases[byName["conservation"]]; val.Failure != nil || val.Skipped != nil {
		t.Error("conservation (valid) must pass")
	}
	if s.Cases[0].Name != "exactly-once" {
		t.Errorf("first case %s, want the invalid checker first", s.Cases[0].Name)
	}
}

func TestJUnitWithoutCheckersIsNotAnEmptyGreenSuite(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, results.Results{Valid: verdict.Invalid}); err != nil {
		t.Fatal(err)
	}
	s := parseJUnit(t, buf.Bytes()).Suites[0]
	if s.Tests != 1 || s.Failures != 1 || s.Cases[0].Classname != "jepsen-lite.correct" {
		t.Errorf("tests=%d failures=%d class=%s, want one failing case of jepsen-lite.correct", s.Tests, s.Failures, s.Cases[0].Classname)
	}
}

func TestJUnitReplacesCharactersXMLForbids(t *testing.T) {
	r := results.Results{Valid: verdict.Invalid, Checkers: map[string]verdict.Result{
		"c": {Valid: verdict.Invalid, Anomalies: []verdict.Anomaly{{Type: "t", Detail: "bell \x07 and ]]> end"}}}}}
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, r); err != nil {
		t.Fatal(err)
	}
	s := parseJUnit(t, buf.Bytes()).Suites[0]
	if txt := s.Cases[0].Failure.Text; !strings.Contains(txt, "bell \uFFFD and ]]> end") {
		t.Errorf("failure text %q", txt)
	}
}
