package fakekit

import (
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestLookups: Keep replaces, Add appends in order, each scoped to its API,
// and Find answers a copy, or nothing for an unknown name.
func TestLookups(t *testing.T) {
	t.Parallel()
	var l Lookups[string]
	_, ok := l.Find("status", "42")
	assert.False(t, ok, "an empty table knows nothing")

	l.Keep("status", "42", "first")
	l.Keep("status", "42", "second")
	got, ok := l.Find("status", "42")
	assert.True(t, ok)
	assert.Equal(t, []string{"second"}, got, "Keep replaces")

	l.Add("accounts", "42", "a")
	l.Add("accounts", "42", "b")
	got, _ = l.Find("accounts", "42")
	assert.Equal(t, []string{"a", "b"}, got, "Add appends in order, and the same name on another API is another thing")
	got[0] = "changed"
	again, _ := l.Find("accounts", "42")
	assert.Equal(t, []string{"a", "b"}, again, "Find answers a copy")

	l.Keep("accounts", "42", "c")
	got, _ = l.Find("accounts", "42")
	assert.Equal(t, []string{"c"}, got, "Keep replaces a list too")

	_, ok = l.Find("status", "43")
	assert.False(t, ok)
	_, ok = l.Find("other", "42")
	assert.False(t, ok)
}

// TestLookupsConcurrent: controls and reads may run at once (run with -race).
func TestLookupsConcurrent(t *testing.T) {
	t.Parallel()
	var l Lookups[int]
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(2)
		go func() { defer wg.Done(); l.Add("api", "name", i) }()
		go func() { defer wg.Done(); l.Find("api", strconv.Itoa(i)) }()
	}
	wg.Wait()
	got, _ := l.Find("api", "name")
	assert.ElementsMatch(t, []int{0, 1, 2, 3, 4, 5, 6, 7}, got)
}
