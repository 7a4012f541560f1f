package taobaofilm

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf16"

	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/transport"
)

// jsonForms returns the JSON spellings of a secret that the pipeline's
// redactor does not derive itself (it knows the raw, URL-escaped and plain
// JSON-escaped ones): with HTML escaping (\u0026 for '&', Go's encoding/json
// default) and with every non-ASCII character escaped (\u00e9 or \u00E9, the
// default of Python's json.dumps and of Jackson's ESCAPE_NON_ASCII), so a
// gateway that echoes a request through such an encoder cannot show it.
func jsonForms(secret string) []string {
	if secret == "" {
		return nil
	}
	plain := jsonx.AppendString(nil, secret)
	html, err := json.Marshal(secret)
	if err != nil {
		return nil
	}
	var out []string
	for _, q := range [][]byte{plain, html} {
		s := string(q[1 : len(q)-1])
		out = append(out, s, asciiEscaped(s, "%04x"), asciiEscaped(s, "%04X"))
	}
	return out
}

// asciiEscaped writes every non-ASCII rune of s as \uXXXX (a surrogate pair
// above U+FFFF), with hex digits in format.
func asciiEscaped(s, format string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x80:
			b.WriteRune(r)
		case r > 0xFFFF:
			r1, r2 := utf16.EncodeRune(r)
			fmt.Fprintf(&b, `\u`+format+`\u`+format, r1, r2)
		default:
			fmt.Fprintf(&b, `\u`+format, r)
		}
	}
	return b.String()
}

// clean returns body with the client's secrets removed, before a snapshot
// of it is cut to length: a secret cut in two by the snapshot would no
// longer be recognised whole.
func (c *Client) clean(body []byte) []byte {
	if c.ep == nil {
		return body
	}
	return []byte(c.ep.Client.Redact(string(body)))
}

// decodeError is transport.DecodeError quoting the cleaned body.
func (c *Client) decodeError(err error, body []byte) error {
	return transport.DecodeError(err, c.clean(body))
}
