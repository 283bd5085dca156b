package reports

import (
	"slices"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/results"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

func TestSkippableOnlySkipsKindsNotPlotted(t *testing.T) {
	cases := []struct {
		line string
		skip bool
	}{
		{`{"seq":0,"time":1,"kind":"append","events":[{"id":"e","data":{"kind":"publish"}}]}`, true},
		{`{"seq":0,"time":1,"kind":"deliver","node":"payment","ref":{"id":"e"}}`, true},
		{`{"seq":0,"kind":"handle","ref":{"id":"e"},"outcome":"applied"}`, true},
		{`{"seq":0,"kind":"handle","ref":{"id":"e"},"outcome":"retry"}`, false},
		{`{"seq":0,"kind":"commit","topic":"orders","offset":3}`, false},
		// kind after a nested value: the first "kind" seen is not the top-level one.
		{`{"events":[{"kind":"append"}],"kind":"publish"}`, false},
		{`{"node":"x\"kind\":\"append","kind":"dlq"}`, false},
		{`{"seq":0}`, false},
	}
	for _, c := range cases {
		if got := skippable([]byte(c.line)); got != c.skip {
			t.Errorf("skippable(%s) = %v, want %v", c.line, got, c.skip)
		}
	}
}

func TestFaultWindowsPreferWhatHappenedOverThePlan(t *testing.T) {
	nem := func(i int, fault, edge, target string, t int64) history.Op {
		return history.Op{Index: i, Type: vocab.TypeInfo, Process: vocab.NemesisProcess, F: vocab.FNemesis,
			Value: &history.Value{Fault: fault, Edge: edge, Target: target}, Time: t}
	}
	run := &Run{
		// Two overlapping windows of one fault on one target, and one
		// never closed: the stops close the oldest open start.
		Ops: []history.Op{nem(0, "delay", "start", "orders", 10), nem(1, "delay", "start", "orders", 20),
			nem(2, "delay", "stop", "orders", 30), nem(3, "delay", "stop", "orders", 40), nem(4, "crash", "start", "payment", 50)},
		Results: results.Results{Schedule: []results.Window{{Fault: "partition", Target: "x", Start: 1, Stop: 2}}},
	}
	got := faultWindows(run, 100)
	want := []window{{"delay", "orders", 10, 30}, {"delay", "orders", 20, 40}, {"crash", "payment", 50, 100}}
	if !slices.Equal(got, want) {
		t.Errorf("windows %v, want %v", got, want)
	}
	run.Ops = nil
	if got := faultWindows(run, 100); !slices.Equal(got, []window{{"partition", "x", 1, 2}}) {
		t.Errorf("without nemesis ops or fault events: %v, want the schedule", got)
	}
}

func TestConsumerLagIsPublishedMinusCommitted(t *testing.T) {
	tl := timeline{spanNS: 40, bucketNS: 10, n: 4}
	ev := []trace.Event{
		{Time: 1, Kind: trace.KindPublish, Topic: vocab.TopicOrders, Partition: 0, Offset: 0},
		{Time: 2, Kind: trace.KindPublish, Topic: vocab.TopicOrders, Partition: 1, Offset: 0},
		{Time: 3, Kind: trace.KindPublish, Topic: vocab.TopicOrders, Partition: 0, Offset: 1},
		{Time: 12, Kind: trace.KindCommit, Node: vocab.ServiceInventory, Topic: vocab.TopicOrders, Partition: 0, Offset: 2},
		{Time: 25, Kind: trace.KindCommit, Node: vocab.ServiceInventory, Topic: vocab.TopicOrders, Partition: 1, Offset: 1},
	}
	lag := map[string][]float64{}
	for _, l := range consumerLag(ev, tl) {
		lag[l.Service] = l.Values
	}
	// inventory: 3 behind, then 1 (peak of bucket 1 is the 3 it began with), then 0.
	if got := lag[vocab.ServiceInventory]; !slices.Equal(got, []float64{3, 3, 1, 0}) {
		t.Errorf("inventory lag %v, want [3 3 1 0]", got)
	}
	if got := lag[vocab.ServicePayment]; !slices.Equal(got, []float64{3, 3, 3, 3}) {
		t.Errorf("payment lag %v, want [3 3 3 3]: it never committed", got)
	}
	if got := lag[vocab.ServiceOrders]; !slices.Equal(got, []float64{0, 0, 0, 0}) {
		t.Errorf("orders lag %v: it does not consume the orders topic", got)
	}
}

func TestSampleKeepsTheSlowestOpAndTheBound(t *testing.T) {
	ps := make([]latencyPoint, 10000)
	for i := range ps {
		ps[i] = latencyPoint{t: int64(i), lat: 5}
	}
	ps[7777].lat = 1e9
	got := sample(ps, 400)
	if len(got) > 400 || len(got) < 300 {
		t.Errorf("%d points, want about 400 and at most 400", len(got))
	}
	if !slices.ContainsFunc(got, func(p latencyPoint) bool { return p.lat == 1e9 }) {
		t.Error("sampling dropped the slowest op")
	}
}

func TestTimelineBucketsAreRoundAndBounded(t *testing.T) {
	for _, span := range []int64{1, 999, 2_787_195_165, 3600e9} {
		tl := newTimeline(span)
		if tl.n > bucketsMax || int64(tl.n)*tl.bucketNS < span {
			t.Errorf("span %d: %d buckets of %d ns", span, tl.n, tl.bucketNS)
		}
	}
	if tl := newTimeline(2_787_195_165); tl.bucketNS != 10_000_000 {
		t.Errorf("a 2.8 s run has %d ns buckets, want 10 ms", tl.bucketNS)
	}
}
