// Package csvio reads CSV input files with a header row, reporting every row
// with its line number so a malformed row can be named.
package csvio

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Row is one data row.
type Row struct {
	// Line is the row's line number in the file, counting from 1 (the header is line 1).
	Line int
	// Fields maps each header column (lower case, trimmed) to its value (trimmed).
	Fields map[string]string
	// Err is set when the row is malformed (wrong number of fields, a CSV
	// syntax error); Fields is then nil.
	Err error
}

// Get returns the value of column name.
func (r Row) Get(name string) string { return r.Fields[name] }

// RowError is a malformed row.
type RowError struct {
	Line int
	Err  error
}

func (e *RowError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e *RowError) Unwrap() error { return e.Err }

// Reader reads rows.
type Reader struct {
	r      *csv.Reader
	header []string
}

// NewReader reads the header row of r and checks that every column of
// required is present.
func NewReader(r io.Reader, required ...string) (*Reader, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	cr.TrimLeadingSpace = true
	h, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("line 1: empty file (a header row is required)")
	}
	if err != nil {
		return nil, fmt.Errorf("line 1: %w", err)
	}
	header := make([]string, len(h))
	seen := map[string]bool{}
	for i, c := range h {
		c = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(c, "\ufeff")))
		header[i] = c
		seen[c] = true
	}
	var missing []string
	for _, c := range required {
		if !seen[c] {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("line 1: header lacks column(s) %s (has %s)", strings.Join(missing, ", "), strings.Join(header, ","))
	}
	return &Reader{r: cr, header: header}, nil
}

// Header returns the header's column names.
func (r *Reader) Header() []string { return r.header }

// Next returns the next row, a row with Err set for a malformed one, or io.EOF.
// Blank lines are skipped.
func (r *Reader) Next() (Row, error) {
	rec, err := r.r.Read()
	if errors.Is(err, io.EOF) {
		return Row{}, io.EOF
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return Row{Line: pe.StartLine, Err: &RowError{Line: pe.StartLine, Err: pe.Err}}, nil
		}
		return Row{}, err
	}
	line, _ := r.r.FieldPos(0)
	if len(rec) != len(r.header) {
		return Row{Line: line, Err: &RowError{Line: line, Err: fmt.Errorf("%d fields, the header has %d", len(rec), len(r.header))}}, nil
	}
	f := make(map[string]string, len(rec))
	for i, v := range rec {
		f[r.header[i]] = strings.TrimSpace(v)
	}
	return Row{Line: line, Fields: f}, nil
}

// Bad returns a row error for line.
func Bad(line int, format string, args ...any) error {
	return &RowError{Line: line, Err: fmt.Errorf(format, args...)}
}
