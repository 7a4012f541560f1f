package fakekit

import "sync"

// Replay remembers the answer to each idempotency key of each API, so that a
// repeated keyed write is answered as the first one was, without acting
// twice. The zero value is ready to use.
type Replay struct {
	mu      sync.Mutex
	answers map[replayKey][]byte
}

// replayKey scopes an idempotency key to the API it was sent to: the same key
// on two APIs names two writes.
type replayKey struct{ api, key string }

// DoAPI returns the stored answer for key on api, or runs fn, stores its
// answer when ok is true (a failed write may be tried again with the same
// key), and returns it. The same key on another API is another write: fakes
// must use DoAPI, naming the operation (the same name they give
// Request.API). fn runs under the store's lock: it must not call DoAPI.
func (r *Replay) DoAPI(api, key string, fn func() (answer []byte, ok bool)) (answer []byte, replayed bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	k := replayKey{api, key}
	if a, found := r.answers[k]; found {
		return a, true
	}
	a, ok := fn()
	if ok {
		if r.answers == nil {
			r.answers = make(map[replayKey][]byte)
		}
		r.answers[k] = a
	}
	return a, false
}

// Len returns how many keys are stored, over all APIs.
func (r *Replay) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.answers)
}
