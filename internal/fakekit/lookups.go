package fakekit

import (
	"slices"
	"sync"
)

// Lookups is a fake's table of answers for its reads of one thing: by the
// API's name, then by the name of the thing (the text of the param that
// names it), the answers a control stored. A read served from it is a route
// and a control, with no state or handler of its own: the route reads the
// name from the request and answers what Find returns, in the vendor's
// wire; the control calls Keep or Add. A answers in the fake's own terms
// (a value to encode, or a func that renders it in the fake's spelling).
// The zero value is ready to use; it is safe for concurrent use.
type Lookups[A any] struct {
	mu      sync.Mutex
	answers map[lookupKey][]A
}

// lookupKey scopes a thing's name to the API it is read by.
type lookupKey struct{ api, name string }

// Keep stores answer as the only answer api gives for the thing named
// name, replacing those it had.
func (l *Lookups[A]) Keep(api, name string, answer A) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.init()
	l.answers[lookupKey{api, name}] = []A{answer}
}

// Add appends answer to those api gives for the thing named name, after
// the ones stored before: for a read that answers a list.
func (l *Lookups[A]) Add(api, name string, answer A) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.init()
	k := lookupKey{api, name}
	l.answers[k] = append(l.answers[k], answer)
}

// Find returns a copy of the answers api gives for the thing named name,
// in the order stored, and whether any was stored.
func (l *Lookups[A]) Find(api, name string) ([]A, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	a, ok := l.answers[lookupKey{api, name}]
	return slices.Clone(a), ok
}

// init makes the table's map; l.mu is held.
func (l *Lookups[A]) init() {
	if l.answers == nil {
		l.answers = make(map[lookupKey][]A)
	}
}
