package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"slices"

	"github.com/jepsen-lite/jepsen-lite/formal"
	"github.com/jepsen-lite/jepsen-lite/results"
	"github.com/jepsen-lite/jepsen-lite/verdict"
)

// tlcVsMCRL2 is the checker that puts TLC's verdicts beside mCRL2's.
const tlcVsMCRL2 = "tlc-vs-mcrl2"

// cmdMCRL2 model-checks spec/mcrl2 for spec/tla's configs with the mCRL2
// toolset and compares the verdicts with TLC's golden.
func cmdMCRL2(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mcrl2", flag.ContinueOnError)
	spec := fs.String("spec", "spec", "directory of the specifications")
	out := fs.String("out", "", "directory for results.json, junit.xml, summary.md, report.html and table.md")
	pos, err := parseFlags(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		printDefaults(fs, stdout, "mcrl2 [CONFIG ...] [--out DIR] [--spec DIR]")
		return exitValid
	}
	if err != nil {
		fmt.Fprintf(stderr, "jepsen-lite %v\n", err)
		return exitUsage
	}
	m, err := formal.FindMCRL2()
	if err != nil {
		fmt.Fprintf(stderr, "jepsen-lite mcrl2: %v\n", err)
		return exitUnavailable
	}
	configs, err := selectConfigs(*spec, pos)
	if err != nil {
		fmt.Fprintf(stderr, "jepsen-lite mcrl2: %v\n", err)
		return exitUsage
	}
	ctx := context.Background()
	version, err := m.Version(ctx)
	if err != nil {
		version = err.Error()
	}
	fmt.Fprintf(stdout, "%s (%s)\n", version, m.Bin)
	checks := formal.RunMCRL2(ctx, m, *spec, configs, func(c formal.Check) {
		fmt.Fprintf(stdout, "  %-24s %-22s %-5s %8d states %9d transitions  build %5.1fs  check %5.1fs %s\n",
			c.Config, c.Property, c.Verdict, c.States, c.Transitions, c.BuildSeconds, c.Seconds, c.Error)
	})
	res := formal.ToResults("mcrl2", configs, checks)
	all := addTLCComparison(&res, *spec, configs, checks, stdout)
	return finishResults("mcrl2", *out, res, all, stdout, stderr)
}

// addTLCComparison adds the tlc-vs-mcrl2 checker: TLC's golden verdicts
// (spec/golden/tlc.json) beside this run's, for the configs run. It returns
// both tools' checks for the verdict table. Without a TLC golden there is
// nothing to compare and the checker is left out.
func addTLCComparison(res *results.Results, spec string, configs []formal.Config, checks []formal.Check, stdout io.Writer) []formal.Check {
	path := filepath.Join(spec, "golden", "tlc.json")
	g, err := formal.ReadGolden(path)
	if err != nil {
		fmt.Fprintf(stdout, "%s: no TLC verdicts to compare with (%v)\n", tlcVsMCRL2, oneLine(err))
		return checks
	}
	var tlc []formal.Check
	for _, c := range g.Checks {
		if slices.ContainsFunc(configs, func(k formal.Config) bool { return k.Name == c.Config }) {
			tlc = append(tlc, c)
		}
	}
	vt := formal.NewVerdictTable(tlc, checks)
	r := vt.Result()
	if stale, err := g.Stale(spec); err == nil && len(stale) > 0 {
		r.Note += fmt.Sprintf(" (TLC golden %s is stale: %s; re-run TLC)", path, stale[0])
	}
	res.Checkers[tlcVsMCRL2] = r
	res.Order = append(res.Order, tlcVsMCRL2)
	if r.Valid == verdict.Invalid {
		// A disagreement makes the run invalid; nothing to compare (unknown)
		// leaves the verdict to the configs' expectations (DESIGN.md).
		res.Valid = verdict.Merge(res.Valid, r.Valid)
	}
	fmt.Fprintf(stdout, "\nTLC (%s) vs mCRL2:\n%s\n", path, vt.Markdown())
	return append(append([]formal.Check{}, checks...), tlc...)
}
