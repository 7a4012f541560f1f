package suning

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/transport"
)

func TestWireYearBounds(t *testing.T) {
	t.Parallel()
	bj := cntime.Location()
	assert.Equal(t, time.Date(1, 1, 1, 0, 0, 0, 0, bj).Unix(), int64(minWireUnix))
	assert.Equal(t, time.Date(10000, 1, 1, 0, 0, 0, 0, bj).Unix(), int64(maxWireUnix))
}

func TestAbsoluteHTTPURL(t *testing.T) {
	t.Parallel()
	for v, want := range map[string]bool{
		"https://m.suning.com/a?b=1&c=2": true,
		"HTTP://m.suning.com":            true,
		"http://h":                       true,
		"http://":                        false,
		"https:///path":                  false,
		"http://?q":                      false,
		"ftp://h/x":                      false,
		"//h/x":                          false,
		"h/x":                            false,
		"http://h/a b":                   false,
		"http://h/\x7f":                  false,
	} {
		assert.Equal(t, want, absoluteHTTPURL(v), v)
	}
}

func TestEnvelope(t *testing.T) {
	t.Parallel()
	assert.Equal(t, `{"sn_request":{"sn_body":{"queryAppoint":{"a":"1"}}}}`, string(envelope("queryAppoint", []byte(`{"a":"1"}`))))
}

// A call's file adds its method's node once; a second node for the method,
// or a node that is not a plain identifier, is the package's programming
// error, found when the package loads.
func TestNodeTableAdd(t *testing.T) {
	t.Parallel()
	tab := nodeTable{}
	op := &transport.Op{Name: "suning.custom.example.get"}
	tab.add(op, "getExample")
	assert.Equal(t, nodeTable{"suning.custom.example.get": "getExample"}, tab)
	assert.PanicsWithValue(t, "suning: the node of suning.custom.example.get is added twice", func() { tab.add(op, "getExample") })
	assert.PanicsWithValue(t, "suning: suning.custom.other.get has an invalid node get.other", func() {
		tab.add(&transport.Op{Name: "suning.custom.other.get"}, "get.other")
	})
	assert.Equal(t, nodeTable{"suning.custom.example.get": "getExample"}, tab, "a refused node is not added")
}
