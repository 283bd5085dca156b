package crosscheck

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Value is a TLA+ value as TLC prints it: an integer, a string, a boolean,
// a set, a sequence or a function (records are functions on strings).
type Value struct {
	Kind  Kind
	Int   int64
	Str   string  // KindString
	Elems []Value // KindSet, KindSeq
	Keys  []Value // KindFunc: Keys[i] :> Vals[i]
	Vals  []Value
}

// Kind is the kind of a Value.
type Kind byte

// Value kinds.
const (
	KindInt Kind = iota
	KindString
	KindBool
	KindSet
	KindSeq
	KindFunc
)

// Canon prints v canonically: sets sorted and without repeats, functions
// and records as (k :> v @@ …) sorted by key (record fields are string
// keys; integers sort first and numerically, everything else by text), a function on 1..n as the sequence <<…>>, the empty function as
// <<>>. Two values are equal in TLA+ exactly when their Canon texts are.
func (v Value) Canon() string {
	var b strings.Builder
	v.canon(&b)
	return b.String()
}

func (v Value) canon(b *strings.Builder) {
	switch v.Kind {
	case KindInt:
		b.WriteString(strconv.FormatInt(v.Int, 10))
	case KindString:
		b.WriteString(quoteTLA(v.Str))
	case KindBool:
		b.WriteString(map[bool]string{true: "TRUE", false: "FALSE"}[v.Int != 0])
	case KindSet:
		parts := sortedTexts(v.Elems, nil)
		b.WriteString("{" + strings.Join(slices.Compact(parts), ", ") + "}")
	case KindSeq:
		b.WriteString("<<")
		for i, e := range v.Elems {
			if i > 0 {
				b.WriteString(", ")
			}
			e.canon(b)
		}
		b.WriteString(">>")
	case KindFunc:
		if seq, ok := v.asSeq(); ok {
			seq.canon(b)
			return
		}
		parts := sortedTexts(v.Keys, v.Vals)
		b.WriteString("(" + strings.Join(parts, " @@ ") + ")")
	}
}

// sortedTexts returns the canonical texts of elems ("k |-> v" when vals is
// given, "k :> v"), in canonical order: integers first, numerically, then the others
// by text.
func sortedTexts(elems, vals []Value) []string {
	type item struct {
		v    Value
		text string
	}
	items := make([]item, len(elems))
	for i, e := range elems {
		items[i] = item{e, e.Canon()}
		if vals != nil {
			items[i].text += " :> " + vals[i].Canon()
		}
	}
	slices.SortFunc(items, func(x, y item) int {
		xi, yi := x.v.Kind == KindInt, y.v.Kind == KindInt
		switch {
		case xi && yi:
			return cmp.Compare(x.v.Int, y.v.Int)
		case xi:
			return -1
		case yi:
			return 1
		}
		return strings.Compare(x.text, y.text)
	})
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.text
	}
	return out
}

// asSeq returns a function on 1..n (or the empty function) as a sequence.
func (v Value) asSeq() (Value, bool) {
	elems := make([]Value, len(v.Keys))
	seen := make([]bool, len(v.Keys))
	for i, k := range v.Keys {
		if k.Kind != KindInt || k.Int < 1 || k.Int > int64(len(v.Keys)) || seen[k.Int-1] {
			return v, false
		}
		seen[k.Int-1] = true
		elems[k.Int-1] = v.Vals[i]
	}
	return Value{Kind: KindSeq, Elems: elems}, true
}

// quoteTLA quotes a string as TLA+ does: \ and " escaped.
func quoteTLA(s string) string {
	if !strings.ContainsAny(s, "\\\"\n\t") {
		return `"` + s + `"`
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\t", `\t`)
	return `"` + r.Replace(s) + `"`
}

// ParseValue parses one TLA+ value as TLC prints it.
func ParseValue(text string) (Value, error) {
	p := &parser{s: text}
	v, err := p.value()
	if err != nil {
		return Value{}, err
	}
	if p.skip(); p.i != len(p.s) {
		return Value{}, p.errorf("trailing text")
	}
	return v, nil
}

// ParseState parses a state as TLC prints it ("/\ x = 1 /\ y = {}", with
// any white space) into its variables.
func ParseState(text string) (map[string]Value, error) {
	p := &parser{s: text}
	vars := map[string]Value{}
	for {
		p.skip()
		if p.i == len(p.s) {
			break
		}
		if !p.eat(`/\`) && len(vars) > 0 {
			return nil, p.errorf(`want /\`)
		}
		p.skip()
		name := p.ident()
		if name == "" {
			return nil, p.errorf("want a variable name")
		}
		if p.skip(); !p.eat("=") {
			return nil, p.errorf("want = after %s", name)
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		if _, dup := vars[name]; dup {
			return nil, p.errorf("variable %s twice", name)
		}
		vars[name] = v
	}
	if len(vars) == 0 {
		return nil, fmt.Errorf("tla state: no variables")
	}
	return vars, nil
}

// CanonState prints a state canonically: "/\ name = Canon(value)" for every
// variable, sorted by name, on one line.
func CanonState(vars map[string]Value) string {
	names := make([]string, 0, len(vars))
	for n := range vars {
		names = append(names, n)
	}
	slices.Sort(names)
	var b strings.Builder
	for i, n := range names {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(`/\ ` + n + " = ")
		vars[n].canon(&b)
	}
	return b.String()
}
