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

	"github.com/jepsen-lite/jepsen-lite/campaign"
	"github.com/jepsen-lite/jepsen-lite/faults"
	"github.com/jepsen-lite/jepsen-lite/harness"
	"github.com/jepsen-lite/jepsen-lite/reports"
	"github.com/jepsen-lite/jepsen-lite/verdict"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

func cmdCampaign(args []string, stdout, stderr io.Writer) int {
	d := harness.DefaultOptions()
	c := campaign.Config{Workload: d.Workload}
	fs := flag.NewFlagSet("campaign", flag.ContinueOnError)
	fs.IntVar(&c.Seeds, "seeds", 100, "seeds per nemesis set")
	fs.Uint64Var(&c.FirstSeed, "first-seed", 1, "first seed")
	matrix := fs.String("nemesis-matrix", "all", "nemesis sets separated by ';', each as --nemesis takes it (e.g. 'none;partition,crash;all')")
	nemesis := fs.String("nemesis", "", "one nemesis set (same as --nemesis-matrix with one entry)")
	fs.StringVar(&c.Bug, "bug", "", "bug switch to turn on")
	fs.IntVar(&c.Parallel, "parallel", 2, "runs at once")
	fs.IntVar(&c.Workload.Ops, "ops", 500, "main-phase ops per run")
	fs.IntVar(&c.Workload.Concurrency, "concurrency", c.Workload.Concurrency, "client processes per run")
	fs.BoolVar(&c.StopOnFail, "stop-on-fail", false, "stop at the first failing run")
	shrink := fs.Bool("shrink", false, "shrink the first failing run and print a shorter command that still fails")
	fs.StringVar(&c.Out, "out", "", "campaign directory (default runs/campaign-<time>)")
	_, err := parseFlags(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		printDefaults(fs, stdout, "campaign [flags]")
		return exitValid
	}
	if err == nil && *nemesis != "" {
		*matrix = *nemesis
	}
	if err == nil {
		c.Matrix, err = parseMatrix(*matrix)
	}
	if err == nil {
		err = validateCampaign(c)
	}
	if err != nil {
		fmt.Fprintf(stderr, "jepsen-lite %v\n", err)
		return exitUsage
	}
	if c.Out == "" {
		c.Out = filepath.Join("runs", "campaign-"+time.Now().UTC().Format("20060102-150405"))
	}
	if err := os.MkdirAll(c.Out, 0o755); err != nil {
		fmt.Fprintf(stderr, "jepsen-lite campaign: %v\n", err)
		return exitInternal
	}
	fmt.Fprintf(stdout, "campaign: %d seeds from %d × %d nemesis sets · bug %s · ops %d · parallel %d · out %s\n",
		c.Seeds, c.FirstSeed, len(c.Matrix), orNone(c.Bug), c.Workload.Ops, c.Parallel, c.Out)
	c.Progress = progressPrinter(stdout)
	res, err := campaign.Execute(c)
	if err != nil {
		fmt.Fprintf(stderr, "jepsen-lite campaign: %v\n", err)
		return exitInternal
	}
	printCampaign(stdout, res)
	if *shrink {
		if r := firstFailure(res); r != nil {
			o := harness.DefaultOptions()
			o.Seed, o.Nemesis, o.Bug, o.Workload = r.Seed, r.Nemesis, c.Bug, c.Workload
			printShrink(stdout, stderr, res, o)
		}
	}
	res.Command = "jepsen-lite campaign " + strings.Join(args, " ")
	if err := res.Write(c.Out); err != nil {
		fmt.Fprintf(stderr, "jepsen-lite campaign: %v\n", err)
		return exitInternal
	}
	if err := reports.RenderCampaign(c.Out); err != nil {
		fmt.Fprintf(stderr, "jepsen-lite campaign: %v\n", err)
		return exitInternal
	}
	fmt.Fprintf(stdout, "report: %s\n", filepath.Join(c.Out, "report.html"))
	return exitFor(res.Valid.String())
}

func parseMatrix(s string) ([][]string, error) {
	var m [][]string
	for _, part := range strings.Split(s, ";") {
		set, err := faults.ParseNemesis(part)
		if err != nil {
			return nil, fmt.Errorf("campaign: --nemesis-matrix: %v", err)
		}
		m = append(m, set)
	}
	return m, nil
}

