package couponkit_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
)

// A vendor package's client and two of its calls, as the registry sees them.
type fictionClient struct{ calls int }

type DetailRequest struct{ CardID string }
type Detail struct{ Title string }
type RedeemRequest struct{ BizID string }
type Redemption struct{ Serial string }

func (c *fictionClient) GetCouponDetail(_ context.Context, r *DetailRequest) (*Detail, error) {
	c.calls++
	if r.CardID == "" {
		return nil, couponkit.Invalid("CardID", "is required")
	}
	return &Detail{Title: "card " + r.CardID}, nil
}

func (c *fictionClient) WriteOffCoupon(_ context.Context, r *RedeemRequest) (*Redemption, error) {
	return &Redemption{Serial: r.BizID}, nil
}

func fictionAPIs() []couponkit.API {
	return []couponkit.API{
		couponkit.NewAPI((*fictionClient).GetCouponDetail, couponkit.API{Vendor: "fiction", Operation: "getCouponDetail", Class: couponkit.ClassRead, Summary: "one coupon by its code"}),
		couponkit.NewAPI((*fictionClient).WriteOffCoupon, couponkit.API{Vendor: "fiction", Operation: "writeOffCoupon", Class: couponkit.ClassKeyed, KeyName: "bizId", Summary: "redeems coupons"}),
	}
}

func TestNewAPIFromAMethodExpression(t *testing.T) {
	t.Parallel()
	apis := fictionAPIs()
	require.NoError(t, couponkit.CheckAPIs(apis...))
	a := apis[0]
	assert.Equal(t, "GetCouponDetail", a.Method)
	assert.Equal(t, "get-coupon-detail", a.Name)
	assert.Equal(t, reflect.TypeFor[DetailRequest](), a.Request)
	assert.Equal(t, reflect.TypeFor[Detail](), a.Answer)
	assert.Equal(t, "getCouponDetail", a.Operation)
	assert.Equal(t, "write-off-coupon", apis[1].Name)

	c := &fictionClient{}
	got, err := a.Run(context.Background(), c, &DetailRequest{CardID: "C1"})
	require.NoError(t, err)
	assert.Equal(t, &Detail{Title: "card C1"}, got)

	// The method's own error comes back as is, and a nil result is a nil any.
	got, err = a.Run(context.Background(), c, &DetailRequest{})
	var ve *couponkit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Nil(t, got)
	assert.Equal(t, 2, c.calls)

	// A wrong client or request never reaches the method.
	_, err = a.Run(context.Background(), "not a client", &DetailRequest{CardID: "C1"})
	assert.ErrorContains(t, err, "the client is a string")
	_, err = a.Run(context.Background(), c, &RedeemRequest{})
	assert.ErrorContains(t, err, "the request is a *couponkit_test.RedeemRequest")
	_, err = a.Run(context.Background(), c, (*DetailRequest)(nil))
	assert.Error(t, err)
	assert.Equal(t, 2, c.calls)
}

func TestNewAPIFromAnAdapter(t *testing.T) {
	t.Parallel()
	// A function literal has no method name: the API must give one.
	adapter := func(c *fictionClient, ctx context.Context, r *DetailRequest) (*Detail, error) {
		return c.GetCouponDetail(ctx, r)
	}
	a := couponkit.NewAPI(adapter, couponkit.API{Vendor: "fiction", Operation: "getCouponDetail", Class: couponkit.ClassRead, Summary: "s"})
	assert.Equal(t, "", a.Method)
	assert.Error(t, couponkit.CheckAPIs(a))
	a = couponkit.NewAPI(adapter, couponkit.API{Vendor: "fiction", Method: "CodeHistory", Operation: "_queryCodeDetailList", Class: couponkit.ClassRead, Summary: "s"})
	assert.Equal(t, "code-history", a.Name)
	assert.NoError(t, couponkit.CheckAPIs(a))
}

func TestAPINamesAreTheCommandsNames(t *testing.T) {
	t.Parallel()
	// The couponkit command's names of today's calls, from its method names.
	for method, name := range map[string]string{
		"ActivateCodes": "activate-codes", "CancelSyncedRedemptions": "cancel-synced-redemptions", "ThirdBatchMake": "third-batch-make",
		"GetCustomerCoupons": "get-customer-coupons", "ReverseWriteOff": "reverse-write-off", "MerchantSendCodes": "merchant-send-codes",
		"LastSentCoupon": "last-sent-coupon", "GotoAppoint": "goto-appoint", "BookingInfo": "booking-info", "Stop": "stop",
		"UpdateCodeStatus": "update-code-status", "VoidMerchantRedemption": "void-merchant-redemption",
	} {
		a := couponkit.NewAPI(func(*fictionClient, context.Context, *DetailRequest) (*Detail, error) { return nil, nil },
			couponkit.API{Method: method})
		assert.Equal(t, name, a.Name, method)
	}
}

// KebabCase is the command's spelling of request fields' flags too.
func TestKebabCase(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"CardIDs": "card-ids", "UUID": "uuid", "OriginalVerifyDate": "original-verify-date", "MixID": "mix-id",
		"CustomerID": "customer-id", "DESKey": "des-key", "UserIDs": "user-ids", "ThirdUserID": "third-user-id", "ShareImageURL": "share-image-url",
	} {
		assert.Equal(t, want, couponkit.KebabCase(in), in)
	}
}

func TestClassPhrase(t *testing.T) {
	t.Parallel()
	for want, a := range map[string]couponkit.API{
		"a read":                            {Class: couponkit.ClassRead},
		"a keyed write on bizId":            {Class: couponkit.ClassKeyed, KeyName: "bizId"},
		"an unsafe write, key outerOrderId": {Class: couponkit.ClassUnsafe, KeyName: "outerOrderId"},
		"an unsafe write":                   {Class: couponkit.ClassUnsafe},
	} {
		assert.Equal(t, want, a.ClassPhrase())
	}
}

func TestCheckAPIsFindsEachProblem(t *testing.T) {
	t.Parallel()
	good := fictionAPIs()
	cases := map[string]func(a *couponkit.API){
		"no Vendor":           func(a *couponkit.API) { a.Vendor = "" },
		"no Operation":        func(a *couponkit.API) { a.Operation = "" },
		"no Summary":          func(a *couponkit.API) { a.Summary = " " },
		"in kebab case":       func(a *couponkit.API) { a.Name = "getCouponDetail" },
		"not a class":         func(a *couponkit.API) { a.Class = 7 },
		"a read with KeyName": func(a *couponkit.API) { a.KeyName = "bizId" },
		"must be struct":      func(a *couponkit.API) { a.Request = reflect.TypeFor[string]() },
		"no Run":              func(a *couponkit.API) { a.Run = nil },
		"one line":            func(a *couponkit.API) { a.Summary = "a | b" },
		"Notes must be one":   func(a *couponkit.API) { a.Notes = "[likely]\n[open]" },
	}
	for want, breakIt := range cases {
		a := good[0]
		breakIt(&a)
		assert.ErrorContains(t, couponkit.CheckAPIs(a, good[1]), want)
	}
	keyed := good[1]
	keyed.KeyName = ""
	assert.ErrorContains(t, couponkit.CheckAPIs(keyed), "without KeyName")
	err := couponkit.CheckAPIs(good[0], good[0])
	assert.ErrorContains(t, err, "listed twice")
	assert.Len(t, err.(interface{ Unwrap() []error }).Unwrap(), 1)
	assert.NoError(t, couponkit.CheckAPIs(good...))
}
