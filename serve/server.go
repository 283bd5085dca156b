package serve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Server serves one store directory: the list of its runs and their files.
type Server struct {
	// root is the store's absolute path with symbolic links resolved: every
	// file served must resolve to a path under it.
	root string
	// AnyHost turns off the Host header check. The check (only loopback
	// names are answered) stops a web page from reaching the server through
	// DNS rebinding; a server bound to a non-loopback address needs it off.
	AnyHost bool
}

// New returns a server of the store directory dir.
func New(dir string) (*Server, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("--store %s: %v", dir, err)
	}
	root, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, fmt.Errorf("--store %s: %v", dir, err)
	}
	if fi, err := os.Stat(root); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("--store %s: not a directory", dir)
	}
	return &Server{root: root}, nil
}

// Root is the store directory served.
func (s *Server) Root() string { return s.root }

// Handler routes: / (the list, filterable), /api/runs (the same as JSON) and
// /files/RUN/FILE (a file of the store).
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.serveList)
	mux.HandleFunc("GET /api/runs", s.serveAPI)
	mux.HandleFunc("GET /files/{path...}", s.serveFile)
	return s.guard(mux)
}

// guard sets headers every response carries and answers only loopback host
// names unless AnyHost is set.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.AnyHost && !loopbackHost(r.Host) {
			http.Error(w, "forbidden host "+r.Host+": this server answers 127.0.0.1 and localhost only", http.StatusForbidden)
			return
		}
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "SAMEORIGIN")
		next.ServeHTTP(w, r)
	})
}

func loopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (s *Server) runs(w http.ResponseWriter, r *http.Request) ([]Run, []Run, Filter, bool) {
	all, err := scan(s.root)
	if err != nil {
		slog.Error("serve: scan", "err", err)
		http.Error(w, "cannot read the store", http.StatusInternalServerError)
		return nil, nil, Filter{}, false
	}
	q := r.URL.Query()
	f := Filter{Verdict: q.Get("verdict"), Bug: q.Get("bug"), Nemesis: q.Get("nemesis"), Anomaly: q.Get("anomaly"), Q: q.Get("q")}
	var shown []Run
	for _, run := range all {
		if f.Match(run) {
			shown = append(shown, run)
		}
	}
	return all, shown, f, true
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	_, shown, _, ok := s.runs(w, r)
	if !ok {
		return
	}
	if shown == nil {
		shown = []Run{}
	}
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(shown); err != nil {
		slog.Warn("serve: write", "err", err)
	}
}

// Listen binds addr; "" means DefaultAddr.
func Listen(addr string) (net.Listener, error) {
	if addr == "" {
		addr = DefaultAddr
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--addr %s: %v", addr, err)
	}
	return ln, nil
}

// DefaultAddr is loopback only: the runs of a store are not for the network.
const DefaultAddr = "127.0.0.1:8080"

// shutdownMax bounds how long Serve waits for requests in flight to end.
const shutdownMax = 5 * time.Second

// Serve serves on ln until ctx is done, then shuts down gracefully: it
// stops accepting, lets requests in flight finish (at most shutdownMax) and
// returns nil.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(slog.Default().Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownMax)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %v", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
