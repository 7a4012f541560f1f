package zvcms

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// scanner reads one JSON document in a single pass, for the answers whose
// shape the package knows (the envelope and the coupons): it validates as
// encoding/json does, and lets the decoders take each member's value as it
// comes instead of decoding the document into maps or raw copies first.
type scanner struct {
	b []byte
	i int
}

// maxDepth bounds the nesting of skipped values, as encoding/json does.
const maxDepth = 10000

var errEOF = errors.New("unexpected end of JSON input")

func (s *scanner) syntax(what string) error {
	if s.i >= len(s.b) {
		return errEOF
	}
	return errors.New("invalid JSON at offset " + strconv.Itoa(s.i) + ": " + what)
}

// peek skips white space and returns the next byte, or 0 at the end.
func (s *scanner) peek() byte {
	for s.i < len(s.b) {
		switch c := s.b[s.i]; c {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return c
		}
	}
	return 0
}

// consume skips white space and c, or fails.
func (s *scanner) consume(c byte, what string) error {
	if s.peek() != c {
		return s.syntax("want " + what)
	}
	s.i++
	return nil
}

// end checks that nothing but white space follows the document.
func (s *scanner) end() error {
	if s.peek() != 0 || s.i < len(s.b) {
		return s.syntax("data after the top-level value")
	}
	return nil
}

// str reads the string at s.i and returns its value. Without escapes and in
// valid UTF-8 (the usual case) the value is the input's own bytes;
// otherwise it is decoded as encoding/json does (invalid UTF-8 becomes
// U+FFFD).
func (s *scanner) str() ([]byte, error) {
	if s.peek() != '"' {
		return nil, s.syntax("want a string")
	}
	start, j, esc := s.i, s.i+1, false
	for {
		if j >= len(s.b) {
			s.i = j
			return nil, errEOF
		}
		c := s.b[j]
		switch {
		case c == '"':
			s.i = j + 1
			in := s.b[start+1 : j]
			if !esc && utf8.Valid(in) {
				return in, nil
			}
			var v string
			if err := json.Unmarshal(s.b[start:j+1], &v); err != nil {
				return nil, err
			}
			return []byte(v), nil
		case c == '\\':
			esc = true
			if j+1 >= len(s.b) {
				s.i = j + 1
				return nil, errEOF
			}
			switch s.b[j+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j += 2
			case 'u':
				if j+6 > len(s.b) {
					s.i = len(s.b)
					return nil, errEOF
				}
				for _, h := range s.b[j+2 : j+6] {
					if !isHex(h) {
						s.i = j
						return nil, s.syntax("bad \\u escape")
					}
				}
				j += 6
			default:
				s.i = j
				return nil, s.syntax("bad escape")
			}
		case c < 0x20:
			s.i = j
			return nil, s.syntax("control character in string")
		default:
			j++
		}
	}
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// num reads the number at s.i and returns its text.
func (s *scanner) num() ([]byte, error) {
	b, j := s.b, s.i
	digits := func() bool {
		k := j
		for j < len(b) && b[j] >= '0' && b[j] <= '9' {
			j++
		}
		return j > k
	}
	if j < len(b) && b[j] == '-' {
		j++
	}
	switch {
	case j >= len(b):
		s.i = j
		return nil, errEOF
	case b[j] == '0':
		j++
	case b[j] >= '1' && b[j] <= '9':
		digits()
	default:
		s.i = j
		return nil, s.syntax("bad value")
	}
	if j < len(b) && b[j] == '.' {
		j++
		if !digits() {
			s.i = j
			return nil, s.syntax("bad number")
		}
	}
	if j < len(b) && (b[j] == 'e' || b[j] == 'E') {
		j++
		if j < len(b) && (b[j] == '+' || b[j] == '-') {
			j++
		}
		if !digits() {
			s.i = j
			return nil, s.syntax("bad number")
		}
	}
	out := b[s.i:j]
	s.i = j
	return out, nil
}

// literal reads true, false or null.
func (s *scanner) literal(word string) error {
	if len(s.b)-s.i < len(word) {
		if strings.HasPrefix(word, string(s.b[s.i:])) {
			s.i = len(s.b)
			return errEOF
		}
		return s.syntax("bad value")
	}
	if string(s.b[s.i:s.i+len(word)]) != word {
		return s.syntax("bad value")
	}
	s.i += len(word)
	return nil
}

// scalar reads a value that must be a string, a number, a bool or null, and
// returns its text as jsonx.Flex has it: a string's value, a number's or a
// bool's text, and nothing for null.
func (s *scanner) scalar() ([]byte, error) {
	switch s.peek() {
	case '"':
		return s.str()
	case 't':
		return trueText, s.literal("true")
	case 'f':
		return falseText, s.literal("false")
	case 'n':
		return nil, s.literal("null")
	case '{', '[':
		return nil, errors.New("want a string, number, bool or null, got " + strconv.Quote(string(s.b[s.i:min(len(s.b), s.i+16)])))
	default:
		return s.num()
	}
}

var trueText, falseText = []byte("true"), []byte("false")

// skip reads and validates any value.
func (s *scanner) skip(depth int) error {
	switch s.peek() {
	case '{', '[':
		if depth >= maxDepth {
			return s.syntax("exceeded max depth")
		}
		if s.b[s.i] == '[' {
			return s.array(func() error { return s.skip(depth + 1) })
		}
		return s.object(func([]byte) error { return s.skip(depth + 1) })
	case '"':
		_, err := s.str()
		return err
	case 't':
		return s.literal("true")
	case 'f':
		return s.literal("false")
	case 'n':
		return s.literal("null")
	default:
		_, err := s.num()
		return err
	}
}

// object reads an object, calling member with each key; member must read
// the key's value.
func (s *scanner) object(member func(key []byte) error) error {
	if err := s.consume('{', "an object"); err != nil {
		return err
	}
	if s.peek() == '}' {
		s.i++
		return nil
	}
	for {
		key, err := s.str()
		if err != nil {
			return err
		}
		if err := s.consume(':', "':'"); err != nil {
			return err
		}
		if err := member(key); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.i++
		case '}':
			s.i++
			return nil
		default:
			return s.syntax("want ',' or '}'")
		}
	}
}

// array reads an array, calling elem for each element; elem must read it.
func (s *scanner) array(elem func() error) error {
	if err := s.consume('[', "an array"); err != nil {
		return err
	}
	if s.peek() == ']' {
		s.i++
		return nil
	}
	for {
		if err := elem(); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.i++
		case ']':
			s.i++
			return nil
		default:
			return s.syntax("want ',' or ']'")
		}
	}
}

// field returns the index of key in names, matched exactly or, as
// encoding/json matches struct fields, without regard to case; -1 if none.
func field(key []byte, names []string) int {
	for i, n := range names {
		if string(key) == n {
			return i
		}
	}
	for i, n := range names {
		if strings.EqualFold(string(key), n) {
			return i
		}
	}
	return -1
}
