package jepsen

import (
	"slices"
	"strings"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/verdict"
)

// A history shaped as Jepsen's kafka workload writes one: nemesis ops,
// subscribe with a rebalance log, a crashed client, :debug-topic-partitions,
// integer keys and values, and final polls that read everything.
const kafkaRun = `{:index 0, :time 100, :type :invoke, :process 0, :f :subscribe, :value [0 1]}
{:index 1, :time 200, :type :ok, :process 0, :f :subscribe, :value [0 1]}
{:index 2, :time 300, :type :invoke, :process 1, :f :send, :value [[:send 0 10] [:send 1 11]]}
{:index 3, :time 400, :type :info, :process :nemesis, :f :start-partition, :value :majority}
{:index 4, :time 500, :type :ok, :process 1, :f :send, :value [[:send 0 [0 10]] [:send 1 [0 11]]]}
{:index 5, :time 600, :type :invoke, :process 2, :f :send, :value [[:send 0 12]]}
{:index 6, :time 700, :type :info, :process 2, :f :send, :value [[:send 0 12]], :error [:timeout]}
{:index 7, :time 800, :type :invoke, :process 0, :f :poll, :value [[:poll]]}
{:index 8, :time 900, :type :ok, :process 0, :f :poll, :value [[:poll {0 [[0 10] [1 12]], 1 [[0 11]]}]], :rebalance-log [{:keys [0 1]}]}
{:index 9, :time 1000, :type :invoke, :process 3, :f :crash, :value nil}
{:index 10, :time 1100, :type :info, :process 3, :f :crash, :value nil}
{:index 11, :time 1200, :type :invoke, :process 4, :f :debug-topic-partitions, :value [0 1]}
{:index 12, :time 1300, :type :info, :process 4, :f :debug-topic-partitions, :value [0 1]}
{:index 13, :time 1400, :type :info, :process :nemesis, :f :stop-partition, :value nil}
{:index 14, :time 1500, :type :invoke, :process 5, :f :txn, :value [[:send 1 13] [:poll]]}
{:index 15, :time 1600, :type :ok, :process 5, :f :txn, :value [[:send 1 [1 13]] [:poll {0 [[0 10] [1 12]]}]]}
{:index 16, :time 1700, :type :invoke, :process 0, :f :poll, :value [[:poll]]}
{:index 17, :time 1800, :type :ok, :process 0, :f :poll, :value [[:poll {1 [[1 13]]}]]}
`

func TestKafkaJepsenShapedHistory(t *testing.T) {
	h, err := Read(strings.NewReader(kafkaRun), "kafka.edn")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Check(h, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Model != ModelKafka || rep.Result.Valid != verdict.Valid {
		t.Fatalf("%s: %s %v %s", rep.Model, rep.Result.Valid, rep.Result.Anomalies, rep.Result.Note)
	}
	for _, want := range []string{"subscribe mode", "2 client ops with other :f values skipped", "cycle anomalies"} {
		if !strings.Contains(rep.Result.Note, want) {
			t.Errorf("note %q lacks %q", rep.Result.Note, want)
		}
	}
	// Drop the final poll of key 1: the ok send of 13 is now unseen, and
	// Jepsen counts unseen as an error.
	cut := kafkaRun[:strings.Index(kafkaRun, "{:index 16")]
	h, _ = Read(strings.NewReader(cut), "kafka.edn")
	rep, err = Check(h, Options{})
	if err != nil || rep.Result.Valid != verdict.Invalid || rep.Result.Anomalies[0].Type != "unseen" {
		t.Fatalf("without the final poll: %v %s %v", err, rep.Result.Valid, rep.Result.Anomalies)
	}
	// A failed send that a poll read is G1a, named by Jepsen's :index.
	g1a := strings.Replace(kafkaRun, ":type :info, :process 2, :f :send", ":type :fail, :process 2, :f :send", 1)
	h, _ = Read(strings.NewReader(g1a), "kafka.edn")
	rep, err = Check(h, Options{})
	if err != nil || rep.Result.Valid != verdict.Invalid {
		t.Fatalf("G1a: %v %s", err, rep.Result.Valid)
	}
	found := false
	for _, a := range rep.Result.Anomalies {
		if a.Type == "G1a" && slices.Contains(a.Ops, 8) {
			found = true
		}
	}
	if !found {
		t.Fatalf("no G1a naming the poll at :index 8: %v", rep.Result.Anomalies)
	}
}
