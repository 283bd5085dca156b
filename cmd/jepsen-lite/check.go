package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/harness"
	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/results"
	"github.com/jepsen-lite/jepsen-lite/trace"
)

func cmdCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	tracePath := fs.String("trace", "", "trace.ndjson of the run (default: beside the history, if present)")
	format := fs.String("format", "jsonl", "history format: jsonl")
	out := fs.String("out", "", "directory for results.json and visualizations (default: none written)")
	pos, err := parseFlags(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		printDefaults(fs, stdout, "check HISTORY [--trace TRACE] [--format jsonl] [--out DIR]")
		return exitValid
	}
	switch {
	case err != nil:
	case len(pos) != 1:
		err = fmt.Errorf("check: want exactly one HISTORY argument, got %d", len(pos))
	case *format == "jepsen-edn":
		err = fmt.Errorf("check: --format jepsen-edn: not supported in this version; use jsonl")
	case *format != "jsonl":
		err = fmt.Errorf("check: --format %q: want jsonl", *format)
	}
	if err != nil {
		fmt.Fprintf(stderr, "jepsen-lite %v\n", err)
		return exitUsage
	}
	hist, err := history.ReadFile(pos[0])
	if err != nil {
		fmt.Fprintf(stderr, "jepsen-lite check: %v\n", err)
		return exitData
	}
	in := &checker.Input{Ops: hist.Ops, HistoryTruncated: hist.Truncated, OutDir: *out}
	if *tracePath == "" {
		if p := filepath.Join(filepath.Dir(pos[0]), "trace.ndjson"); fileExists(p) {
			*tracePath = p
		}
	}
	if *tracePath != "" {
		evs, truncated, err := trace.ReadFile(*tracePath)
		if err != nil {
			fmt.Fprintf(stderr, "jepsen-lite check: %v\n", err)
			return exitData
		}
		in.Trace, in.TraceTruncated = evs, truncated
		if in.Trace == nil {
			in.Trace = []trace.Event{}
		}
	}
	if hist.Truncated {
		fmt.Fprintf(stdout, "note: %s ends with an incomplete line (a killed run); judged the %d complete ops\n", pos[0], len(hist.Ops))
	}
	klog, err := harness.ReadKafkaLog(filepath.Dir(pos[0])) // a Kafka run's log history, if any
	if err != nil {
		fmt.Fprintf(stderr, "jepsen-lite check: %v\n", err)
		return exitData
	}
	rep := harness.JudgeRecorded(&harness.Recorded{Log: klog}, in)
	res := harness.NewResults(rep, hist.Ops)
	if prev, err := results.Read(filepath.Join(filepath.Dir(pos[0]), "results.json")); err == nil {
		res.Seed, res.Bug, res.Nemesis, res.Bus, res.Command, res.Schedule = prev.Seed, prev.Bug, prev.Nemesis, prev.Bus, prev.Command, prev.Schedule
	}
	if *out != "" {
		if err := os.MkdirAll(*out, 0o755); err != nil {
			fmt.Fprintf(stderr, "jepsen-lite check: %v\n", err)
			return exitInternal
		}
		if err := res.Write(*out); err != nil {
			fmt.Fprintf(stderr, "jepsen-lite check: %v\n", err)
			return exitInternal
		}
		fmt.Fprintf(stdout, "results: %s\n", filepath.Join(*out, "results.json"))
	}
	printVerdict(stdout, res)
	return exitFor(res.Valid.String())
}
