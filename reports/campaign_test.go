package reports

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/results"
	"github.com/jepsen-lite/jepsen-lite/verdict"
)

func sampleCampaign() results.Campaign {
	return results.Campaign{
		Valid: verdict.Invalid, Bug: "no-dedup",
		Runs: []results.CampaignRun{
			{Seed: 1, Nemesis: []string{"crash"}, Valid: verdict.Valid, Command: "jepsen-lite run --seed 1"},
			{Seed: 2, Nemesis: []string{"crash"}, Valid: verdict.Invalid, Anomalies: []string{"duplicate-effect"}, Command: "jepsen-lite run --seed 2 <x>"},
			{Seed: 3, Nemesis: nil, Valid: verdict.Unknown, Command: "jepsen-lite run --seed 3"},
		},
		Marks: map[string]int{"occ-conflict": 3, "dead-letter": 0},
		Never: []string{"dead-letter"},
	}
}

// The campaign page shows the verdict, a row per fault mix, the never
// reached marks flagged, and escapes what it renders.
func TestCampaignHTML(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCampaignHTML(&b, "/tmp/c", sampleCampaign()); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, want := range []string{"INVALID", "<td>crash</td>", "<td>none</td>", "never reached", "seed 2 &lt;x&gt;"} {
		if !strings.Contains(page, want) {
			t.Errorf("campaign page lacks %q", want)
		}
	}
	if strings.Contains(page, "seed 2 <x>") {
		t.Error("campaign page does not escape commands")
	}
}

// One JUnit test case per run: failures and skips counted.
func TestCampaignJUnit(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCampaignJUnit(&b, sampleCampaign()); err != nil {
		t.Fatal(err)
	}
	var doc junitSuites
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("junit.xml does not parse: %v", err)
	}
	if doc.Tests != 3 || doc.Failures != 1 || doc.Skipped != 1 || len(doc.Suites[0].Cases) != 3 {
		t.Fatalf("tests %d failures %d skipped %d cases %d", doc.Tests, doc.Failures, doc.Skipped, len(doc.Suites[0].Cases))
	}
	var s bytes.Buffer
	if err := WriteCampaignSummary(&s, sampleCampaign()); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s.String(), "**INVALID**") || !strings.Contains(s.String(), "Never reached: dead-letter") {
		t.Fatalf("summary:\n%s", s.String())
	}
}
