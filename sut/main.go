package sut

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Exit codes of a Program (DESIGN.md's, as jepsen-lite's).
const (
	ExitValid    = 0
	ExitInvalid  = 1
	ExitUnknown  = 2
	ExitUsage    = 64
	ExitData     = 65
	ExitInternal = 70
)

// Program is the command-line program of a test: the binary a team builds
// for its system (see examples/kv/cmd/kv-jepsen). Its commands:
//
//	NAME [run] [--seed N] [--ops N] [--concurrency N] [--nemesis LIST] [--bug NAME] [--mode stepped|realtime] [--out DIR]
//	NAME check HISTORY [--out DIR]
//
// run prints the seed first and the reproduce command last, and writes the
// run directory (default runs/NAME-<time>-seed<N>); check judges a stored
// history again with the test's own checkers. Exit codes: 0 valid, 1
// anomalies found, 2 unknown, 64 usage error, 65 bad input data, 70
// internal error.
type Program struct {
	// Name is the program's name in messages ("kv-jepsen").
	Name string
	// Command is how to run the program, used in the reproduce command
	// ("go run ./examples/kv/cmd/kv-jepsen"); default Name.
	Command string
	// Bugs are the accepted --bug values.
	Bugs []string
	// Test builds the test with the given bug switch ("" for none); the
	// flags then set its seed, ops, concurrency, nemesis, mode and output.
	Test func(bug string) (Test, error)
}

// Main runs the program on os.Args and exits with its exit code.
func Main(p Program) { os.Exit(p.RealMain(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) }

// RealMain runs the program on args and returns its exit code; tests call
// it directly.
func (p Program) RealMain(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "%s: internal error: %v\n", p.Name, r)
			code = ExitInternal
		}
	}()
	if len(args) > 0 && args[0] == "check" {
		return p.check(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "run" {
		args = args[1:]
	}
	return p.run(ctx, args, stdout, stderr)
}

// runFlags are run's flags.
type runFlags struct {
	seed        uint64
	ops, conc   int
	nemesis     string
	bug, mode   string
	out         string
	seedGiven   bool
	flags       *flag.FlagSet
	defaultTest Test
}

func (p Program) parseRun(args []string) (Test, runFlags, error) {
	var f runFlags
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Uint64Var(&f.seed, "seed", 0, "seed of the run (default: drawn at random and printed)")
	fs.IntVar(&f.ops, "ops", OpsDefault, "main-phase operations")
	fs.IntVar(&f.conc, "concurrency", ConcurrencyDefault, "client processes")
	fs.StringVar(&f.nemesis, "nemesis", "all", "faults: a comma list of the test's faults, or all, or none")
	fs.StringVar(&f.bug, "bug", "", "bug switch: one of "+strings.Join(p.Bugs, ", "))
	fs.StringVar(&f.mode, "mode", "", "stepped (virtual clock, deterministic) or realtime (default: the test's)")
	fs.StringVar(&f.out, "out", "", "run directory (default runs/"+p.Name+"-<time>-seed<N>)")
	f.flags = fs
	if err := fs.Parse(args); err != nil {
		return Test{}, f, err
	}
	fs.Visit(func(fl *flag.Flag) { f.seedGiven = f.seedGiven || fl.Name == "seed" })
	switch {
	case fs.NArg() > 0:
		return Test{}, f, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case f.bug != "" && !slices.Contains(p.Bugs, f.bug):
		return Test{}, f, fmt.Errorf("--bug %q: want one of %s", f.bug, strings.Join(p.Bugs, ", "))
	case f.ops < 1:
		return Test{}, f, fmt.Errorf("--ops %d: must be >= 1", f.ops)
	case f.conc < 1 || f.conc > concurrencyMax:
		return Test{}, f, fmt.Errorf("--concurrency %d: must be in 1..%d", f.conc, concurrencyMax)
	case f.mode != "" && f.mode != "stepped" && f.mode != "realtime":
		return Test{}, f, fmt.Errorf("--mode %q: want stepped or realtime", f.mode)
	}
	t, err := p.Test(f.bug)
	if err != nil {
		return Test{}, f, fmt.Errorf("--bug %q: %v", f.bug, err)
	}
	if t.Nemesis, err = t.Nemesis.Only(splitList(f.nemesis)); err != nil {
		return Test{}, f, fmt.Errorf("--nemesis: %v", err)
	}
	if !f.seedGiven {
		f.seed = rand.Uint64() % 1_000_000 // short enough to type back
	}
	t.Seed, t.Ops, t.Concurrency, t.Bug = f.seed, f.ops, f.conc, f.bug
	if f.mode != "" {
		t.Stepped = f.mode == "stepped"
	}
	t.OutDir = f.out
	if t.OutDir == "" {
		t.OutDir = filepath.Join("runs", fmt.Sprintf("%s-%s-seed%d", p.Name, time.Now().UTC().Format("20060102-150405"), f.seed))
	}
	t.Command = p.command(t, f)
	return t, f, t.Validate()
}

// command is the command line that reruns t.
func (p Program) command(t Test, f runFlags) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s --seed %d", cmpOrS(p.Command, p.Name), t.Seed)
	fmt.Fprintf(&b, " --nemesis %s", listOr(t.Nemesis.Names(), "none"))
	if t.Ops != OpsDefault {
		fmt.Fprintf(&b, " --ops %d", t.Ops)
	}
	if t.Concurrency != ConcurrencyDefault {
		fmt.Fprintf(&b, " --concurrency %d", t.Concurrency)
	}
	if t.Bug != "" {
		fmt.Fprintf(&b, " --bug %s", t.Bug)
	}
	if f.mode != "" {
		fmt.Fprintf(&b, " --mode %s", f.mode)
	}
	return b.String()
}

