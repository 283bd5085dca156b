package crosscheck

import (
	"fmt"
	"strconv"
	"strings"
)

// parser reads TLA+ values as TLC prints them.
type parser struct {
	s     string
	i     int
	depth int
}

// maxDepth bounds nesting (bad input must not exhaust the stack).
const maxDepth = 64

func (p *parser) errorf(format string, args ...any) error {
	near := p.s[p.i:]
	if len(near) > 20 {
		near = near[:20]
	}
	return fmt.Errorf("tla value: offset %d (near %q): %s", p.i, near, fmt.Sprintf(format, args...))
}

func (p *parser) skip() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

func (p *parser) eat(tok string) bool {
	if strings.HasPrefix(p.s[p.i:], tok) {
		p.i += len(tok)
		return true
	}
	return false
}

func (p *parser) ident() string {
	j := p.i
	for j < len(p.s) {
		c := p.s[j]
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || j > p.i && c >= '0' && c <= '9' {
			j++
			continue
		}
		break
	}
	id := p.s[p.i:j]
	p.i = j
	return id
}

func (p *parser) value() (Value, error) {
	p.skip()
	if p.i == len(p.s) {
		return Value{}, p.errorf("want a value")
	}
	if p.depth++; p.depth > maxDepth {
		return Value{}, p.errorf("nested too deep")
	}
	defer func() { p.depth-- }()
	switch c := p.s[p.i]; {
	case c == '"':
		return p.str()
	case c == '-' || c >= '0' && c <= '9':
		return p.int()
	case c == '{':
		p.i++
		elems, err := p.list("}")
		return Value{Kind: KindSet, Elems: elems}, err
	case p.eat("<<"):
		elems, err := p.list(">>")
		return Value{Kind: KindSeq, Elems: elems}, err
	case c == '[':
		p.i++
		return p.record()
	case c == '(':
		p.i++
		return p.fn()
	case p.eat("TRUE"):
		return Value{Kind: KindBool, Int: 1}, nil
	case p.eat("FALSE"):
		return Value{Kind: KindBool}, nil
	}
	return Value{}, p.errorf("want a value")
}

func (p *parser) str() (Value, error) {
	var b strings.Builder
	for p.i++; p.i < len(p.s); p.i++ {
		switch c := p.s[p.i]; c {
		case '"':
			p.i++
			return Value{Kind: KindString, Str: b.String()}, nil
		case '\\':
			if p.i++; p.i == len(p.s) {
				return Value{}, p.errorf("unterminated string")
			}
			switch e := p.s[p.i]; e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			default:
				b.WriteByte(e)
			}
		default:
			b.WriteByte(c)
		}
	}
	return Value{}, p.errorf("unterminated string")
}

func (p *parser) int() (Value, error) {
	j := p.i
	if p.s[j] == '-' {
		j++
	}
	k := j
	for k < len(p.s) && p.s[k] >= '0' && p.s[k] <= '9' {
		k++
	}
	n, err := strconv.ParseInt(p.s[p.i:k], 10, 64)
	if err != nil || k == j {
		return Value{}, p.errorf("bad integer")
	}
	p.i = k
	return Value{Kind: KindInt, Int: n}, nil
}

// list reads "v, v, …" up to the closing token.
func (p *parser) list(end string) ([]Value, error) {
	var out []Value
	if p.skip(); p.eat(end) {
		return out, nil
	}
	for {
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		p.skip()
		if p.eat(end) {
			return out, nil
		}
		if !p.eat(",") {
			return nil, p.errorf("want , or %s", end)
		}
	}
}

// record reads "f |-> v, …]" (after "[").
func (p *parser) record() (Value, error) {
	f := Value{Kind: KindFunc}
	if p.skip(); p.eat("]") {
		return f, nil
	}
	for {
		p.skip()
		name := p.ident()
		if name == "" {
			return Value{}, p.errorf("want a field name")
		}
		if p.skip(); !p.eat("|->") {
			return Value{}, p.errorf("want |->")
		}
		v, err := p.value()
		if err != nil {
			return Value{}, err
		}
		f.Keys = append(f.Keys, Value{Kind: KindString, Str: name})
		f.Vals = append(f.Vals, v)
		p.skip()
		if p.eat("]") {
			return f, nil
		}
		if !p.eat(",") {
			return Value{}, p.errorf("want , or ]")
		}
	}
}

// fn reads "k :> v @@ k :> v)" (after "("), or a parenthesised value.
func (p *parser) fn() (Value, error) {
	f := Value{Kind: KindFunc}
	for {
		k, err := p.value()
		if err != nil {
			return Value{}, err
		}
		p.skip()
		if len(f.Keys) == 0 && p.eat(")") {
			return k, nil // (v): just parentheses
		}
		if !p.eat(":>") {
			return Value{}, p.errorf("want :>")
		}
		v, err := p.value()
		if err != nil {
			return Value{}, err
		}
		f.Keys = append(f.Keys, k)
		f.Vals = append(f.Vals, v)
		p.skip()
		if p.eat(")") {
			return f, nil
		}
		if !p.eat("@@") {
			return Value{}, p.errorf("want @@ or )")
		}
	}
}