func validateCampaign(c campaign.Config) error {
	switch {
	case c.Seeds < 1 || c.Seeds > 1_000_000:
		return fmt.Errorf("campaign: --seeds %d: must be in 1..1000000", c.Seeds)
	case c.Parallel < 1 || c.Parallel > 256:
		return fmt.Errorf("campaign: --parallel %d: must be in 1..256", c.Parallel)
	case c.Bug != "" && !vocab.Known(vocab.Bugs, c.Bug):
		return fmt.Errorf("campaign: --bug %q: want one of %s", c.Bug, strings.Join(vocab.Bugs, ", "))
	}
	if err := c.Workload.Validate(); err != nil {
		return fmt.Errorf("campaign: %v", err)
	}
	return nil
}

// progressPrinter draws a progress bar on a terminal and prints a line per
// 10% elsewhere (CI logs).
func progressPrinter(w io.Writer) func(done, total, failed int) {
	tty := isTerminal(w)
	last := -1
	return func(done, total, failed int) {
		if tty {
			const width = 30
			n := done * width / total
			fmt.Fprintf(w, "\r[%s%s] %d/%d runs, %d failed", strings.Repeat("#", n), strings.Repeat(".", width-n), done, total, failed)
			if done == total {
				fmt.Fprintln(w)
			}
			return
		}
		if pct := done * 10 / total; pct != last {
			last = pct
			fmt.Fprintf(w, "progress: %d/%d runs, %d failed\n", done, total, failed)
		}
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// printCampaign prints the summary table: one row per nemesis set.
func printCampaign(w io.Writer, res *campaign.Result) {
	fmt.Fprintf(w, "\n%-40s %6s %6s %8s %8s  %s\n", "nemesis", "runs", "valid", "invalid", "unknown", "anomalies (first failing seed)")
	for _, x := range reports.CampaignRows(*res) {
		first := ""
		if x.FirstFailing != nil {
			first = fmt.Sprintf(" (seed %d)", x.FirstFailing.Seed)
		}
		fmt.Fprintf(w, "%-40s %6d %6d %8d %8d  %s%s\n", x.Nemesis, x.Runs, x.Valid, x.Invalid, x.Unknown, x.Anomalies, first)
	}
	fmt.Fprintf(w, "\ncoverage marks (runs reaching each situation, summed):\n")
	for _, n := range harness.MarkNames {
		flag := ""
		if res.Marks[n] == 0 {
			flag = "  <- never reached"
		}
		fmt.Fprintf(w, "  %-32s %8d%s\n", n, res.Marks[n], flag)
	}
	if r := firstFailure(res); r != nil {
		fmt.Fprintf(w, "first failing run: seed %d, kept in %s\nreproduce: %s\n", r.Seed, r.Dir, r.Command)
	}
	if res.Stopped {
		fmt.Fprintln(w, "stopped at the first failing run (--stop-on-fail)")
	}
	fmt.Fprintf(w, "verdict: %s (%d runs in %v)\n", res.Valid, len(res.Runs), time.Duration(res.WallNS).Round(time.Millisecond))
}

func firstFailure(res *campaign.Result) *campaign.Run {
	var first *campaign.Run
	for i := range res.Runs {
		r := &res.Runs[i]
		if r.Valid == verdict.Invalid && (first == nil || r.Seed < first.Seed) {
			first = r
		}
	}
	return first
}

func printShrink(stdout, stderr io.Writer, res *campaign.Result, o harness.Options) {
	fmt.Fprintf(stdout, "shrinking seed %d ...\n", o.Seed)
	s, err := campaign.Shrink(o)
	if err != nil {
		fmt.Fprintf(stderr, "jepsen-lite: shrink: %v\n", err)
		return
	}
	if res != nil {
		res.Shrunk = &s.Shrunk
	}
	fmt.Fprintf(stdout, "shrunk %s: ops %d -> %d, fault windows %d -> %d (%d runs)\n",
		s.Anomaly, s.OpsBefore, s.OpsAfter, s.WindowsBefore, s.WindowsAfter, s.Runs)
	fmt.Fprintf(stdout, "shrunk reproduce: %s\n", s.Command)
}
