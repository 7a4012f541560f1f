package taobaofilmtest

import (
	"testing"

	"github.com/couponkit/couponkit/taobaofilm"
)

// The fake routes every typed call the client package lists.
func TestRoutesServeEveryAPI(t *testing.T) {
	routes := areas.Routes(Config{})
	for _, a := range taobaofilm.APIs() {
		if _, ok := routes.ByAPI(a.Operation); !ok {
			t.Errorf("the fake does not serve %s (%s)", a.Operation, a.Method)
		}
	}
	if got := len(routes.APIs()); got != len(taobaofilm.APIs()) {
		t.Errorf("%d routes for %d APIs: %v", got, len(taobaofilm.APIs()), routes.APIs())
	}
}
