package crosscheck

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// ParseTLCDot reads the state graph TLC writes with -dump dot,actionlabels
// and canonicalises it: node lines `ID [label="<state>"…]` (initial states
// carry style = filled), edge lines `A -> B [label="<action>",…]`. Errors
// name the line.
func ParseTLCDot(r io.Reader) (CanonGraph, error) {
	raw := rawGraph{state: map[string]string{}}
	br := bufio.NewReaderSize(r, 1<<20)
	for n := 1; ; n++ {
		line, err := br.ReadString('\n')
		if err != nil && err != io.EOF {
			return CanonGraph{}, fmt.Errorf("tlc dot: line %d: %v", n, err)
		}
		if perr := raw.dotLine(strings.TrimRight(line, "\r\n")); perr != nil {
			return CanonGraph{}, fmt.Errorf("tlc dot: line %d: %v", n, perr)
		}
		if err == io.EOF {
			break
		}
	}
	if len(raw.state) == 0 {
		return CanonGraph{}, fmt.Errorf("tlc dot: no states")
	}
	g, err := raw.canon()
	if err != nil {
		return g, fmt.Errorf("tlc dot: %v", err)
	}
	return g, nil
}

// dotLine takes one line of the dump; lines that are neither a node nor an
// edge (the graph's header, rank groups, braces) are skipped.
func (r *rawGraph) dotLine(line string) error {
	id, rest, ok := strings.Cut(line, " ")
	if !ok || !isDotID(id) {
		return nil
	}
	if to, attrs, isEdge := strings.Cut(strings.TrimPrefix(rest, "-> "), " "); strings.HasPrefix(rest, "-> ") && isEdge {
		if !isDotID(to) {
			return fmt.Errorf("edge target %q is not a node id", to)
		}
		label, _, err := dotLabel(attrs)
		if err != nil {
			return err
		}
		r.edges = append(r.edges, [3]string{id, label, to})
		return nil
	}
	label, after, err := dotLabel(rest)
	if err != nil {
		return err
	}
	vars, err := ParseState(label)
	if err != nil {
		return fmt.Errorf("state %s: %v", id, err)
	}
	r.state[id] = CanonState(vars)
	if strings.Contains(after, "style = filled") {
		r.init = append(r.init, id)
	}
	return nil
}

// isDotID reports whether s is a TLC node id (a fingerprint: an integer).
func isDotID(s string) bool {
	if strings.HasPrefix(s, "-") {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// dotLabel reads `[label="…"` and returns the unescaped label and the text
// after its closing quote.
func dotLabel(attrs string) (string, string, error) {
	const open = `[label="`
	if !strings.HasPrefix(attrs, open) {
		return "", "", fmt.Errorf("want %s", open)
	}
	var b strings.Builder
	for i := len(open); i < len(attrs); i++ {
		switch c := attrs[i]; c {
		case '"':
			return b.String(), attrs[i+1:], nil
		case '\\':
			if i++; i == len(attrs) {
				return "", "", fmt.Errorf("label ends in a backslash")
			}
			if attrs[i] == 'n' {
				b.WriteByte('\n')
			} else {
				b.WriteByte(attrs[i])
			}
		default:
			b.WriteByte(c)
		}
	}
	return "", "", fmt.Errorf("unterminated label")
}
