package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/jepsen-lite/jepsen-lite/serve"
)

// cmdServe serves the runs of a store until SIGINT or SIGTERM
// (docs/SERVE.md).
func cmdServe(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serveUntil(ctx, args, stdout, stderr)
}

// serveUntil is cmdServe with the context that stops it (tests cancel it).
func serveUntil(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	store := fs.String("store", "runs", "directory whose runs (directories with a results.json) are listed")
	addr := fs.String("addr", serve.DefaultAddr, "address to listen on; loopback unless you mean to share the runs")
	pos, err := parseFlags(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		printDefaults(fs, stdout, "serve [--store DIR] [--addr 127.0.0.1:8080]")
		return exitValid
	}
	if err == nil && len(pos) != 0 {
		err = fmt.Errorf("serve: unexpected argument %q (the store is --store DIR)", pos[0])
	}
	if err != nil {
		fmt.Fprintf(stderr, "jepsen-lite %v\n", err)
		return exitUsage
	}
	srv, err := serve.New(*store)
	if err != nil {
		fmt.Fprintf(stderr, "jepsen-lite serve: %v\n", err)
		return exitUsage
	}
	ln, err := serve.Listen(*addr)
	if err != nil {
		fmt.Fprintf(stderr, "jepsen-lite serve: %v\n", err)
		return exitUnavailable
	}
	host, _, _ := net.SplitHostPort(ln.Addr().String())
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		srv.AnyHost = true
		fmt.Fprintf(stderr, "warning: serving %s on %s: reachable from the network\n", srv.Root(), ln.Addr())
	}
	fmt.Fprintf(stdout, "serving the runs of %s at http://%s/ (Ctrl-C stops)\n", srv.Root(), ln.Addr())
	if err := srv.Serve(ctx, ln); err != nil {
		fmt.Fprintf(stderr, "jepsen-lite serve: %v\n", err)
		return exitInternal
	}
	fmt.Fprintln(stdout, "stopped")
	return exitValid
}
