package ebuy

import (
	"container/list"
	"context"
	"sync"
)

// NotifyStore records the notifications a NewNotifyHandler function handled,
// by uuid, so that a notification e-Buy sends again is acknowledged without
// calling the function twice. Its methods are called concurrently. A store
// shared between processes (a database table with a unique uuid) extends the
// de-duplication to all of them; the handler's in-flight tracking (concurrent
// deliveries of one uuid wait for the first) is per handler.
type NotifyStore interface {
	// Handled reports whether uuid was recorded by MarkHandled. An error
	// makes the handler answer 503, so that e-Buy sends the notification
	// again.
	Handled(ctx context.Context, uuid string) (bool, error)
	// MarkHandled records that the notification uuid was handled. It is
	// called after the function returned nil; an error is not reported to
	// e-Buy (the notification was handled), but the notification may then
	// be delivered again.
	MarkHandled(ctx context.Context, uuid string) error
}

// DefaultNotifyStoreSize is the number of uuids the default in-memory store
// remembers.
const DefaultNotifyStoreSize = 10000

// NewMemoryNotifyStore returns an in-memory NotifyStore remembering the last
// size uuids marked (least recently used first out); size < 1 means
// DefaultNotifyStoreSize.
func NewMemoryNotifyStore(size int) NotifyStore {
	if size < 1 {
		size = DefaultNotifyStoreSize
	}
	return &memoryStore{size: size, index: make(map[string]*list.Element, min(size, 1024)), order: list.New()}
}

type memoryStore struct {
	mu    sync.Mutex
	size  int
	index map[string]*list.Element
	order *list.List // front: most recently used
}

func (m *memoryStore) Handled(_ context.Context, uuid string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.index[uuid]
	if ok {
		m.order.MoveToFront(e)
	}
	return ok, nil
}

func (m *memoryStore) MarkHandled(_ context.Context, uuid string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if e, ok := m.index[uuid]; ok {
		m.order.MoveToFront(e)
		return nil
	}
	m.index[uuid] = m.order.PushFront(uuid)
	for m.order.Len() > m.size {
		last := m.order.Back()
		m.order.Remove(last)
		delete(m.index, last.Value.(string))
	}
	return nil
}
