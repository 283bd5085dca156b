package formal

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// MCRL2Template is the mCRL2 model under a spec directory: a template whose
// block between the lines "% CONFIG BEGIN" and "% CONFIG END" holds the
// constants MCRL2Spec fills in from a TLC config.
const MCRL2Template = "mcrl2/order_saga.mcrl2"

// The mCRL2 model's action labels (spec/README.md, "mCRL2 action labels").
// They are stable: the cross-check compares LTSs by them.
var (
	// MCRL2ProtocolActions are the protocol's steps, one per TLA+ action
	// (lower_snake case of its name). done is the loop of a finished run
	// (TLA+ Done): a protocol step, so that a finished run is no deadlock.
	MCRL2ProtocolActions = []string{
		"place", "flush", "cancel_decide", "cancel_append", "read_strong",
		"deliver", "orders_decide", "orders_append",
		"duplicate", "partition", "heal", "crash_orders", "crash_after_commit", "done",
	}
	// MCRL2ObservationActions never change the state: setup is the one
	// step from the LTS's extra initial state to TLA+'s initial states
	// (choosing stock0, bal0); violated(p) and obs_status(s) are self-loops
	// observing an invariant and o-1's status. Hide them to compare the LTS
	// with the TLA+ state graph.
	MCRL2ObservationActions = []string{"setup", "violated", "obs_status"}
)

// LoadMCRL2Spec reads the template under specDir and instantiates it for c.
func LoadMCRL2Spec(specDir string, c Config) ([]byte, error) {
	p := filepath.Join(specDir, filepath.FromSlash(MCRL2Template))
	tmpl, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	return MCRL2Spec(tmpl, c)
}

// MCRL2Spec instantiates the mCRL2 template for one config (as LoadConfigs
// returns it): it rewrites the CONFIG block from c's CONSTANTS — Bug, the
// budgets, Qty, Amount, and StockInit / BalanceInit, which must be 0..n —
// and keeps the BEGIN/END lines, so an instantiated spec is again a
// template. Errors name the cfg and the constant.
func MCRL2Spec(template []byte, c Config) ([]byte, error) {
	where := c.Path
	if where == "" {
		where = c.Name
	}
	lines := bytes.SplitAfter(template, []byte("\n"))
	begin, end := -1, -1
	for i, l := range lines {
		t := bytes.TrimSpace(l)
		switch {
		case bytes.HasPrefix(t, []byte("% CONFIG BEGIN")) && begin < 0:
			begin = i
		case bytes.HasPrefix(t, []byte("% CONFIG END")) && begin >= 0 && end < 0:
			end = i
		}
	}
	if begin < 0 || end < 0 {
		return nil, fmt.Errorf("mcrl2 template: no %% CONFIG BEGIN ... %% CONFIG END block")
	}
	block, err := mcrl2ConfigBlock(template, c, where)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	for _, l := range lines[:begin] {
		out.Write(l)
	}
	indent := string(lines[begin][:len(lines[begin])-len(bytes.TrimLeft(lines[begin], " \t"))])
	fmt.Fprintf(&out, "%s%% CONFIG BEGIN (config %s: rewritten from spec/tla/%s.cfg by formal.MCRL2Spec)\n", indent, c.Name, c.Name)
	for _, b := range block {
		out.WriteString(indent + b + "\n")
	}
	for _, l := range lines[end:] {
		out.Write(l)
	}
	return out.Bytes(), nil
}

// mcrl2Consts maps the mCRL2 CONFIG block's names to the TLA+ constants.
var mcrl2Consts = []struct{ mcrl2, tla string }{
	{"maxDup", "MaxDup"}, {"maxCrash", "MaxCrash"}, {"maxPart", "MaxPartition"},
	{"maxRead", "MaxRead"}, {"qty", "Qty"}, {"amount", "Amount"},
}

func mcrl2ConfigBlock(template []byte, c Config, where string) ([]string, error) {
	get := func(name string) (string, error) {
		v, ok := c.Constants[name]
		if !ok {
			return "", fmt.Errorf("%s: no constant %s", where, name)
		}
		return v, nil
	}
	if v, ok := c.Constants["Orders"]; ok && strings.ReplaceAll(v, " ", "") != `{"o-1"}` {
		return nil, fmt.Errorf(`%s: constant Orders = %s: the mCRL2 model has exactly one order, {"o-1"}`, where, v)
	}
	bug := "no_bug"
	if c.Bug != "none" {
		bug = strings.ReplaceAll(c.Bug, "-", "_")
	}
	if !mcrl2HasBug(template, bug) {
		return nil, fmt.Errorf("%s: constant Bug = %q: the mCRL2 template's BugT has no %s", where, c.Bug, bug)
	}
	out := []string{"bug = " + bug + ";"}
	for _, k := range mcrl2Consts {
		v, err := get(k.tla)
		if err != nil {
			return nil, err
		}
		n, err := strconv.ParseUint(v, 10, 31)
		if err != nil {
			return nil, fmt.Errorf("%s: constant %s = %s: not a natural number", where, k.tla, v)
		}
		out = append(out, fmt.Sprintf("%s = %d;", k.mcrl2, n))
	}
	for _, k := range []struct{ mcrl2, tla string }{{"stockMax", "StockInit"}, {"balMax", "BalanceInit"}} {
		v, err := get(k.tla)
		if err != nil {
			return nil, err
		}
		hi, err := zeroToN(v)
		if err != nil {
			return nil, fmt.Errorf("%s: constant %s = %s: %v", where, k.tla, v, err)
		}
		out = append(out, fmt.Sprintf("%s = %d;", k.mcrl2, hi))
	}
	return out, nil
}

var reBugSort = regexp.MustCompile(`(?s)BugT\s*=\s*struct\s+([^;]*);`)

func mcrl2HasBug(template []byte, bug string) bool {
	m := reBugSort.FindSubmatch(template)
	if m == nil {
		return false
	}
	for _, alt := range strings.Split(string(m[1]), "|") {
		if strings.TrimSpace(alt) == bug {
			return true
		}
	}
	return false
}

// zeroToN parses a TLA+ set of naturals that must be 0..n, written as
// "a..b" or "{0, 1, ...}", and returns n.
func zeroToN(v string) (int, error) {
	v = strings.TrimSpace(v)
	if lo, hi, ok := strings.Cut(v, ".."); ok {
		a, err1 := strconv.Atoi(strings.TrimSpace(lo))
		b, err2 := strconv.Atoi(strings.TrimSpace(hi))
		if err1 != nil || err2 != nil || a != 0 || b < 0 || b > 1<<20 {
			return 0, fmt.Errorf("want 0..n")
		}
		return b, nil
	}
	if !strings.HasPrefix(v, "{") || !strings.HasSuffix(v, "}") {
		return 0, fmt.Errorf("want {0, ..., n} or 0..n")
	}
	seen := map[int]bool{}
	hi := -1
	for _, f := range strings.Split(v[1:len(v)-1], ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 0 || n > 1<<20 {
			return 0, fmt.Errorf("want {0, ..., n} or 0..n")
		}
		seen[n] = true
		hi = max(hi, n)
	}
	if hi < 0 || len(seen) != hi+1 {
		return 0, fmt.Errorf("want every number 0..n (the mCRL2 model ranges over 0..n)")
	}
	return hi, nil
}