func (p Program) run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	t, f, err := p.parseRun(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(stdout, "usage: %s [run] [flags]\n       %s check HISTORY [--out DIR]\n\nflags of run:\n", p.Name, p.Name)
		f.flags.SetOutput(stdout)
		f.flags.PrintDefaults()
		return ExitValid
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", p.Name, oneLine(err))
		return ExitUsage
	}
	t.Log = stdout
	res, err := Run(ctx, t)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", p.Name, oneLine(err))
		return ExitInternal
	}
	return exitFor(res.Valid.String())
}

// check judges a stored history again with the test's own checkers.
func (p Program) check(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	out := fs.String("out", "", "directory for results.json and visualizations (default: none written)")
	// The history may come before or after the flags.
	var pos []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			fmt.Fprintf(stderr, "%s check: %v\n", p.Name, oneLine(err))
			return ExitUsage
		}
		if fs.NArg() == 0 {
			break
		}
		pos, rest = append(pos, fs.Arg(0)), fs.Args()[1:]
	}
	if len(pos) != 1 {
		fmt.Fprintf(stderr, "%s check: want exactly one HISTORY argument, got %d\n", p.Name, len(pos))
		return ExitUsage
	}
	t, err := p.Test("")
	if err != nil {
		fmt.Fprintf(stderr, "%s check: %v\n", p.Name, oneLine(err))
		return ExitInternal
	}
	res, err := Recheck(pos[0], *out, t.Checkers...)
	var herr *HistoryError
	switch {
	case errors.As(err, &herr):
		fmt.Fprintf(stderr, "%s check: %v\n", p.Name, oneLine(err))
		return ExitData
	case err != nil:
		fmt.Fprintf(stderr, "%s check: %v\n", p.Name, oneLine(err))
		return ExitInternal
	}
	printVerdict(stdout, Result{Results: res})
	return exitFor(res.Valid.String())
}

func exitFor(valid string) int {
	switch valid {
	case "valid":
		return ExitValid
	case "invalid":
		return ExitInvalid
	}
	return ExitUnknown
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func oneLine(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }

func cmpOrS(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
