package fakekit

import (
	"cmp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A fictional fake whose Config moves one path, with two area files.
type areasConfig struct{ detailPath string }

var (
	areas Areas[areasConfig, string]
	_     = areas.Add(func(areasConfig) []Route[string] {
		return []Route[string]{{API: "list", Path: "/list", Handler: "list handler"}}
	})
	_ = areas.Add(func(cfg areasConfig) []Route[string] {
		return []Route[string]{{API: "detail", Path: cmp.Or(cfg.detailPath, "/detail"), Handler: "detail handler"}}
	})
)

func TestAreasRoutesEveryFilesRoutesForTheConfig(t *testing.T) {
	t.Parallel()
	r := areas.Routes(areasConfig{})
	assert.Equal(t, []string{"detail", "list"}, r.APIs())
	rt, ok := r.ByPath("/detail")
	require.True(t, ok)
	assert.Equal(t, "detail handler", rt.Handler)

	moved := areas.Routes(areasConfig{detailPath: "/v9/detail"})
	_, ok = moved.ByPath("/detail")
	assert.False(t, ok)
	rt, ok = moved.ByPath("/v9/detail")
	require.True(t, ok)
	assert.Equal(t, "detail", rt.API)
}

func TestAreasPanicOnAnAPIRoutedByTwoFiles(t *testing.T) {
	t.Parallel()
	var a Areas[areasConfig, string]
	a.Add(func(areasConfig) []Route[string] { return []Route[string]{{API: "x", Handler: "1"}} })
	a.Add(func(areasConfig) []Route[string] { return []Route[string]{{API: "x", Handler: "2"}} })
	assert.PanicsWithValue(t, `fakekit: API "x" routed twice`, func() { a.Routes(areasConfig{}) })
}
