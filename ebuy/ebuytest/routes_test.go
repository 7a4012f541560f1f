package ebuytest

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy"
)

// TestRoutesServeEveryListedAPI: the fake routes every call package ebuy
// lists, at the path the client sends it to, and nothing else.
func TestRoutesServeEveryListedAPI(t *testing.T) {
	t.Parallel()
	for _, cfg := range []Config{{}, {MakeCodesPath: "issueCodes", MakeCodesDeduplicates: true}} {
		routes := newRoutes(cfg)
		var listed []string
		for _, a := range ebuy.APIs() {
			listed = append(listed, a.Operation)
			rt, ok := routes.ByAPI(a.Operation)
			if !assert.True(t, ok, "the fake does not serve %s (%s)", a.Operation, a.Method) {
				continue
			}
			want := "/paas/micro/ecoupon/" + a.Operation
			if a.Operation == "makeCode" && cfg.MakeCodesPath != "" {
				want = "/paas/micro/ecoupon/" + cfg.MakeCodesPath
			}
			assert.Equal(t, want, rt.Path, a.Operation)
			assert.Equal(t, a.Class != couponkit.ClassRead, rt.Handler.repeat != nil, "%s: only writes are de-duplicated", a.Operation)
		}
		assert.ElementsMatch(t, listed, routes.APIs())
	}
}

// TestMakeCodesPathMovesMakeCode: a fake whose makeCode lives at another
// path serves it there (and not at the default path), and its
// ClientConfig sends the client there.
func TestMakeCodesPathMovesMakeCode(t *testing.T) {
	t.Parallel()
	s := Start(t, Config{MakeCodesPath: "issueCodes"})
	c, err := ebuy.NewClient(s.ClientConfig(), s.ClientOption())
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	res, err := c.MakeCodes(context.Background(), &ebuy.MakeCodesRequest{OuterOrderID: "OO-PATH-1", TicketID: DefaultProductID, Count: 1})
	require.NoError(t, err)
	require.Len(t, res.Codes, 1)
	reqs := s.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "makeCode", reqs[0].API)

	cfg := s.ClientConfig()
	cfg.MakeCodesPath = ""
	other, err := ebuy.NewClient(cfg, s.ClientOption())
	require.NoError(t, err)
	t.Cleanup(func() { _ = other.Close() })
	_, err = other.MakeCodes(context.Background(), &ebuy.MakeCodesRequest{OuterOrderID: "OO-PATH-2", TicketID: DefaultProductID, Count: 1})
	require.Error(t, err, "nothing is served at the default path")
	assert.Equal(t, "", s.Requests()[1].API)
}
