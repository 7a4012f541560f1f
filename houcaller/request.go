package houcaller

import (
	"strings"
	"unicode/utf8"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
)

// What the typed calls share: the Keyed form of a write's operation, and the
// UTF-8 check of their requests' text.

// keyed returns op as a Keyed write: the operation of a write whose key the
// caller declares the gateway de-duplicates (Config.SaleNoDedup,
// Config.SerialCodeDedup).
func keyed(op *transport.Op) *transport.Op {
	k := *op
	k.Class = transport.Keyed
	return &k
}

// keyedIf returns keyedOp when dedup, else op, the package's default.
func keyedIf(op, keyedOp *transport.Op, dedup bool) *transport.Op {
	if dedup {
		return keyedOp
	}
	return op
}

// field is a request field by its Go name, for checkRequired and checkUTF8.
type field struct{ name, value string }

// checkRequired refuses, in order, a field that is empty or only spaces,
// then one that is not valid UTF-8 (see checkUTF8).
func checkRequired(fields ...field) error {
	for _, f := range fields {
		if strings.TrimSpace(f.value) == "" {
			return couponkit.Invalid(f.name, "is required")
		}
	}
	return checkUTF8(fields...)
}

// checkUTF8 reports the first of fields that is not valid UTF-8, which the
// vendor's JSON could not carry as sent (encoding/json would write U+FFFD).
func checkUTF8(fields ...field) error {
	for _, f := range fields {
		if !utf8.ValidString(f.value) {
			return couponkit.Invalid(f.name, "is not valid UTF-8")
		}
	}
	return nil
}
