package ebuy_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
	"github.com/couponkit/couponkit/internal/calltest"
)

func TestAPIsAreWellFormed(t *testing.T) {
	t.Parallel()
	require.NoError(t, couponkit.CheckAPIs(ebuy.APIs()...))
}

// TestAPIsListEveryTypedCall holds the registry's entries below to e-Buy's
// API names and to the retry classes and keys the package doc states (a call
// not below is checked by its row in the call table), and the registry to
// every exported method of Client that takes a context and a request.
func TestAPIsListEveryTypedCall(t *testing.T) {
	t.Parallel()
	type entry struct {
		name, operation string
		class           couponkit.Class
		key             string
	}
	want := map[string]entry{
		"ActivateCodes":           {"activate-codes", "batchActivateCode", couponkit.ClassKeyed, "uuid"},
		"DeactivateCodes":         {"deactivate-codes", "batchUnActivateCode", couponkit.ClassKeyed, "uuid"},
		"UpdateCodeStatus":        {"update-code-status", "batchUpdateCodeStatus", couponkit.ClassKeyed, "uuid"},
		"ThirdBatchMake":          {"third-batch-make", "thirdBatchMake", couponkit.ClassKeyed, "uuid"},
		"MakeCodes":               {"make-codes", "makeCode", couponkit.ClassUnsafe, "outerOrderId"},
		"ProductDetail":           {"product-detail", "_getBrandProductDetailDirect", couponkit.ClassRead, ""},
		"CodeHistory":             {"code-history", "_queryCodeDetailList", couponkit.ClassRead, ""},
		"CancelRedemption":        {"cancel-redemption", "verify-verifyCancel", couponkit.ClassKeyed, "uuid"},
		"SyncRedemptions":         {"sync-redemptions", "verify-syncVerifyNotify", couponkit.ClassKeyed, "cashierTransNo"},
		"CancelSyncedRedemptions": {"cancel-synced-redemptions", "verify-syncVerifyVoidNotify", couponkit.ClassKeyed, "uuid"},
		"VoidMerchantRedemption":  {"void-merchant-redemption", "verify-codeVerifyVoidNotify", couponkit.ClassKeyed, "requestId"},
	}
	got := map[string]entry{}
	for _, a := range ebuy.APIs() {
		assert.Equal(t, ebuy.Vendor, a.Vendor)
		got[a.Method] = entry{a.Name, a.Operation, a.Class, a.KeyName}
	}
	for method, w := range want {
		assert.Equal(t, w, got[method], method)
	}

	// Every (ctx, *Request) (*Result, error) method is listed.
	for _, m := range calltest.TypedMethods(reflect.TypeFor[*ebuy.Client]()) {
		_, ok := got[m]
		assert.True(t, ok, "%s takes a request but is not in APIs", m)
	}
}

// TestAPIsRunAgainstTheFake runs the reads through the registry's Run, as
// the couponkit command does, against the fake.
func TestAPIsRunAgainstTheFake(t *testing.T) {
	t.Parallel()
	fake, c, _ := fakeClient(t)
	codes := fake.MakeCodes(1)
	byMethod := map[string]couponkit.API{}
	for _, a := range ebuy.APIs() {
		byMethod[a.Method] = a
	}
	out, err := byMethod["ProductDetail"].Run(context.Background(), c, &ebuy.ProductDetailRequest{ProductID: ebuytest.DefaultProductID})
	require.NoError(t, err)
	assert.Equal(t, ebuytest.DefaultProductID, out.(*ebuy.Product).ProductID)

	out, err = byMethod["CodeHistory"].Run(context.Background(), c, &ebuy.CodeHistoryRequest{Code: codes[0]})
	require.NoError(t, err)
	require.NotEmpty(t, out.(*ebuy.CodeHistory).Records)
	assert.Equal(t, codes[0], out.(*ebuy.CodeHistory).Records[0].Code)

	_, err = byMethod["CodeHistory"].Run(context.Background(), c, &ebuy.CodeHistoryRequest{})
	var ve *couponkit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "Code", ve.Field)
	assert.Equal(t, 2, fake.RequestCount(), "the refused request was not sent")
}
