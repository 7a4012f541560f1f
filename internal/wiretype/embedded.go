package wiretype

import (
	"encoding/json"
	"errors"
)

// Embedded is a JSON value a vendor carries as the text of a JSON string:
// TOP's token_result is "{\"access_token\":…}", an object written as a
// string. It reads that string's text as JSON into V; it also reads the value
// itself when a vendor (or a simplified answer) writes it unquoted. The empty
// string and null leave V as it is. It is written back as a string holding
// V's JSON text, so it round-trips.
type Embedded[T any] struct {
	V T
}

// UnmarshalJSON reads a string holding JSON text, or the JSON value itself.
// A string whose text is not JSON that decodes into V is an error, so that
// an answer nobody can read is reported as unreadable.
func (e *Embedded[T]) UnmarshalJSON(b []byte) error {
	if len(b) == 0 {
		return errors.New("empty JSON value")
	}
	switch b[0] {
	case 'n':
		return nil
	case '"':
		var text string
		if err := json.Unmarshal(b, &text); err != nil {
			return err
		}
		if text == "" {
			return nil
		}
		if err := json.Unmarshal([]byte(text), &e.V); err != nil {
			return errors.New("the string does not hold the JSON expected: " + err.Error())
		}
		return nil
	}
	return json.Unmarshal(b, &e.V)
}

// MarshalJSON writes V's JSON text as a JSON string.
func (e Embedded[T]) MarshalJSON() ([]byte, error) {
	text, err := json.Marshal(e.V)
	if err != nil {
		return nil, err
	}
	return json.Marshal(string(text))
}
