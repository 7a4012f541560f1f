package suning

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/couponkit/couponkit/internal/cntime"
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
