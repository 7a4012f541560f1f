package transport

import (
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/couponkit/couponkit"
)

// Paths moves operations to the paths a client's Config names: one Config
// field per operation, resolved by the field's name with At, or one map by
// API name for every operation the package lists, checked with Named and
// handed to Endpoint.Paths. No table of paths is read back by position. The zero value is ready to use; NewClient resolves every
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

// Named checks the paths a Config gives by API name (the Config field
// named field, such as "Paths": API name → path), for [Endpoint.Paths]:
// every name must be the Operation of one of apis (the package's
// registry, whose Path is the default), and every path must pass
// [ValidPath]. A bad entry is recorded as a *couponkit.ValidationError
// naming field["name"] and left out; the entries in name order. It returns
// a copy of the good entries (the caller may change its map later), or nil
// when there are none. A new call that the registry lists is movable this
// way with no Config field of its own.
func (p *Paths) Named(field string, given map[string]string, apis []couponkit.API) map[string]string {
	if len(given) == 0 {
		return nil
	}
	defaults := make(map[string]string, len(apis))
	for _, a := range apis {
		defaults[a.Operation] = a.Path
	}
	out := make(map[string]string, len(given))
	for _, name := range slices.Sorted(maps.Keys(given)) {
		path, ok := defaults[name]
		switch {
		case !ok:
			p.errs = append(p.errs, couponkit.Invalid(field+"["+strconv.Quote(name)+"]", "is not an API of this package (%s)",
				strings.Join(slices.Sorted(maps.Keys(defaults)), ", ")))
		case !ValidPath(given[name]):
			p.errs = append(p.errs, couponkit.Invalid(field+"["+strconv.Quote(name)+"]", "must be a path such as %s, without query", path))
		default:
			out[name] = given[name]
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// Err returns every error At and Named recorded, joined (errors.Join), or nil.
func (p *Paths) Err() error { return errors.Join(p.errs...) }

// ValidPath reports whether path is absolute (it starts with "/" and is more
// than "/"), without query, fragment, escapes, white space or empty
// segments.
func ValidPath(path string) bool {
	return strings.HasPrefix(path, "/") && len(path) > 1 && !strings.ContainsAny(path, "?#% \t\r\n") && !strings.Contains(path, "//")
}
