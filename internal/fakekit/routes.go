package fakekit

import (
	"fmt"
	"net/http"
	"slices"
)

// Route is one API a fake serves.
type Route[H any] struct {
	// API is the vendor's name of the API ("getCustomerCoupons",
	// "taobao.film.lottery.sendcode"): what the fake's Request.API says and
	// what the vendor package's registry calls the call's Operation.
	API string
	// Path is the URL path the API is served at, resolved from the fake's
	// Config by name (cfg.Paths["couponReverse"], else the registry's
	// default);
	// empty when the fake routes by something else than the path (TOP's
	// method parameter, e-Buy's action).
	Path string
	// Handler answers the API's requests, in the fake's own signature (a
	// method expression, such as (*Server).query).
	Handler H
}

// Routes is a fake's route table: each API's path and handler, looked up by
// the API's name or by its path. A new API is one more Route in the table
// NewServer builds, and nothing else: no list of names to keep in step with
// a switch. Build it once; it is read-only afterwards and safe for
// concurrent use.
type Routes[H any] struct {
	byAPI  map[string]Route[H]
	byPath map[string]Route[H]
	apis   []string
}

// NewRoutes returns the table of routes. It panics, as a fake's programming
// error, on a route without an API, or an API or a path listed twice.
func NewRoutes[H any](routes ...Route[H]) *Routes[H] {
	r := &Routes[H]{byAPI: make(map[string]Route[H], len(routes)), byPath: make(map[string]Route[H], len(routes))}
	for _, rt := range routes {
		if rt.API == "" {
			panic("fakekit: a route without an API")
		}
		if _, dup := r.byAPI[rt.API]; dup {
			panic(fmt.Sprintf("fakekit: API %q routed twice", rt.API))
		}
		r.byAPI[rt.API] = rt
		r.apis = append(r.apis, rt.API)
		if rt.Path == "" {
			continue
		}
		if other, dup := r.byPath[rt.Path]; dup {
			panic(fmt.Sprintf("fakekit: path %s routed to %q and %q", rt.Path, other.API, rt.API))
		}
		r.byPath[rt.Path] = rt
	}
	slices.Sort(r.apis)
	return r
}

// ByAPI returns the route of the API named api.
func (r *Routes[H]) ByAPI(api string) (Route[H], bool) {
	rt, ok := r.byAPI[api]
	return rt, ok
}

// ByPath returns the route served at the URL path.
func (r *Routes[H]) ByPath(path string) (Route[H], bool) {
	rt, ok := r.byPath[path]
	return rt, ok
}

// APIs returns the names of the APIs routed, sorted: for a fake's "no such
// API" answer, and for the test that the fake serves every call its vendor
// package's registry lists.
func (r *Routes[H]) APIs() []string { return slices.Clone(r.apis) }

// PathAPI names a request's API by its URL path, for Options.API; a path
// that no route serves names none.
func (r *Routes[H]) PathAPI(req *http.Request, _ []byte) string {
	return r.byPath[req.URL.Path].API
}
