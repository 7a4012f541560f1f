package couponkit_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
)

func TestFenYuan(t *testing.T) {
	cases := map[couponkit.Fen]string{0: "0.00", 1: "0.01", 10: "0.10", 1122: "11.22", 100: "1.00", -305: "-3.05", 123456789012: "1234567890.12"}
	for f, want := range cases {
		assert.Equal(t, want, f.Yuan())
		back, err := couponkit.ParseYuan(want)
		require.NoError(t, err)
		assert.Equal(t, f, back)
	}
}

func TestParseYuan(t *testing.T) {
	ok := map[string]couponkit.Fen{"11.22": 1122, "5": 500, "0.5": 50, "-3.1": -310, "+7.00": 700, "0": 0, "19.99": 1999}
	for s, want := range ok {
		got, err := couponkit.ParseYuan(s)
		require.NoError(t, err, s)
		assert.Equal(t, want, got, s)
	}
	for _, s := range []string{"", ".5", "5.", "1.234", "1e3", "abc", "1,00", "--1", "1.2.3", " 1", "12345678901234567"} {
		_, err := couponkit.ParseYuan(s)
		assert.Error(t, err, s)
	}
}
