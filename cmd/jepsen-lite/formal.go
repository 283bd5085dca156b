package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/jepsen-lite/jepsen-lite/formal"
	"github.com/jepsen-lite/jepsen-lite/reports"
	"github.com/jepsen-lite/jepsen-lite/results"
)

// cmdTLC model-checks spec/tla's configs with TLC.
func cmdTLC(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("tlc", flag.ContinueOnError)
	spec := fs.String("spec", "spec", "directory of the specifications")
	out := fs.String("out", "", "directory for results.json, junit.xml, summary.md and table.md")
	pos, err := parseFlags(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		printDefaults(fs, stdout, "tlc [CONFIG ...] [--out DIR] [--spec DIR]")
		return exitValid
	}
	if err != nil {
		fmt.Fprintf(stderr, "jepsen-lite %v\n", err)
		return exitUsage
	}
	tlc, err := formal.FindTLC()
	if err != nil {
		fmt.Fprintf(stderr, "jepsen-lite tlc: %v\n", err)
		return exitUnavailable
	}
	configs, err := selectConfigs(*spec, pos)
	if err != nil {
		fmt.Fprintf(stderr, "jepsen-lite tlc: %v\n", err)
		return exitUsage
	}
	ctx := context.Background()
	version, _ := tlc.Version(ctx)
	fmt.Fprintf(stdout, "%s (%s)\n", version, tlc.Jar)
	module := filepath.Join(*spec, "tla", "OrderSaga.tla")
	checks := formal.RunTLC(ctx, tlc, module, configs, func(c formal.Check) {
		fmt.Fprintf(stdout, "  %-24s %-22s %-5s %9d states %8d distinct  %5.1fs %s\n", c.Config, c.Property, c.Verdict, c.States, c.Distinct, c.Seconds, c.Error)
	})
	return finishFormal("tlc", *out, configs, checks, stdout, stderr)
}

// selectConfigs loads the configs and keeps the named ones (all if none).
func selectConfigs(spec string, names []string) ([]formal.Config, error) {
	all, err := formal.LoadConfigs(spec)
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return all, nil
	}
	var out []formal.Config
	for _, n := range names {
		i := slices.IndexFunc(all, func(c formal.Config) bool { return c.Name == n })
		if i < 0 {
			return nil, fmt.Errorf("no config %q in %s/tla", n, spec)
		}
		out = append(out, all[i])
	}
	return out, nil
}

// finishFormal prints each config's verdict, writes the results and returns
// the exit code: 0 when every config got its expected verdict.
func finishFormal(tool, out string, configs []formal.Config, checks []formal.Check, stdout, stderr io.Writer) int {
	return finishResults(tool, out, formal.ToResults(tool, configs, checks), checks, stdout, stderr)
}

// finishResults prints each checker's verdict, writes the results (the
// verdict table from checks, which may hold both tools') and returns the
// exit code.
func finishResults(tool, out string, res results.Results, checks []formal.Check, stdout, stderr io.Writer) int {
	for _, name := range res.Order {
		r := res.Checkers[name]
		fmt.Fprintf(stdout, "%-30s %-8s %s\n", name, r.Valid, r.Note)
	}
	fmt.Fprintf(stdout, "verdict: %s\n", res.Valid)
	if out != "" {
		if err := writeFormal(out, res, checks); err != nil {
			fmt.Fprintf(stderr, "jepsen-lite %s: %v\n", tool, err)
			return exitInternal
		}
		fmt.Fprintf(stdout, "results: %s\n", filepath.Join(out, "results.json"))
	}
	return exitFor(res.Valid.String())
}

func writeFormal(out string, r results.Results, checks []formal.Check) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := r.Write(out); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "table.md"), []byte(formal.Table(checks)), 0o644); err != nil {
		return err
	}
	// The page last: it links the files that exist.
	for _, o := range []struct {
		name  string
		write func(io.Writer) error
	}{
		{reports.JUnitFile, func(w io.Writer) error { return reports.WriteJUnit(w, r) }},
		{reports.SummaryFile, func(w io.Writer) error {
			if err := reports.WriteSummary(w, r); err != nil {
				return err
			}
			_, err := io.WriteString(w, "\n## TLC vs mCRL2\n\n"+formal.Table(checks))
			return err
		}},
		{reports.HTMLFile, func(w io.Writer) error { return reports.WriteHTML(w, &reports.Run{Dir: out, Results: r}) }},
	} {
		f, err := os.Create(filepath.Join(out, o.name))
		if err != nil {
			return err
		}
		werr := o.write(f)
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return werr
		}
	}
	return nil
}
