package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"github.com/jepsen-lite/jepsen-lite/reports"
	"github.com/jepsen-lite/jepsen-lite/results"
)

// cmdReport re-renders report.html, junit.xml and summary.md of a stored run.
func cmdReport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	pos, err := parseFlags(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		printDefaults(fs, stdout, "report DIR")
		return exitValid
	}
	if err == nil && len(pos) != 1 {
		err = fmt.Errorf("report: want exactly one DIR argument, got %d", len(pos))
	}
	if err != nil {
		fmt.Fprintf(stderr, "jepsen-lite %v\n", err)
		return exitUsage
	}
	dir := pos[0]
	if results.IsCampaign(filepath.Join(dir, reports.ResultsFile)) {
		return reportCampaign(dir, stdout, stderr)
	}
	res, err := results.Read(filepath.Join(dir, reports.ResultsFile))
	if err != nil {
		fmt.Fprintf(stderr, "jepsen-lite report: %v\n", oneLine(err))
		return exitData
	}
	if err := reports.Render(dir); err != nil {
		fmt.Fprintf(stderr, "jepsen-lite report: %v\n", oneLine(err))
		return exitData
	}
	fmt.Fprintf(stdout, "verdict: %s\nreport: %s\n", res.Valid, filepath.Join(dir, reports.HTMLFile))
	return exitFor(res.Valid.String())
}

func reportCampaign(dir string, stdout, stderr io.Writer) int {
	c, err := results.ReadCampaign(filepath.Join(dir, reports.ResultsFile))
	if err == nil {
		err = reports.RenderCampaign(dir)
	}
	if err != nil {
		fmt.Fprintf(stderr, "jepsen-lite report: %v\n", oneLine(err))
		return exitData
	}
	fmt.Fprintf(stdout, "verdict: %s\nreport: %s\n", c.Valid, filepath.Join(dir, reports.HTMLFile))
	return exitFor(c.Valid.String())
}
