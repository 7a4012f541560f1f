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

func TestPathsNamedByAPIName(t *testing.T) {
	t.Parallel()
	apis := []couponkit.API{{Operation: "couponReverse", Path: "/v3/crm/coupon/couponReverse"}, {Operation: "status", Path: "/v3/coupon/status"}}
	var none Paths
	assert.Nil(t, none.Named("Paths", nil, apis), "no map moves nothing")
	require.NoError(t, none.Err())

	given := map[string]string{"status": "/v4/status"}
	var paths Paths
	got := paths.Named("Paths", given, apis)
	require.NoError(t, paths.Err())
	assert.Equal(t, map[string]string{"status": "/v4/status"}, got)
	given["status"] = "/changed"
	assert.Equal(t, "/v4/status", got["status"], "the caller's map is copied")

	var bad Paths
	got = bad.Named("Paths", map[string]string{"status": "v4/status?x", "nope": "/x", "couponReverse": "/v4/reverse"}, apis)
	assert.Equal(t, map[string]string{"couponReverse": "/v4/reverse"}, got, "the good entries stay")
	err := bad.Err()
	var fields []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var ve *couponkit.ValidationError
		require.True(t, errors.As(e, &ve))
		fields = append(fields, ve.Field)
	}
	assert.Equal(t, []string{`Paths["nope"]`, `Paths["status"]`}, fields, "in name order")
	assert.ErrorContains(t, err, "is not an API of this package (couponReverse, status)")
	assert.ErrorContains(t, err, "must be a path such as /v3/coupon/status")
}

func TestEndpointPathsMoveAnOpByName(t *testing.T) {
	t.Parallel()
	op := &Op{Name: "status", Path: "/v3/coupon/status"}
	other := &Op{Name: "other", Path: "/v3/other"}
	e := &Endpoint[[]byte]{Base: "http://gw", Paths: map[string]string{"status": "/v4/status"}}
	assert.Equal(t, "http://gw/v4/status", e.url(op))
	assert.Equal(t, "http://gw/v4/status", e.url(op), "cached")
	assert.Equal(t, "http://gw/v3/other", e.url(other))
	assert.Equal(t, "/v3/coupon/status", op.Path, "the op is not changed")
}

// TestGenericOpsAreNotCached: each generic call has an Op of its own, so
// caching its URL would keep one entry per call for the Endpoint's life.
func TestGenericOpsAreNotCached(t *testing.T) {
	t.Parallel()
	e := &Endpoint[[]byte]{Base: "http://gw", Paths: map[string]string{"status": "/v4/status"}}
	for range 3 {
		assert.Equal(t, "http://gw/api/v2", e.url(GenericOp("coupon.off-coupon", "/api/v2", couponkit.CallSettings{})))
		assert.Equal(t, "http://gw/v4/status", e.url(GenericOp("status", "/v3/coupon/status", couponkit.CallSettings{})), "Paths still moves it")
	}
	n := 0
	e.urls.Range(func(any, any) bool { n++; return true })
	assert.Zero(t, n, "no entry per generic call")
	e.url(&Op{Name: "typed", Path: "/v3/typed"})
	e.urls.Range(func(any, any) bool { n++; return true })
	assert.Equal(t, 1, n, "a typed Op's URL is cached")
}
