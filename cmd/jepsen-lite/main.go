// Command jepsen-lite runs seeded fault-injection tests of an event-sourced
// order system and judges their histories. See README.md and DESIGN.md.
package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/jepsen-lite/jepsen-lite/harness"
)

// Exit codes (DESIGN.md, contract).
const (
	exitValid       = 0
	exitInvalid     = 1
	exitUnknown     = 2
	exitUsage       = 64
	exitData        = 65
	exitUnavailable = 69
	exitInternal    = 70
)

const usage = `usage: jepsen-lite <command> [flags]

commands:
  run      run the reference system under a seeded workload and faults, then judge it
  check    judge a stored history (and its trace) again
  campaign run many seeds over a matrix of fault mixes; keep and shrink failures
  tlc      model-check spec/tla's configs with TLC (TLA2TOOLS_JAR)
  mcrl2    model-check spec/mcrl2 for the same configs with mCRL2 (MCRL2_BIN); compare with TLC
  report   re-render report.html, junit.xml and summary.md of a stored run
  serve    browse the runs of a store in a local web server (127.0.0.1:8080)

Run 'jepsen-lite <command> -h' for the flags of a command.
`

func main() {
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	harness.TuneGC()
	os.Exit(realMain(os.Args[1:], os.Stdout, os.Stderr))
}

// realMain runs a command and returns its exit code; it never panics on bad
// input (a panic is an internal error, reported as exit 70).
func realMain(args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "jepsen-lite: internal error: %v\n", r)
			code = exitInternal
		}
	}()
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "run":
		return cmdRun(args[1:], stdout, stderr)
	case "check":
		return cmdCheck(args[1:], stdout, stderr)
	case "campaign":
		return cmdCampaign(args[1:], stdout, stderr)
	case "report":
		return cmdReport(args[1:], stdout, stderr)
	case "tlc":
		return cmdTLC(args[1:], stdout, stderr)
	case "serve":
		return cmdServe(args[1:], stdout, stderr)
	case "mcrl2":
		return cmdMCRL2(args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitValid
	}
	fmt.Fprintf(stderr, "jepsen-lite: unknown command %q (want run, check, campaign, report, serve, tlc or mcrl2)\n", args[0])
	return exitUsage
}
