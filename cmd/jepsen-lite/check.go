package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/jepsen-lite/jepsen-lite/checker"
	"github.com/jepsen-lite/jepsen-lite/harness"
	"github.com/jepsen-lite/jepsen-lite/history"
	"github.com/jepsen-lite/jepsen-lite/interop/jepsen"
	"github.com/jepsen-lite/jepsen-lite/reports"
	"github.com/jepsen-lite/jepsen-lite/results"
	"github.com/jepsen-lite/jepsen-lite/sut"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/verdict"
)

func cmdCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	tracePath := fs.String("trace", "", "trace.ndjson of the run (default: beside the history, if present)")
	format := fs.String("format", "jsonl", "history format: jsonl or jepsen-edn (Jepsen's history.edn)")
	out := fs.String("out", "", "directory for results.json and visualizations (default: none written)")
	useTLC := fs.Bool("tlc", false, "after judging, validate the trace with TLC as well (needs TLC: TLA2TOOLS_JAR)")
	var edn ednFlags
	fs.StringVar(&edn.model, "model", "", "jepsen-edn: "+strings.Join(jepsen.Models, ", ")+" (default: detected from the ops)")
	fs.StringVar(&edn.initial, "initial", "", "jepsen-edn: the register's initial value as EDN, e.g. 0 or {:x 0 :y 0} (default nil / {})")
	fs.DurationVar(&edn.timeout, "timeout", ednTimeoutDefault, "jepsen-edn: bound on porcupine's search; past it the verdict is unknown (0: none)")
	fs.BoolVar(&edn.independent, "independent", false, "jepsen-edn: values are jepsen.independent [key value] tuples; check each key as its own register")
	pos, err := parseFlags(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		printDefaults(fs, stdout, "check HISTORY [--trace TRACE] [--format jsonl|jepsen-edn] [--model M] [--initial V] [--independent] [--out DIR]")
		return exitValid
	}
	switch {
	case err != nil:
	case len(pos) != 1:
		err = fmt.Errorf("check: want exactly one HISTORY argument, got %d", len(pos))
	case *format != "jsonl" && *format != "jepsen-edn":
		err = fmt.Errorf("check: --format %q: want jsonl or jepsen-edn", *format)
	case *format == "jsonl" && (edn.model != "" || edn.initial != "" || edn.timeout != ednTimeoutDefault || edn.independent):
		err = fmt.Errorf("check: --model, --initial, --timeout and --independent need --format jepsen-edn")
	case edn.model != "" && !slices.Contains(jepsen.Models, edn.model):
		err = fmt.Errorf("check: --model %q: want one of %s", edn.model, strings.Join(jepsen.Models, ", "))
	case edn.model == jepsen.ModelKafka && (edn.initial != "" || edn.independent):
		err = fmt.Errorf("check: --initial and --independent apply to the register models, not to --model kafka")
	case *useTLC && (*format != "jsonl" || fileExists(filepath.Join(filepath.Dir(pos[0]), sut.SpecFile))):
		err = fmt.Errorf("check: --tlc validates the reference system's trace; it does not apply to a Jepsen or sut history")
	}
	if err != nil {
		fmt.Fprintf(stderr, "jepsen-lite %v\n", err)
		return exitUsage
	}
	var tt *tlcTrace
	if *useTLC {
		if tt, err = findTLCTrace(); err != nil {
			return tlcUnavailable("check", err, stderr)
		}
	}
	if *format == "jepsen-edn" {
		return checkEDN(pos[0], *out, edn, stdout, stderr)
	}
	if code, ok := checkSUT(pos[0], *out, stdout, stderr); ok {
		return code
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
	if tt != nil {
		if err := tt.validate(in, &res, *out, stdout); err != nil {
			fmt.Fprintf(stderr, "jepsen-lite check: --tlc: %v\n", err)
			return exitInternal
		}
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

// ednTimeoutDefault bounds porcupine's search on an imported history: the
// search is exponential in the worst case, and an unknown verdict after it
// says so rather than running without end (STYLE.md: a limit on everything).
const ednTimeoutDefault = 5 * time.Minute

// ednFlags are check's options for --format jepsen-edn.
type ednFlags struct {
	model, initial string
	timeout        time.Duration
	independent    bool
}

// checkEDN judges a Jepsen history.edn (docs/JEPSEN-EDN.md): registers with
// porcupine, the kafka workload with the log checker.
func checkEDN(path, out string, f ednFlags, stdout, stderr io.Writer) int {
	h, err := jepsen.ReadFile(path)
	if err != nil {
		fmt.Fprintf(stderr, "jepsen-lite check: %v\n", oneLine(err))
		return exitData
	}
	if out != "" {
		if err := os.MkdirAll(out, 0o755); err != nil {
			fmt.Fprintf(stderr, "jepsen-lite check: %v\n", err)
			return exitInternal
		}
	}
	rep, err := jepsen.Check(h, jepsen.Options{Model: f.model, Initial: f.initial, Timeout: f.timeout, OutDir: out, Independent: f.independent})
	if err != nil {
		fmt.Fprintf(stderr, "jepsen-lite check: %v\n", oneLine(err))
		return exitData
	}
	fmt.Fprintf(stdout, "model: %s (%d client ops: %d ok, %d fail, %d info)\n", rep.Model, rep.Stats.Ops, rep.Stats.OK, rep.Stats.Fail, rep.Stats.Info)
	res := results.Results{
		Valid:    rep.Result.Valid,
		Nemesis:  []string{},
		Stats:    results.Stats{Ops: rep.Stats.Ops, OK: rep.Stats.OK, Fail: rep.Stats.Fail, Info: rep.Stats.Info},
		Checkers: map[string]verdict.Result{rep.Checker: rep.Result},
		Order:    []string{rep.Checker},
		Command:  ednCommand(path, rep.Model, f),
	}
	for _, a := range rep.Result.Anomalies {
		if !slices.Contains(res.Anomalies, a.Type) {
			res.Anomalies = append(res.Anomalies, a.Type)
		}
	}
	if out != "" {
		if err := writeEDNResults(out, path, res); err != nil {
			fmt.Fprintf(stderr, "jepsen-lite check: %v\n", err)
			return exitInternal
		}
		fmt.Fprintf(stdout, "results: %s\n", filepath.Join(out, "results.json"))
	}
	if rep.Result.Note != "" {
		fmt.Fprintf(stdout, "note: %s\n", rep.Result.Note)
	}
	printVerdict(stdout, res)
	return exitFor(res.Valid.String())
}

// ednCommand is the command that judges the history again.
func ednCommand(path, model string, f ednFlags) string {
	cmd := fmt.Sprintf("jepsen-lite check --format jepsen-edn --model %s", model)
	if f.initial != "" {
		cmd += fmt.Sprintf(" --initial '%s'", f.initial)
	}
	if f.timeout != ednTimeoutDefault {
		cmd += " --timeout " + f.timeout.String()
	}
	if f.independent {
		cmd += " --independent"
	}
	return cmd + " " + path
}

// writeEDNResults writes results.json, junit.xml and summary.md of a judged
// Jepsen history (no report.html: that page is drawn from history.jsonl), and
// a copy of the history as history.edn, so that the directory holds the run.
func writeEDNResults(dir, history string, res results.Results) error {
	if err := res.Write(dir); err != nil {
		return err
	}
	if err := copyFile(history, filepath.Join(dir, "history.edn")); err != nil {
		return err
	}
	for name, write := range map[string]func(io.Writer, results.Results) error{
		reports.JUnitFile:   reports.WriteJUnit,
		reports.SummaryFile: reports.WriteSummary,
	} {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		err = write(f, res)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("%s: %v", name, err)
		}
	}
	return nil
}

// copyFile copies src to dst unless they are the same file.
func copyFile(src, dst string) error {
	si, err := os.Stat(src)
	if err != nil {
		return err
	}
	if di, err := os.Stat(dst); err == nil && os.SameFile(si, di) {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
