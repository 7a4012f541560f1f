package zvcmstest

import (
	"testing"

	"github.com/couponkit/couponkit/zvcms"
)

// TestRoutesServeEveryListedAPI: the fake routes every call zvcms.APIs
// lists (each call's tests reach it at the client's path).
func TestRoutesServeEveryListedAPI(t *testing.T) {
	t.Parallel()
	routes := newRoutes(Config{})
	for _, a := range zvcms.APIs() {
		if _, ok := routes.ByAPI(a.Operation); !ok {
			t.Errorf("the fake does not serve %s (%s)", a.Operation, a.Method)
		}
	}
}
