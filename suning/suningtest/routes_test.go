package suningtest

import (
	"testing"

	"github.com/couponkit/couponkit/suning"
)

// The fake serves every gateway call its vendor package lists, in that
// call's business node. The OAuth token calls go to their own endpoint,
// not the gateway (suning's TestFakeServesTheTokenAPIs).
func TestRoutesServeEveryListedAPI(t *testing.T) {
	t.Parallel()
	routes := newRoutes(Config{})
	nodes := map[string]string{
		suning.MethodAppointCreate: suning.NodeCreateAppoint, suning.MethodAppointQuery: suning.NodeQueryAppoint,
		suning.MethodGotoAppointCreate: suning.NodeCreateGotoappoint, suning.MethodBookingInfoQuery: suning.NodeQueryBookinginfo,
	}
	for _, a := range suning.APIs() {
		if a.Operation == suning.OperationTokenCreate || a.Operation == suning.OperationTokenRefresh {
			continue
		}
		rt, ok := routes.ByAPI(a.Operation)
		if !ok {
			t.Errorf("the fake does not serve %s (%s)", a.Operation, a.Method)
			continue
		}
		if rt.Handler.node != nodes[a.Operation] {
			t.Errorf("%s: node %q, want %q", a.Operation, rt.Handler.node, nodes[a.Operation])
		}
	}
	if got := len(routes.APIs()); got != len(nodes) {
		t.Errorf("%d routes, want %d", got, len(nodes))
	}
}
