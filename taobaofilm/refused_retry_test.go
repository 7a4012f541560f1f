package taobaofilm_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/faulttest"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
)

// SendCodes' first attempt issues the codes and its answer is dropped; the
// retry is refused, as TOP refuses an ext_order_id it has seen
// (isv.ext-order-id-duplicate) or a bad argument. The call's outcome is
// unknown, with its ext_order_id, and the refusal stays reachable; TOP
// publishes no sub-code meaning "already applied" for this method, so none
// is reported as such.
func TestSendCodesRefusedRetryAfterAppliedAttemptIsUnknown(t *testing.T) {
	t.Parallel()
	for _, refusal := range []struct{ code, wantCode, wantSub string }{
		{"isv.ext-order-id-duplicate", "15", "isv.ext-order-id-duplicate"},
		{"41", "41", ""},
	} {
		t.Run(refusal.code, func(t *testing.T) {
			t.Parallel()
			srv := newFake(t, taobaofilmtest.Config{})
			c, _ := newClient(t, fakeConfig(srv))
			before := srv.Issued(taobaofilmtest.DefaultMixID)
			srv.DropNextAfterWrite()
			srv.FailNext(refusal.code, "refused")
			_, err := c.SendCodes(context.Background(), &taobaofilm.SendCodesRequest{MixID: taobaofilmtest.DefaultMixID,
				PartnerCode: taobaofilmtest.DefaultPartnerCode, ExtOrderID: "ORDER-RR-1", Number: 2})
			u, ce := faulttest.Unknown(t, err, "taobaofilm", taobaofilm.MethodSendCodes, "ORDER-RR-1")
			assert.Equal(t, taobaofilm.KeyName, u.KeyName)
			assert.Equal(t, 2, u.Attempts)
			assert.Equal(t, refusal.wantCode, ce.Code)
			assert.Equal(t, refusal.wantSub, ce.SubCode)
			assert.Equal(t, couponkit.FaultClient, ce.Fault)
			assert.False(t, couponkit.AlreadyApplied(err))
			assert.Equal(t, 2, srv.RequestCount())
			require.Equal(t, before+2, srv.Issued(taobaofilmtest.DefaultMixID), "the first attempt issued the codes")
		})
	}
}
