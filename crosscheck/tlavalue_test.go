package crosscheck

import (
	"testing"
)

func TestCanonEquivalentForms(t *testing.T) {
	same := [][]string{
		{`[a |-> 1, b |-> "x"]`, `[b |-> "x", a |-> 1]`, `("a" :> 1 @@ "b" :> "x")`},
		{`{3, 1, 2, 1}`, `{1, 2, 3}`},
		{`<<"a", "b">>`, `(1 :> "a" @@ 2 :> "b")`, `(2 :> "b" @@ 1 :> "a")`},
		{`{10, 9}`, `{9, 10}`},
		{`-3`, `(-3)`},
		{"[ orders |-> {},\n  inventory |-> {1} ]", `[inventory |-> {1}, orders |-> {}]`},
		{`"a\"b"`, `"a\"b"`},
	}
	for _, group := range same {
		var first string
		for i, text := range group {
			v, err := ParseValue(text)
			if err != nil {
				t.Fatalf("%s: %v", text, err)
			}
			if i == 0 {
				first = v.Canon()
				continue
			}
			if got := v.Canon(); got != first {
				t.Errorf("%s -> %s, want %s (as %s)", text, got, first, group[0])
			}
		}
	}
	differ := [][2]string{{`{1}`, `<<1>>`}, {`"1"`, `1`}, {`[a |-> 1]`, `[a |-> 2]`}, {`TRUE`, `FALSE`}, {`<<1, 2>>`, `<<2, 1>>`}}
	for _, d := range differ {
		a, err1 := ParseValue(d[0])
		b, err2 := ParseValue(d[1])
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if a.Canon() == b.Canon() {
			t.Errorf("%s and %s canonicalise alike", d[0], d[1])
		}
	}
}

func TestParseValueErrors(t *testing.T) {
	for _, bad := range []string{``, `{1,`, `[a |-> ]`, `"abc`, `<<1 2>>`, `(1 :> 2`, `[1 |-> 2]`, `{1} x`, `@`} {
		if _, err := ParseValue(bad); err == nil {
			t.Errorf("ParseValue(%q) accepted", bad)
		}
	}
	if _, err := ParseState(`/\ x = 1 /\ x = 2`); err == nil {
		t.Error("ParseState accepted a variable twice")
	}
	if _, err := ParseState(`/\ x 1`); err == nil {
		t.Error("ParseState accepted a conjunct without =")
	}
}

func FuzzParseValue(f *testing.F) {
	for _, s := range []string{`[a |-> {1, 2}, b |-> <<"x">>]`, `("o-1" :> [floor |-> "none", got |-> "none"])`,
		`{}`, `<<>>`, `-12`, `TRUE`, `"a\\b"`, `((1))`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseValue(s)
		if err != nil {
			return
		}
		// Canon is a fixed point: its text parses to the same canonical text.
		c := v.Canon()
		w, err := ParseValue(c)
		if err != nil {
			t.Fatalf("canonical text %q of %q does not parse: %v", c, s, err)
		}
		if w.Canon() != c {
			t.Fatalf("canon not idempotent: %q -> %q -> %q", s, c, w.Canon())
		}
	})
}
