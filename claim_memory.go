package couponkit

import (
	"container/list"
	"context"
	"sync"
	"time"
)

// DefaultMemoryClaims is the number of done keys [NewMemoryClaimStore]
// remembers by default.
const DefaultMemoryClaims = 10000

// MemoryClaimStore is a [ClaimStore] in this process's memory: it makes
// work run once within one process (a handler, or handlers sharing it), not
// across processes; use the Redis or PostgreSQL module's store for a fleet.
// It remembers the last size keys completed, least recently used first out
// (a key forgotten is claimed and done again if its event comes back), and
// every key currently claimed, however many. It starts no goroutine.
type MemoryClaimStore struct {
	mu    sync.Mutex
	size  int
	held  map[string]Claim         // claimed keys: token and lease end
	done  map[string]*list.Element // done keys, in order
	order *list.List               // done keys (doneKey), front: most recently used
}

// NewMemoryClaimStore returns an empty store remembering size done keys;
// size < 1 means [DefaultMemoryClaims].
func NewMemoryClaimStore(size int) *MemoryClaimStore {
	if size < 1 {
		size = DefaultMemoryClaims
	}
	return &MemoryClaimStore{size: size, held: make(map[string]Claim), done: make(map[string]*list.Element, min(size, 1024)), order: list.New()}
}

// Claim implements [ClaimStore].
func (m *MemoryClaimStore) Claim(_ context.Context, key string, lease time.Duration, now time.Time) (Claim, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if e, ok := m.done[key]; ok {
		m.order.MoveToFront(e)
		return Claim{State: ClaimDone}, nil
	}
	if c, ok := m.held[key]; ok && now.Before(c.Until) {
		return Claim{State: ClaimHeld, Until: c.Until}, nil
	}
	if len(m.held) >= m.size {
		m.dropEnded(now)
	}
	c := Claim{State: ClaimAcquired, Token: NewClaimToken(), Until: now.Add(lease)}
	m.held[key] = c
	return c, nil
}

// dropEnded forgets the claims whose lease ended by now.
func (m *MemoryClaimStore) dropEnded(now time.Time) {
	for k, c := range m.held {
		if !now.Before(c.Until) {
			delete(m.held, k)
		}
	}
}

// doneKey is a key done and the token that completed it.
type doneKey struct{ key, token string }

// Complete implements [ClaimStore].
func (m *MemoryClaimStore) Complete(_ context.Context, key, token string, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if e, ok := m.done[key]; ok {
		m.order.MoveToFront(e)
		if e.Value.(doneKey).token != token {
			return ErrClaimLost
		}
		return nil
	}
	if c, ok := m.held[key]; ok {
		if c.Token != token {
			return ErrClaimLost
		}
		delete(m.held, key)
	}
	m.done[key] = m.order.PushFront(doneKey{key, token})
	for m.order.Len() > m.size {
		last := m.order.Back()
		m.order.Remove(last)
		delete(m.done, last.Value.(doneKey).key)
	}
	return nil
}

// Release implements [ClaimStore].
func (m *MemoryClaimStore) Release(_ context.Context, key, token string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if c, ok := m.held[key]; ok && c.Token == token {
		delete(m.held, key)
	}
	return nil
}

var _ ClaimStore = (*MemoryClaimStore)(nil)
