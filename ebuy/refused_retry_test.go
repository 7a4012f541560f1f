package ebuy_test

import (
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
	"github.com/couponkit/couponkit/internal/faulttest"
)

// refusedRetryCall is a keyed write whose first attempt is applied and its
// answer dropped: call sets up what it acts on and makes the call with key,
// returning the code it acts on.
type refusedRetryCall struct {
	name, op, keyName string
	// applied32 says whether e-Buy publishes 32 as "this key was used
	// before" for the call's key.
	applied32 bool
	call      func(t *testing.T, fake *ebuytest.Server, c *ebuy.Client, key string) (string, error)
}

var refusedRetryCalls = []refusedRetryCall{
	{name: "VoidMerchantRedemption", op: "verify-codeVerifyVoidNotify", keyName: "requestId", applied32: true,
		call: func(t *testing.T, fake *ebuytest.Server, c *ebuy.Client, key string) (string, error) {
			code := fake.SeedCodes(1, ebuy.StatusUnused)[0]
			_, err := fake.Redeem("1490", "shop", code)
			require.NoError(t, err)
			_, err = c.VoidMerchantRedemption(context.Background(), &ebuy.VoidMerchantRedemptionRequest{RequestID: key, Code: code})
			return code, err
		}},
	{name: "CancelSyncedRedemptions", op: "verify-syncVerifyVoidNotify", keyName: "uuid",
		call: func(t *testing.T, fake *ebuytest.Server, c *ebuy.Client, key string) (string, error) {
			code := fake.SeedCodes(1, ebuy.StatusUnused)[0]
			require.NoError(t, fake.RedeemAtTill("T-"+key, "1490", "shop", code))
			_, err := c.CancelSyncedRedemptions(context.Background(), &ebuy.CancelSyncedRedemptionsRequest{UUID: key, CashierTransNo: "T-" + key})
			return code, err
		}},
}

// The first attempt of a write is applied and its answer dropped; the retry
// is refused with the code e-Buy answers a repeated serial number (32) or a
// code in the wrong state (91). The call's outcome is unknown, with its key,
// and the refusal stays reachable; 32 on a requestId is reported as
// couponkit.AlreadyApplied.
func TestRefusedRetryAfterAppliedAttemptIsUnknown(t *testing.T) {
	t.Parallel()
	for _, call := range refusedRetryCalls {
		for _, refusal := range []struct{ code, msg string }{
			{ebuy.ErrCodeDuplicateSerial, "流水号已使用"},
			{ebuy.ErrCodeInvalidTransition, "券码不能撤销核销"},
		} {
			t.Run(call.name+"/"+refusal.code, func(t *testing.T) {
				t.Parallel()
				fake, c, _ := fakeClient(t)
				key := "20240517-refused-" + refusal.code
				fake.DropNextAfterWrite()
				fake.FailNext(refusal.code, refusal.msg)
				code, err := call.call(t, fake, c, key)
				u, ce := faulttest.Unknown(t, err, "ebuy", call.op, key)
				assert.Equal(t, call.keyName, u.KeyName)
				assert.Equal(t, 2, u.Attempts)
				assert.Equal(t, refusal.code, ce.Code)
				assert.Equal(t, couponkit.FaultClient, ce.Fault)
				want := call.applied32 && refusal.code == ebuy.ErrCodeDuplicateSerial
				assert.Equal(t, want, couponkit.AlreadyApplied(err))
				assert.Equal(t, 2, fake.RequestCount())
				st, ok := fake.Code(code)
				require.True(t, ok)
				assert.Equal(t, ebuy.StatusUnused, st.Status, "the first attempt took the redemption back")
				assert.Equal(t, 1, countOf(st.History, "9"), "once: %v", st.History)
			})
		}
	}
}

// A requestId used before, refused on the first attempt: a plain refusal
// (nothing was in doubt in this call), reported as already applied.
func TestVoidMerchantRedemptionDuplicateSerialIsAlreadyApplied(t *testing.T) {
	t.Parallel()
	fake, c, _ := fakeClient(t)
	fake.FailNext(ebuy.ErrCodeDuplicateSerial, "流水号已使用")
	_, err := c.VoidMerchantRedemption(context.Background(), &ebuy.VoidMerchantRedemptionRequest{RequestID: "V-SENT-BEFORE", Code: "1031000000000000001"})
	require.Error(t, err)
	assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome)
	assert.True(t, couponkit.AlreadyApplied(err))
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, ebuy.ErrCodeDuplicateSerial, ce.Code)
	assert.Equal(t, 1, fake.RequestCount())

	// On a call keyed on the uuid, e-Buy publishes no such meaning.
	fake.FailNext(ebuy.ErrCodeDuplicateSerial, "流水号已使用")
	_, err = c.CancelSyncedRedemptions(context.Background(), &ebuy.CancelSyncedRedemptionsRequest{CashierTransNo: "T-1", BrandID: "1"})
	require.Error(t, err)
	assert.False(t, couponkit.AlreadyApplied(err))
}

func countOf(list []string, v string) int {
	n := 0
	for i := slices.Index(list, v); i >= 0; i = slices.Index(list, v) {
		n++
		list = list[i+1:]
	}
	return n
}
