package transport

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
)

func TestPathsResolveByName(t *testing.T) {
	t.Parallel()
	reverse := &Op{Name: "couponReverse", Path: "/v3/crm/coupon/couponReverse", Class: Keyed, KeyName: "bizId"}
	list := &Op{Name: "getCustomerCouponList", Path: "/v3/crm/coupon/getCustomerCouponList", Class: Safe}

	var paths Paths
	gotReverse := paths.At(reverse, "ReversePath", "")
	gotList := paths.At(list, "CouponListPath", "/v4/list")
	require.NoError(t, paths.Err())
	assert.Same(t, reverse, gotReverse, "an empty field keeps the package's op")
	assert.Equal(t, "/v4/list", gotList.Path)
	assert.Equal(t, "/v3/crm/coupon/getCustomerCouponList", list.Path, "the package's op is not changed")
	assert.Equal(t, Op{Name: "getCustomerCouponList", Path: "/v4/list", Class: Safe}, *gotList)

	var bad Paths
	bad.At(reverse, "ReversePath", "v3/relative")
	bad.At(list, "CouponListPath", "/list?x=1")
	bad.At(list, "IssuePath", "/fine")
	err := bad.Err()
	var ve *couponkit.ValidationError
	require.ErrorAs(t, err, &ve)
	var fields []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		require.True(t, errors.As(e, &ve))
		fields = append(fields, ve.Field)
	}
	assert.Equal(t, []string{"ReversePath", "CouponListPath"}, fields)
	assert.Contains(t, err.Error(), "such as /v3/crm/coupon/couponReverse")
}

func TestValidPath(t *testing.T) {
	t.Parallel()
	for p, ok := range map[string]bool{
		"/v3/coupon/issueCouponsToCustomer": true, "/a": true,
		"": false, "/": false, "a/b": false, "/a//b": false, "/a?b": false, "/a#b": false, "/a%20b": false, "/a b": false, "/a\nb": false,
	} {
		assert.Equal(t, ok, ValidPath(p), "%q", p)
	}
}
