package probe

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// Transcript is a run's exchanges, redacted, with what identifies the run:
// what a test loads to hold a fake to a real gateway's answers.
type Transcript struct {
	Version   string     `json:"version"`
	Vendor    string     `json:"vendor"`
	Gateway   string     `json:"gateway"`
	Date      string     `json:"date"`
	Exchanges []Exchange `json:"exchanges"`
}

// TranscriptOf returns the run's transcript.
func (r *Report) TranscriptOf() *Transcript {
	return &Transcript{Version: r.Version, Vendor: r.Vendor, Gateway: r.Gateway, Date: r.Date, Exchanges: r.Transcript}
}

// Write writes t as indented JSON.
func (t *Transcript) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(t)
}

// LoadTranscript reads a transcript written by Write.
func LoadTranscript(r io.Reader) (*Transcript, error) {
	var t Transcript
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("transcript: %v", err)
	}
	if t.Vendor == "" {
		return nil, fmt.Errorf("transcript: no vendor")
	}
	return &t, nil
}

// Shape is the JSON shape of an answer: each path (object keys joined with
// ".", array elements as "[]") and the JSON type found there ("string",
// "number", "bool", "null", "object", "array"; "string|number" when the
// elements of an array differ).
type Shape map[string]string

// ShapeOf returns the shape of a JSON text, or nil when it is not JSON.
func ShapeOf(body string) Shape {
	var doc any
	if json.Unmarshal([]byte(body), &doc) != nil {
		return nil
	}
	s := Shape{}
	s.add("", doc)
	return s
}

func (s Shape) add(path string, v any) {
	var typ string
	switch t := v.(type) {
	case map[string]any:
		typ = "object"
		for k, x := range t {
			s.add(join(path, k), x)
		}
	case []any:
		typ = "array"
		for _, x := range t {
			s.add(path+"[]", x)
		}
	case string:
		typ = "string"
	case float64:
		typ = "number"
	case bool:
		typ = "bool"
	default:
		typ = "null"
	}
	if path == "" {
		return
	}
	if have, ok := s[path]; ok && have != typ && !slices.Contains(strings.Split(have, "|"), typ) {
		parts := append(strings.Split(have, "|"), typ)
		slices.Sort(parts)
		typ = strings.Join(parts, "|")
	}
	s[path] = typ
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// Difference is one way a fresh answer's shape differs from a recorded one.
type Difference struct {
	// Call is the call whose answers differ; Path the field.
	Call, Path string
	// Recorded and Fresh are the types at Path ("" where absent).
	Recorded, Fresh string
}

// String says the difference in words.
func (d Difference) String() string {
	switch {
	case d.Fresh == "":
		return fmt.Sprintf("%s: %s (%s) is missing", d.Call, d.Path, d.Recorded)
	case d.Recorded == "":
		return fmt.Sprintf("%s: %s (%s) was not in the recorded answer", d.Call, d.Path, d.Fresh)
	}
	return fmt.Sprintf("%s: %s is %s, recorded %s", d.Call, d.Path, d.Fresh, d.Recorded)
}

// Compare holds fresh answers (from a fake, say) to recorded ones (from the
// real gateway): for every call both have, the shapes of all its answers
// (merged) must have the same paths with the same types. A null on either
// side matches any type (a field the vendor leaves empty). Calls only one
// side has are not compared.
func Compare(recorded, fresh *Transcript) []Difference {
	rs, fs := shapesByCall(recorded), shapesByCall(fresh)
	var out []Difference
	for _, call := range slices.Sorted(maps.Keys(rs)) {
		f, ok := fs[call]
		if !ok {
			continue
		}
		r := rs[call]
		paths := slices.Sorted(maps.Keys(r))
		for p := range f {
			if _, ok := r[p]; !ok {
				paths = append(paths, p)
			}
		}
		slices.Sort(paths)
		for _, p := range paths {
			rt, ft := r[p], f[p]
			if rt == ft || rt == "null" || ft == "null" {
				continue
			}
			out = append(out, Difference{Call: call, Path: p, Recorded: rt, Fresh: ft})
		}
	}
	return out
}

// shapesByCall merges the shapes of the answers of each call.
func shapesByCall(t *Transcript) map[string]Shape {
	out := map[string]Shape{}
	for _, ex := range t.Exchanges {
		s := ShapeOf(ex.ResponseBody)
		if s == nil {
			continue
		}
		m, ok := out[ex.Call]
		if !ok {
			m = Shape{}
			out[ex.Call] = m
		}
		for p, typ := range s {
			if have, ok := m[p]; ok && have != typ {
				parts := append(strings.Split(have, "|"), strings.Split(typ, "|")...)
				slices.Sort(parts)
				typ = strings.Join(slices.Compact(parts), "|")
			}
			m[p] = typ
		}
	}
	return out
}
