package harness

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/checker/logcheck"
)

// LogHistoryFile is the log history of a Kafka run in its run directory:
// what producers sent and consumers polled, in checker/logcheck's format.
const LogHistoryFile = "log-history.jsonl"

// KafkaLog is a Kafka run's log history, judged by checker/logcheck as the
// "log" checker beside the others.
type KafkaLog struct {
	History *logcheck.History
	// FinalPollsErr is why the final polls did not read every partition
	// to its end ("" when they did); unseen sends are then not judged.
	FinalPollsErr string
}

// logTolerated is what a correct run over kafka-go may show in its log:
// kafka-go has no idempotent producer, so a produce the broker applied but
// answered with a timeout is written again by the writer's retry (the
// duplicate nemesis provokes exactly that); consumers dedup by event ID.
var logTolerated = logcheck.Options{Mode: logcheck.ModeAssign,
	Tolerate: []string{logcheck.AnomalyDuplicate},
	Why:      "kafka-go has no idempotent producer: a produce applied but answered with a timeout is written again by its retry"}

// Checker returns the log checker of the run: consumers are in assign mode
// (transport/kafka reads explicit partitions), and unseen sends are judged
// when the final polls read every partition to its end.
func (k *KafkaLog) Checker() checker.Checker {
	opts := logTolerated
	opts.FinalPolls = k.FinalPollsErr == ""
	c, err := logcheck.New(k.History, opts)
	if err != nil {
		return unknownChecker{name: logcheck.Name, note: "log history not judged: " + err.Error()}
	}
	if k.FinalPollsErr != "" {
		return notedChecker{c, "final polls incomplete: " + k.FinalPollsErr}
	}
	return c
}

// JudgeRecorded judges a run: every checker of Judge, and the log checker
// when the run has a log history (a Kafka run).
func JudgeRecorded(rec *Recorded, in *checker.Input) checker.Report {
	cs := Checkers()
	if rec.Log != nil {
		cs = append(cs, rec.Log.Checker())
	}
	return checker.Run(in, cs)
}

// writeLog writes the log history into the run directory.
func writeLog(dir string, h *logcheck.History) error {
	if dir == "" {
		return nil
	}
	f, err := os.Create(filepath.Join(dir, LogHistoryFile))
	if err != nil {
		return err
	}
	return errors.Join(logcheck.Write(f, h.Ops), f.Close())
}

// ReadKafkaLog reads the log history beside a run's history.jsonl; it
// returns nil and no error when there is none (not a Kafka run).
func ReadKafkaLog(dir string) (*KafkaLog, error) {
	p := filepath.Join(dir, LogHistoryFile)
	if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	h, err := logcheck.ReadFile(p)
	if err != nil {
		return nil, err
	}
	k := &KafkaLog{History: h}
	if h.Truncated {
		k.FinalPollsErr = fmt.Sprintf("%s was cut off", p)
	}
	return k, nil
}

// unknownChecker reports unknown with a note: a checker that could not run.
type unknownChecker struct{ name, note string }

func (u unknownChecker) Name() string { return u.name }
func (u unknownChecker) Check(*checker.Input) checker.Result {
	return checker.Result{Valid: checker.Unknown, Note: u.note}
}

// notedChecker adds a sentence to another checker's note.
type notedChecker struct {
	checker.Checker
	note string
}

func (n notedChecker) Check(in *checker.Input) checker.Result {
	r := n.Checker.Check(in)
	r.Note = n.note + "; " + r.Note
	return r
}
