package wiretype

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
)

// price is a wire struct with whole-yuan prices, as Suning's goods carry
// them.
type price struct {
	Appoint WholeYuan `json:"appointPrice"`
	Price   WholeYuan `json:"price,omitempty"`
}

func TestWholeYuanWritesDigitsWithoutDecimals(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(price{Appoint: 399900, Price: 100})
	require.NoError(t, err)
	assert.Equal(t, `{"appointPrice":"3999","price":"1"}`, string(b))
	b, err = json.Marshal(price{Appoint: -500})
	require.NoError(t, err)
	assert.Equal(t, `{"appointPrice":"-5"}`, string(b))
	text, err := WholeYuan(12345600).MarshalText()
	require.NoError(t, err)
	assert.Equal(t, "123456", string(text))

	for _, f := range []WholeYuan{389950, 1, 99, -1} {
		_, err := json.Marshal(price{Appoint: f})
		assert.ErrorContains(t, err, "not a whole number of yuan", "%d fen", f)
	}
}

func TestWholeYuanReads(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]couponkit.Fen{
		`"3999"`: 399900, `3999`: 399900, `"3899.50"`: 389950, `"0.01"`: 1, `""`: 0, `"-5"`: -500, `59.9`: 5990,
	} {
		var y WholeYuan
		require.NoError(t, json.Unmarshal([]byte(in), &y), in)
		assert.Equal(t, want, couponkit.Fen(y), in)
	}
	y := WholeYuan(7)
	require.NoError(t, json.Unmarshal([]byte(`null`), &y))
	assert.Equal(t, WholeYuan(7), y, "null leaves the value")
	for _, in := range []string{`"1.234"`, `"x"`, `1e3`, `{}`, `"12345678901234567"`} {
		assert.Error(t, json.Unmarshal([]byte(in), &y), in)
	}
}

// FuzzWholeYuan holds WholeYuan to encoding/json and strconv: a whole amount
// writes the string strconv writes for its yuan and reads back the same;
// any other amount does not write.
func FuzzWholeYuan(f *testing.F) {
	for _, n := range []int64{399900, 389950, 0, 1, -100, 1 << 40} {
		f.Add(n)
	}
	f.Fuzz(func(t *testing.T, n int64) {
		if len(strconv.FormatInt(abs(n)/100, 10)) > 16 {
			n /= 1000 // keep within the 16 integer digits yuan can carry
		}
		b, err := json.Marshal(WholeYuan(n))
		if n%100 != 0 {
			if err == nil {
				t.Fatalf("%d fen written as %s", n, b)
			}
			return
		}
		if err != nil {
			t.Fatalf("%d fen does not write: %v", n, err)
		}
		if want := strconv.Quote(strconv.FormatInt(n/100, 10)); string(b) != want {
			t.Fatalf("%d fen written as %s, want %s", n, b, want)
		}
		var back WholeYuan
		if err := json.Unmarshal(b, &back); err != nil || int64(back) != n {
			t.Fatalf("%s read as %d (%v), want %d", b, back, err, n)
		}
	})
}
