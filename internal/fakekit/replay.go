package fakekit

import "sync"

// Replay remembers the answer to each idempotency key, so that a repeated
// keyed write is answered as the first one was, without acting twice.
type Replay struct {
	mu      sync.Mutex
	answers map[string][]byte
}

// Do returns the stored answer for key, or runs fn, stores its answer when ok
// is true (a failed write may be tried again with the same key), and returns it.
// fn runs under the store's lock: it must not call Do.
func (r *Replay) Do(key string, fn func() (answer []byte, ok bool)) (answer []byte, replayed bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if a, found := r.answers[key]; found {
		return a, true
	}
	a, ok := fn()
	if ok {
		if r.answers == nil {
			r.answers = make(map[string][]byte)
		}
		r.answers[key] = a
	}
	return a, false
}

// Len returns how many keys are stored.
func (r *Replay) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.answers)
}
