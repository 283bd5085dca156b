package jepsen

import (
	"fmt"
)

// This file finds where each record of an EDN history starts and ends, so
// that errors can name a line. It does not parse values: each record's text
// goes to the EDN library (read.go), which does. It only has to know what
// can hide a bracket: strings, character literals, comments and #_ discards.

// form is the text of one record, the line (1-based) it starts on, and
// its place in the data: text is data[start:end].
type form struct {
	text       []byte
	line       int
	start, end int
}

// scanner walks EDN text, counting lines.
type scanner struct {
	data []byte
	pos  int
	line int
}

// splitForms returns the records of a history: the top-level forms, one map
// per record (Jepsen's history.edn), or, when the text is one vector
// or list (Knossos' data files), its elements.
func splitForms(data []byte) ([]form, error) {
	s := &scanner{data: data, line: 1}
	if err := s.skipSpace(); err != nil {
		return nil, err
	}
	if s.pos < len(data) && (data[s.pos] == '[' || data[s.pos] == '(') {
		return s.vectorElements()
	}
	var forms []form
	for {
		if err := s.skipSpace(); err != nil {
			return nil, err
		}
		if s.pos == len(data) {
			return forms, nil
		}
		f, err := s.form()
		if err != nil {
			return nil, err
		}
		forms = append(forms, f)
	}
}

func (s *scanner) vectorElements() ([]form, error) {
	openLine, closer := s.line, closers[s.data[s.pos]]
	s.pos++ // '[' or '('
	var forms []form
	for {
		if err := s.skipSpace(); err != nil {
			return nil, err
		}
		if s.pos == len(s.data) {
			return nil, fmt.Errorf("%d: the history vector opened here is not closed", openLine)
		}
		if s.data[s.pos] == closer {
			s.pos++
			break
		}
		f, err := s.form()
		if err != nil {
			return nil, err
		}
		forms = append(forms, f)
	}
	if err := s.skipSpace(); err != nil {
		return nil, err
	}
	if s.pos != len(s.data) {
		return nil, fmt.Errorf("%d: text after the history vector closed", s.line)
	}
	return forms, nil
}

// skipSpace skips whitespace, commas, comments and #_ discarded forms.
func (s *scanner) skipSpace() error {
	for s.pos < len(s.data) {
		switch c := s.data[s.pos]; {
		case c == '\n':
			s.line++
			s.pos++
		case c == ' ' || c == '\t' || c == '\r' || c == ',' || c == '\f':
			s.pos++
		case c == ';':
			for s.pos < len(s.data) && s.data[s.pos] != '\n' {
				s.pos++
			}
		case c == '#' && s.pos+1 < len(s.data) && s.data[s.pos+1] == '_':
			s.pos += 2
			if err := s.skipSpace(); err != nil {
				return err
			}
			if s.pos == len(s.data) {
				return fmt.Errorf("%d: #_ discards nothing", s.line)
			}
			if _, err := s.form(); err != nil {
				return err
			}
		default:
			return nil
		}
	}
	return nil
}

// form reads one form starting at pos (not at a space).
func (s *scanner) form() (form, error) {
	start, line := s.pos, s.line
	if err := s.skipForm(); err != nil {
		return form{}, err
	}
	return form{text: s.data[start:s.pos], line: line, start: start, end: s.pos}, nil
}

// closers maps an opening bracket to its closing one.
var closers = map[byte]byte{'(': ')', '[': ']', '{': '}'}

func (s *scanner) skipForm() error {
	c := s.data[s.pos]
	switch {
	case c == '(' || c == '[' || c == '{':
		return s.skipDelimited()
	case c == '"':
		return s.skipString()
	case c == '\\':
		s.skipChar()
		return nil
	case c == ')' || c == ']' || c == '}':
		return fmt.Errorf("%d: unexpected %q", s.line, c)
	case c == '#' && s.pos+1 < len(s.data) && s.data[s.pos+1] == '{':
		s.pos++
		return s.skipDelimited()
	case c == '#':
		// A tag (#inst, #jepsen.history.Op): the tag, then the tagged form.
		s.pos++
		s.skipAtom()
		if err := s.skipSpace(); err != nil {
			return err
		}
		if s.pos == len(s.data) {
			return fmt.Errorf("%d: tag without a value", s.line)
		}
		return s.skipForm()
	}
	s.skipAtom()
	return nil
}

// skipDelimited skips a list, vector, map or set, nested to any depth.
func (s *scanner) skipDelimited() error {
	type open struct {
		closer byte
		line   int
	}
	stack := []open{{closers[s.data[s.pos]], s.line}}
	s.pos++
	for len(stack) > 0 {
		if err := s.skipSpace(); err != nil {
			return err
		}
		if s.pos == len(s.data) {
			top := stack[len(stack)-1]
			return fmt.Errorf("%d: %q opened here is not closed", top.line, opener(top.closer))
		}
		switch c := s.data[s.pos]; {
		case c == '(' || c == '[' || c == '{':
			stack = append(stack, open{closers[c], s.line})
			s.pos++
		case c == '#' && s.pos+1 < len(s.data) && s.data[s.pos+1] == '{':
			stack = append(stack, open{'}', s.line})
			s.pos += 2
		case c == ')' || c == ']' || c == '}':
			top := stack[len(stack)-1]
			if c != top.closer {
				return fmt.Errorf("%d: %q closes %q opened on line %d", s.line, c, opener(top.closer), top.line)
			}
			stack = stack[:len(stack)-1]
			s.pos++
		case c == '"':
			if err := s.skipString(); err != nil {
				return err
			}
		case c == '\\':
			s.skipChar()
		default:
			s.skipAtom()
		}
	}
	return nil
}

func opener(closer byte) byte {
	for o, c := range closers {
		if c == closer {
			return o
		}
	}
	return '?'
}

func (s *scanner) skipString() error {
	line := s.line
	s.pos++ // opening quote
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case '\\':
			s.pos++
			if s.pos < len(s.data) && s.data[s.pos] == '\n' {
				s.line++
			}
		case '"':
			s.pos++
			return nil
		case '\n':
			s.line++
		}
		s.pos++
	}
	return fmt.Errorf("%d: string opened here is not closed", line)
}

// skipChar skips a character literal: a backslash, one character, and the
// letters of a named one (\newline, \u0041).
func (s *scanner) skipChar() {
	s.pos++ // backslash
	if s.pos < len(s.data) {
		if s.data[s.pos] == '\n' {
			s.line++
		}
		s.pos++
	}
	s.skipAtom()
}

// skipAtom skips a symbol, keyword, number or tag name: up to a delimiter.
func (s *scanner) skipAtom() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\r', '\n', '\f', ',', '(', ')', '[', ']', '{', '}', '"', ';', '\\':
			return
		case '#':
			if s.pos+1 < len(s.data) && (s.data[s.pos+1] == '{' || s.data[s.pos+1] == '_') {
				return
			}
		}
		s.pos++
	}
}
