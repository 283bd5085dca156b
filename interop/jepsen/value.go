package jepsen

import (
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"olympos.io/encoding/edn"
)

// Canonical returns one text form per EDN value, such that two decoded values
// have the same form exactly when Clojure's = holds for them, for the kinds of
// values histories hold: 1 and 1N are equal, 1 and 1.0 are not; a vector and
// a list with the same elements are equal; maps and sets compare regardless
// of order. The models (model/register_porcupine.go) compare these strings.
func Canonical(v any) string {
	var b strings.Builder
	writeCanonical(&b, v)
	return b.String()
}

func writeCanonical(b *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("nil")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case *big.Int:
		b.WriteString(x.String())
	case big.Int:
		b.WriteString(x.String())
	case float64:
		s := strconv.FormatFloat(x, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eEnN") { // NaN, Inf contain n/N
			s += ".0"
		}
		b.WriteString(s)
	case *big.Float:
		b.WriteString(x.Text('g', -1) + "M")
	case string:
		b.WriteString(strconv.Quote(x))
	case int32: // an EDN character
		b.WriteString(`\` + string(rune(x)))
	case edn.Keyword:
		b.WriteString(":" + string(x))
	case edn.Symbol:
		b.WriteString(string(x))
	case []any:
		writeSeq(b, "[", x, "]")
	case map[any]any:
		parts := make([]string, 0, len(x))
		for k, val := range x {
			parts = append(parts, Canonical(k)+" "+Canonical(val))
		}
		sort.Strings(parts)
		b.WriteString("{" + strings.Join(parts, ", ") + "}")
	case map[any]bool:
		parts := make([]string, 0, len(x))
		for k := range x {
			parts = append(parts, Canonical(k))
		}
		sort.Strings(parts)
		b.WriteString("#{" + strings.Join(parts, " ") + "}")
	case edn.Tag:
		b.WriteString("#" + x.Tagname + " ")
		writeCanonical(b, x.Value)
	default:
		fmt.Fprintf(b, "%v", x)
	}
}

func writeSeq(b *strings.Builder, open string, xs []any, close string) {
	b.WriteString(open)
	for i, x := range xs {
		if i > 0 {
			b.WriteByte(' ')
		}
		writeCanonical(b, x)
	}
	b.WriteString(close)
}

// asInt returns v as an int64 when it is an EDN integer that fits.
func asInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case *big.Int:
		if x.IsInt64() {
			return x.Int64(), true
		}
	case big.Int:
		if x.IsInt64() {
			return x.Int64(), true
		}
	}
	return 0, false
}

// keywordName returns the name of a keyword (without its colon), or the
// canonical text of any other value, so that :read and "read" stay apart.
func keywordName(v any) string {
	if k, ok := v.(edn.Keyword); ok {
		return string(k)
	}
	return Canonical(v)
}

// isKeyword reports whether v is the keyword :name.
func isKeyword(v any, name string) bool {
	k, ok := v.(edn.Keyword)
	return ok && string(k) == name
}
