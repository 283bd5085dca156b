package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jepsen-lite/jepsen-lite/faults"
	"github.com/jepsen-lite/jepsen-lite/harness"
	"github.com/jepsen-lite/jepsen-lite/results"
)

func cmdRun(args []string, stdout, stderr io.Writer) int {
	opts := harness.DefaultOptions()
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.StringVar(&opts.Bus, "bus", "sim", "event bus: sim (deterministic simulator) or kafka")
	brokers := fs.String("brokers", "", "Kafka brokers host:port,... (with --bus kafka; default: an embedded broker on 127.0.0.1)")
	fs.Uint64Var(&opts.Seed, "seed", 1, "seed of the run: the same seed gives the same simulated run")
	fs.IntVar(&opts.Workload.Ops, "ops", opts.Workload.Ops, "main-phase client operations")
	fs.DurationVar(&opts.TimeLimit, "time-limit", 0, "end the main phase after this (virtual) time instead of --ops")
	fs.IntVar(&opts.Workload.Concurrency, "concurrency", opts.Workload.Concurrency, "client processes")
	nemesis := fs.String("nemesis", "none", "faults: comma list of duplicate,reorder,delay,partition,crash, or all, or none")
	faultSpec := fs.String("faults", "", "explicit fault schedule fault@target:start-stop,... (replaces the one drawn from --seed and --nemesis)")
	useTLC := fs.Bool("tlc", false, "after judging, validate the trace with TLC as well (needs TLC: TLA2TOOLS_JAR)")
	shrink := fs.Bool("shrink", false, "when the run fails, shrink it and print a shorter command that still fails")
	fs.StringVar(&opts.Bug, "bug", "", "bug switch to turn on (see DESIGN.md)")
	fs.StringVar(&opts.OutDir, "out", "", "run directory (default runs/<time>-seed<N>)")
	fs.IntVar(&opts.Workload.SKUs, "skus", opts.Workload.SKUs, "number of SKUs")
	fs.IntVar(&opts.Workload.Customers, "customers", opts.Workload.Customers, "number of customers")
	fs.StringVar(&opts.Workload.Dist, "dist", opts.Workload.Dist, "key distribution: uniform or zipf")
	_, err := parseFlags(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		printDefaults(fs, stdout, "run [flags]")
		return exitValid
	}
	if err == nil {
		opts.Nemesis, err = faults.ParseNemesis(*nemesis)
		if err != nil {
			err = fmt.Errorf("run: --nemesis: %v", err)
		}
	}
	if err == nil && *faultSpec != "" {
		opts.Schedule, err = faults.ParseSchedule(*faultSpec)
		if err != nil {
			err = fmt.Errorf("run: --faults: %v", err)
		}
	}
	if err == nil {
		err = opts.Validate()
	}
	if err != nil {
		fmt.Fprintf(stderr, "jepsen-lite %v\n", err)
		return exitUsage
	}
	if opts.Bus == "kafka" {
		// Over real sockets: the embedded broker unless --brokers names a
		// cluster, and a smaller default --ops (real time is slower).
		opts.Brokers = splitBrokers(*brokers)
		if !flagSet(fs, "ops") {
			opts.Workload.Ops = harness.KafkaOps
		}
	} else if *brokers != "" {
		fmt.Fprintf(stderr, "jepsen-lite run: --brokers needs --bus kafka\n")
		return exitUsage
	}
	var tt *tlcTrace
	if *useTLC {
		if tt, err = findTLCTrace(); err != nil {
			return tlcUnavailable("run", err, stderr)
		}
	}
	if opts.OutDir == "" {
		opts.OutDir = filepath.Join("runs", fmt.Sprintf("%s-seed%d", time.Now().UTC().Format("20060102-150405"), opts.Seed))
	}
	fmt.Fprintf(stdout, "seed %d\n", opts.Seed)
	fmt.Fprintf(stdout, "bus %s · nemesis %s · bug %s · ops %d · concurrency %d · out %s\n",
		opts.Bus, harness.FaultList(opts.Nemesis), orNone(opts.Bug), opts.Workload.Ops, opts.Workload.Concurrency, opts.OutDir)
	res, rec, err := harness.Execute(opts)
	if err != nil {
		fmt.Fprintf(stderr, "jepsen-lite run: %v\n", err)
		return exitInternal
	}
	if opts.Bus == "kafka" {
		fmt.Fprintf(stdout, "ran %d ops (%d ok, %d fail, %d info) in %v over Kafka (%d records), %v wall with checking\n",
			res.Stats.Ops, res.Stats.OK, res.Stats.Fail, res.Stats.Info, rec.Virtual.Round(time.Millisecond), rec.Records,
			time.Duration(res.Stats.WallNS).Round(time.Millisecond))
	} else {
		fmt.Fprintf(stdout, "ran %d ops (%d ok, %d fail, %d info) in %v virtual, %v wall\n",
			res.Stats.Ops, res.Stats.OK, res.Stats.Fail, res.Stats.Info, rec.Virtual.Round(time.Millisecond), time.Duration(res.Stats.WallNS).Round(time.Millisecond))
	}
	if tt != nil {
		if err := tt.finishRun(&res, rec, opts.OutDir, stdout); err != nil {
			fmt.Fprintf(stderr, "jepsen-lite run: --tlc: %v\n", err)
			return exitInternal
		}
	}
	printVerdict(stdout, res)
	fmt.Fprintf(stdout, "report: %s\n", filepath.Join(opts.OutDir, "report.html"))
	if *shrink && res.Valid.String() == "invalid" {
		printShrink(stdout, stderr, nil, opts)
	}
	fmt.Fprintf(stdout, "reproduce: %s\n", res.Command)
	return exitFor(res.Valid.String())
}

// splitBrokers parses --brokers host:port,... (empty = the embedded broker).
func splitBrokers(s string) []string {
	var out []string
	for _, b := range strings.Split(s, ",") {
		if b = strings.TrimSpace(b); b != "" {
			out = append(out, b)
		}
	}
	return out
}

// flagSet reports whether a flag was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// printVerdict prints each checker's verdict and its first anomalies.
func printVerdict(w io.Writer, res results.Results) {
	for _, name := range harness.CheckerNames(res.Checkers) {
		r := res.Checkers[name]
		fmt.Fprintf(w, "  %-18s %-8s", name, r.Valid)
		if len(r.Anomalies) > 0 {
			fmt.Fprintf(w, " %d anomalies", len(r.Anomalies))
		}
		fmt.Fprintln(w)
		for i, a := range r.Anomalies {
			if i == 3 {
				fmt.Fprintf(w, "      ... %d more\n", len(r.Anomalies)-3)
				break
			}
			fmt.Fprintf(w, "      %s key=%s ops=%v %s\n", a.Type, a.Key, capInts(a.Ops, 8), a.Detail)
		}
	}
	fmt.Fprintf(w, "verdict: %s", res.Valid)
	if len(res.Anomalies) > 0 {
		fmt.Fprintf(w, " (%s)", strings.Join(res.Anomalies, ", "))
	}
	fmt.Fprintln(w)
}

func capInts(xs []int, n int) []int {
	if len(xs) > n {
		return xs[:n]
	}
	return xs
}

// fileExists reports whether path is an existing regular file.
func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}
