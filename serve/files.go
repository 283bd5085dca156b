package serve

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// This file serves the files of the store, and nothing outside it: a
// request names a slash-separated path relative to the store; paths with
// ".." segments, absolute paths, backslashes and NULs are refused before
// the file system is touched, and the path is then resolved with its
// symbolic links and must still lie under the store's resolved root, so
// that a link inside the store pointing out of it serves nothing.

// errOutside is why a path is refused; the response does not say more.
var errOutside = errors.New("not a file of the store")

// resolve maps a request path to a regular file under the store.
func (s *Server) resolve(rel string) (string, error) {
	if rel == "" || strings.ContainsAny(rel, "\\\x00") || strings.HasPrefix(rel, "/") || filepath.IsAbs(rel) {
		return "", errOutside
	}
	for _, seg := range strings.Split(rel, "/") {
		if seg == ".." {
			return "", errOutside
		}
	}
	p, err := filepath.EvalSymlinks(filepath.Join(s.root, filepath.FromSlash(rel)))
	if err != nil {
		return "", errOutside
	}
	if inside, err := filepath.Rel(s.root, p); err != nil || inside == ".." || strings.HasPrefix(inside, ".."+string(filepath.Separator)) || filepath.IsAbs(inside) {
		return "", errOutside
	}
	fi, err := os.Stat(p)
	if err != nil || !fi.Mode().IsRegular() {
		return "", errOutside
	}
	return p, nil
}

// contentTypes are the types files are served as by extension. Only .html
// is rendered by a browser; everything a run records as data is text, so
// that a value in a history never becomes markup.
var contentTypes = map[string]string{
	".html":   "text/html; charset=utf-8",
	".json":   "application/json",
	".jsonl":  "text/plain; charset=utf-8",
	".ndjson": "text/plain; charset=utf-8",
	".edn":    "text/plain; charset=utf-8",
	".md":     "text/plain; charset=utf-8",
	".txt":    "text/plain; charset=utf-8",
	".xml":    "text/plain; charset=utf-8",
	".log":    "text/plain; charset=utf-8",
}

// reportCSP sandboxes served HTML (reports, porcupine visualizations): their
// scripts run, but in an opaque origin, so a page cannot read other files of
// the store or the list even if a value in it were to escape its markup.
const reportCSP = "sandbox allow-scripts allow-popups; default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"

func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	rel := r.PathValue("path")
	p, err := s.resolve(rel)
	if err != nil {
		http.Error(w, fmt.Sprintf("404 %v", err), http.StatusNotFound)
		return
	}
	// The type follows the name asked for, not a link's target.
	ct, ok := contentTypes[strings.ToLower(path.Ext(rel))]
	if !ok {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	if strings.HasPrefix(ct, "text/html") {
		w.Header().Set("Content-Security-Policy", reportCSP)
	}
	f, err := os.Open(p)
	if err != nil {
		http.Error(w, "404 "+errOutside.Error(), http.StatusNotFound)
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		http.Error(w, "404 "+errOutside.Error(), http.StatusNotFound)
		return
	}
	http.ServeContent(w, r, "", fi.ModTime(), f)
}
