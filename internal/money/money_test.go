package money

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	cases := []struct {
		f        couponkit.Fen
		digits   int
		negative bool
		ok       bool
	}{
		{0, 0, false, true},
		{9999999999999999_99, 0, false, true}, // 16 integer digits
		{10000000000000000_00, 0, false, false},
		{-1, 0, false, false},
		{-1, 0, true, true},
		{math.MinInt64, 0, true, false},
		{99999_99, 5, false, true},
		{100000_00, 5, false, false},
	}
	for _, c := range cases {
		err := Check("PayAmount", c.f, c.digits, c.negative)
		if c.ok {
			assert.NoError(t, err, "%d", c.f)
			continue
		}
		var ve *couponkit.ValidationError
		require.True(t, errors.As(err, &ve), "%d", c.f)
		assert.Equal(t, "PayAmount", ve.Field)
	}
	// Every amount Check accepts at the full width reads back exactly.
	f := couponkit.Fen(9999999999999999_99)
	back, err := couponkit.ParseYuan(f.Yuan())
	require.NoError(t, err)
	assert.Equal(t, f, back)
}
