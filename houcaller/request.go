package houcaller

import (
	"context"
	"time"
	"unicode/utf8"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/transport"
)

// What the typed calls share: the operation pair of a keyed write, the
// checks of their requests, and the send of a sealed business JSON.

// writeOps is a typed write's operation as an Unsafe write (the default:
// Houcaller does not document de-duplication on its key) and as a Keyed one
// (when the caller declares that the gateway de-duplicates on keyName). The
// key is made by newSaleNo unless Config.NewKey is set.
type writeOps struct{ unsafe, keyed *transport.Op }

func newWriteOps(endpoint, keyName string) writeOps {
	unsafe := &transport.Op{Name: endpoint, Path: endpoint, Class: transport.Unsafe, KeyName: keyName, NewKey: newSaleNo}
	keyed := *unsafe
	keyed.Class = transport.Keyed
	return writeOps{unsafe: unsafe, keyed: &keyed}
}

// op returns the Keyed operation when dedup, else the Unsafe one.
func (w writeOps) op(dedup bool) *transport.Op {
	if dedup {
		return w.keyed
	}
	return w.unsafe
}

// writeKey returns the idempotency key of a typed write: given, or, when
// given is empty, one made by Config.NewKey from the client's clock; field
// names it in errors. validate then checks the request with that key, so
// that nothing is sent when either fails.
func (c *Client) writeKey(op *transport.Op, field, given string, validate func(key string) error) (string, error) {
	key, err := c.ep.Key(op, field, given)
	if err != nil {
		return "", err
	}
	if err := validate(key); err != nil {
		return "", err
	}
	return key, nil
}

// send seals param, the business JSON, once and invokes op with key (empty
// for a read), decoding the answer into rep through ex, which the caller
// allocates with its result.
func (c *Client) send(ctx context.Context, op *transport.Op, key string, param []byte, ex *exchange, rep answer) (couponkit.Meta, error) {
	*ex = exchange{fixed: c.seal(param), reply: rep}
	return c.ep.Invoke(ctx, op, key, ex, nil)
}

// field is a request field by its Go name, for checkUTF8.
type field struct{ name, value string }

// checkUTF8 reports the first of fields that is not valid UTF-8, which the
// vendor's JSON could not carry as sent.
func checkUTF8(fields ...field) error {
	for _, f := range fields {
		if !utf8.ValidString(f.value) {
			return couponkit.Invalid(f.name, "is not valid UTF-8")
		}
	}
	return nil
}

// checkYear refuses a time the vendor's four-digit year cannot carry: t
// must fall in the years 0000–9999 in Beijing time, the zone it is sent in.
// form, when not empty, is the wire form the error names.
func checkYear(name string, t time.Time, form string) error {
	y := t.In(cntime.Location()).Year()
	switch {
	case y >= 0 && y <= 9999:
		return nil
	case form != "":
		return couponkit.Invalid(name, "must fall in the years 0000–9999 in Beijing time (%s), got year %d", form, y)
	default:
		return couponkit.Invalid(name, "must fall in the years 0000–9999 in Beijing time, got year %d", y)
	}
}
