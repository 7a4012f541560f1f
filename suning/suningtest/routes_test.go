package suningtest

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/suning"
)

// The fake serves every gateway call its vendor package lists, in the
// business node the package's client sends for that call's method: each
// method of suning.APIs() is sent with the generic Call and no suning.Node,
// so the client wraps it in the node its calls declare, and the fake's
// route for the method must read that node. Methods and nodes both come
// from the package, so a new call is checked without editing this test.
// The OAuth token calls go to their own endpoint, not the gateway (suning's
// TestFakeServesTheTokenAPIs).
func TestRoutesServeEveryListedAPI(t *testing.T) {
	t.Parallel()
	srv := Start(t, Config{InMemory: true})
	c, err := suning.NewClient(srv.ClientConfig(), srv.ClientOption())
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	routes := srv.routes
	var methods []string
	for _, a := range suning.APIs() {
		if a.Operation == suning.OperationTokenCreate || a.Operation == suning.OperationTokenRefresh || slices.Contains(methods, a.Operation) {
			continue
		}
		methods = append(methods, a.Operation)
		rt, ok := routes.ByAPI(a.Operation)
		if !ok {
			t.Errorf("the fake does not serve %s (%s)", a.Operation, a.Method)
			continue
		}
		before := srv.RequestCount()
		// What is checked is the node the client sends; the fake's answer
		// to an empty node (a refusal of its missing fields, for most) is
		// not.
		_, _ = c.Call(context.Background(), a.Operation, nil, nil, couponkit.Read())
		reqs := srv.Requests()
		if len(reqs) == before {
			t.Errorf("%s: nothing sent: the client knows no node for it", a.Operation)
			continue
		}
		if sent := sentNode(t, reqs[before].Body); rt.Handler.node != sent {
			t.Errorf("%s: the fake reads node %q, the client sends %q", a.Operation, rt.Handler.node, sent)
		}
	}
	if got := len(routes.APIs()); got != len(methods) {
		t.Errorf("%d routes, want one per gateway method of suning.APIs(): %v", got, methods)
	}
}

// sentNode returns the name of the one business node of a request body.
func sentNode(t *testing.T, body []byte) string {
	t.Helper()
	var req struct {
		Request struct {
			Body map[string]json.RawMessage `json:"sn_body"`
		} `json:"sn_request"`
	}
	require.NoError(t, json.Unmarshal(body, &req), string(body))
	require.Len(t, req.Request.Body, 1, string(body))
	return slices.Collect(maps.Keys(req.Request.Body))[0]
}
