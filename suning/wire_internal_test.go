package suning

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
)

func TestAppendPrice(t *testing.T) {
	t.Parallel()
	cases := map[couponkit.Fen]string{
		399900:  "3999",
		389950:  "3899.50",
		5990:    "59.90",
		1:       "0.01",
		100:     "1",
		1234567: "12345.67",
	}
	for in, want := range cases {
		assert.Equal(t, want, string(appendPrice(nil, in)), "%d fen", in)
	}
}

func TestTimeMember(t *testing.T) {
	t.Parallel()
	b := timeMember(nil, "a", time.Time{})
	b = timeMember(b, "b", time.Date(2024, 5, 31, 16, 0, 0, 999, time.UTC))
	b = timeMember(b, "c", time.Date(2024, 5, 31, 11, 0, 0, 0, time.FixedZone("EST", -5*3600)))
	assert.Equal(t, `,"b":"2024-06-01 00:00:00","c":"2024-06-01 00:00:00"`, string(b))
}

func TestAppendDateTimeMatchesCntime(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	lo, hi := time.Date(1, 1, 1, 0, 0, 0, 0, cntime.Location()).Unix(), time.Date(9999, 12, 31, 23, 59, 59, 0, cntime.Location()).Unix()
	times := []time.Time{time.Unix(lo, 0), time.Unix(hi, 999999999), time.Date(2024, 2, 29, 23, 59, 59, 0, time.UTC)}
	for range 10000 {
		times = append(times, time.Unix(lo+rng.Int64N(hi-lo+1), rng.Int64N(1e9)))
	}
	for _, tt := range times {
		require.Equal(t, cntime.Format(tt), string(appendDateTime(nil, tt)), "%v", tt)
	}
}

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

func TestFlex(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{`"a"`: "a", `"a\"b"`: `a"b`, `12`: "12", `true`: "true", `null`: "", `"\u4e2d"`: "中"} {
		var f flex
		require.NoError(t, f.UnmarshalJSON([]byte(in)), in)
		assert.Equal(t, want, string(f), in)
	}
	var f flex
	assert.Error(t, f.UnmarshalJSON([]byte(`{}`)))
}
