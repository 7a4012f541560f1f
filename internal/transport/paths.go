package transport

import (
	"errors"
	"strings"

	"github.com/couponkit/couponkit"
)

// Paths moves operations to the paths a client's Config names, one Config
// field per operation, resolved by the field's name: no table of paths read
// back by position. The zero value is ready to use; NewClient resolves every
// configurable path with At and reports all the bad ones with Err:
//
//	var paths transport.Paths
//	c.opReverse = paths.At(opReverse, "ReversePath", cfg.ReversePath)
//	c.opList = paths.At(opList, "CouponListPath", cfg.CouponListPath)
//	errs = append(errs, paths.Err()) // errors.Join drops a nil
//
// The package-level Op holds the default path (and is what the package's
// registry lists); a client whose Config leaves the field empty uses it as is.
type Paths struct{ errs []error }

// At returns op at the path given by the Config field named field: op itself
// when given is empty, else a copy of op with Path given. A given path must
// pass [ValidPath]; when it does not, At records a
// *couponkit.ValidationError naming field, with op's own path as the
// example, and returns op.
func (p *Paths) At(op *Op, field, given string) *Op {
	if given == "" {
		return op
	}
	if !ValidPath(given) {
		p.errs = append(p.errs, couponkit.Invalid(field, "must be a path such as %s, without query", op.Path))
		return op
	}
	cp := *op
	cp.Path = given
	return &cp
}

// Err returns every error At recorded, joined (errors.Join), or nil.
func (p *Paths) Err() error { return errors.Join(p.errs...) }

// ValidPath reports whether path is absolute (it starts with "/" and is more
// than "/"), without query, fragment, escapes, white space or empty
// segments.
func ValidPath(path string) bool {
	return strings.HasPrefix(path, "/") && len(path) > 1 && !strings.ContainsAny(path, "?#% \t\r\n") && !strings.Contains(path, "//")
}
