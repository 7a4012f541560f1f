package fakekit

// Areas collects a fake's routes from the files that serve them: each area
// file of a fake adds the function that lists its routes (var _ =
// areas.Add(couponRoutes)), so that a new file of routes edits no list
// elsewhere. C is the fake's Config, which a route may be resolved from (a
// path moved by name); H is the fake's handler signature. Add is only
// called while the fake's package is initialized; Routes may then be called
// from any goroutine.
type Areas[C, H any] struct {
	lists []func(C) []Route[H]
}

// Add appends the route list of one area file and returns nothing of use:
// its result lets the file add it as a package-level variable.
func (a *Areas[C, H]) Add(routes func(C) []Route[H]) struct{} {
	a.lists = append(a.lists, routes)
	return struct{}{}
}

// Routes returns the table of every area's routes for cfg (see NewRoutes,
// which panics on an API or a path routed twice).
func (a *Areas[C, H]) Routes(cfg C) *Routes[H] {
	var all []Route[H]
	for _, list := range a.lists {
		all = append(all, list(cfg)...)
	}
	return NewRoutes(all...)
}
