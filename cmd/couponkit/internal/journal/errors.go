package journal

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"modernc.org/sqlite"
)

// sqliteWords says in words what an SQLite result code means to someone
// running the command (primary codes; the extended ones are reduced to them).
var sqliteWords = map[int]string{
	3:  "permission denied",
	5:  "busy: another process is writing to the journal and did not finish in time",
	6:  "locked by another connection of this process",
	7:  "out of memory",
	8:  "read-only: the journal file or its folder cannot be written",
	10: "input/output error reading or writing the journal",
	11: "the journal file is damaged",
	13: "the disk is full",
	14: "cannot open the journal file (does its folder exist, and may it be written?)",
	19: "a constraint of the journal was violated",
	23: "not authorised",
	26: "not a journal: the file is not an SQLite database",
}

// pathError names the journal file in err and says what an SQLite result
// code means in words (the code's name is kept in brackets for a search).
type pathError struct {
	path string
	err  error
}

func (e *pathError) Error() string {
	var se *sqlite.Error
	if errors.As(e.err, &se) {
		if w, ok := sqliteWords[se.Code()&0xff]; ok {
			return fmt.Sprintf("journal %s: %s (%s)", e.path, w, codeName(se.Code()))
		}
	}
	return fmt.Sprintf("journal %s: %v", e.path, e.err)
}

func (e *pathError) Unwrap() error { return e.err }

// wrap names the journal file in err; nil stays nil, and an error that
// already names it is returned as is.
func (j *Journal) wrap(err error) error {
	if err == nil {
		return nil
	}
	var pe *pathError
	if errors.As(err, &pe) {
		return err
	}
	var he *HeldError
	if errors.As(err, &he) || errors.Is(err, ErrLockLost) || errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return &pathError{path: j.path, err: err}
}

// codeName returns SQLite's name of code (SQLITE_BUSY), or its number.
func codeName(code int) string {
	s := sqlite.ErrorCodeString[code]
	if i := strings.LastIndexByte(s, '('); i >= 0 && strings.HasSuffix(s, ")") {
		return s[i+1 : len(s)-1]
	}
	return fmt.Sprintf("SQLite code %d", code)
}
