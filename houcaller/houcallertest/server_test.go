package houcallertest

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/houcaller"
)

func TestDefaultsAndClientConfig(t *testing.T) {
	t.Parallel()
	s := NewServer(Config{CipherMode: houcaller.CBC, IV: "iv-8byte", Padding: houcaller.ZeroPadding})
	defer s.Close()
	cfg := s.ClientConfig()
	assert.Equal(t, s.URL()+"/htest/openapi/v1", cfg.Gateway)
	assert.Equal(t, DefaultChannel, cfg.Channel)
	assert.Equal(t, DefaultDESKey, cfg.DESKey)
	assert.Equal(t, houcaller.CBC, cfg.CipherMode)
	assert.Equal(t, "iv-8byte", cfg.IV)
	assert.Equal(t, houcaller.ZeroPadding, cfg.Padding)
	card := s.cards[DefaultCardInfoID]
	assert.Equal(t, []string{DefaultCardInfoID}, card.CouponIDs)
	assert.Equal(t, 365, card.ValidDays)
	assert.Zero(t, s.RequestCount())
}

func TestBadKeyPanicsWithoutEchoingIt(t *testing.T) {
	t.Parallel()
	defer func() {
		r := recover()
		assert.NotNil(t, r)
		assert.NotContains(t, r, "toolongkey")
		assert.Contains(t, r, "8 bytes")
	}()
	NewServer(Config{DESKey: "toolongkey"})
}

// The fake routes each API at GatewayPath + "/" + its name, as the vendor's
// test gateway serves it; any other path is an unknown endpoint (HTTP 404,
// CodeNoEndpoint) that the request log names no API for.
func TestRoutesServeTheGatewayPaths(t *testing.T) {
	t.Parallel()
	rts := newRoutes(Config{})
	var ops []string // the registry's API names: the fake routes those, and no other
	for _, a := range houcaller.APIs() {
		ops = append(ops, a.Operation)
	}
	slices.Sort(ops)
	assert.Equal(t, ops, rts.APIs())
	for _, api := range rts.APIs() {
		rt, ok := rts.ByAPI(api)
		require.True(t, ok)
		assert.Equal(t, GatewayPath+"/"+api, rt.Path)
	}

	s := NewServer(Config{InMemory: true})
	defer s.Close()
	for _, path := range []string{"/openapi/v1/sendMncardForSale", GatewayPath + "/updateMemberInfo"} {
		resp, err := s.Client().Post(s.URL()+path, "application/json", strings.NewReader(`{}`))
		require.NoError(t, err)
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, path)
		assert.Contains(t, string(body), `"code":404`, path)
	}
	reqs := s.Requests()
	require.Len(t, reqs, 2)
	assert.Empty(t, reqs[0].API)
}

// The fake serves every call the houcaller registry lists.
func TestRoutesServeEveryListedAPI(t *testing.T) {
	t.Parallel()
	rts := newRoutes(Config{})
	for _, a := range houcaller.APIs() {
		if _, ok := rts.ByAPI(a.Operation); !ok {
			t.Errorf("the fake does not serve %s (%s)", a.Operation, a.Method)
		}
	}
}
