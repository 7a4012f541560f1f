package suning

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/couponkit/couponkit"
)

func TestWirePrice(t *testing.T) {
	cases := map[couponkit.Yuan]string{
		399900:  "3999",
		389950:  "3899.50",
		5990:    "59.90",
		1:       "0.01",
		100:     "1",
		1234567: "12345.67",
	}
	for in, want := range cases {
		assert.Equal(t, want, wirePrice(in), "%d fen", in)
	}
}

func TestWireTime(t *testing.T) {
	assert.Equal(t, "", wireTime(time.Time{}))
	assert.Equal(t, "2024-06-01 00:00:00", wireTime(time.Date(2024, 5, 31, 16, 0, 0, 999, time.UTC)))
	assert.Equal(t, "2024-06-01 00:00:00", wireTime(time.Date(2024, 5, 31, 11, 0, 0, 0, time.FixedZone("EST", -5*3600))))
}

func TestEnvelope(t *testing.T) {
	assert.Equal(t, `{"sn_request":{"sn_body":{"queryAppoint":{"a":"1"}}}}`, string(envelope("queryAppoint", []byte(`{"a":"1"}`))))
}
