package suning_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/suning"
	"github.com/couponkit/couponkit/suning/suningtest"
)

// Every keyed write's first attempt is applied and its answer dropped; the
// retry is refused, by the business (resultCode 1, as for an activity in a
// state that no longer allows the change) or by the gateway (an sn_error).
// The call's outcome is unknown, with its enrollInfoCode, and the refusal
// stays reachable; Suning publishes no code meaning "already applied", so
// none is reported as such.
func TestRefusedRetryAfterAppliedAttemptIsUnknown(t *testing.T) {
	t.Parallel()
	refusals := []struct {
		name   string
		inject func(srv *suningtest.Server)
		code   string
	}{
		{"business failure", func(srv *suningtest.Server) {
			srv.FailNextBusiness(suning.ResultFailure, "活动状态不允许修改")
		}, suning.ResultFailure},
		{"gateway error", func(srv *suningtest.Server) { srv.FailNext(suning.CodeDataGetFail, "数据操作失败") }, suning.CodeDataGetFail},
	}
	for _, w := range writes() {
		if !w.keyed {
			continue
		}
		for _, r := range refusals {
			t.Run(w.name+"/"+r.name, func(t *testing.T) {
				t.Parallel()
				c, srv, _ := fakeClient(t, suningtest.Config{})
				req := w.setup(t, c)
				before, appliedBefore := srv.RequestCount(), srv.AppliedWrites()
				srv.DropNextAfterWrite()
				r.inject(srv)
				given, err := w.run(context.Background(), t, c, req)
				require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
				key, ok := couponkit.IdempotencyKey(err)
				require.True(t, ok)
				reqs := srv.Requests()[before:]
				require.Len(t, reqs, 2, "the refusal ends the call")
				assert.Equal(t, sentKey(t, reqs[0].Body), key)
				if given != "" {
					assert.Equal(t, given, key)
				}
				var u *couponkit.UnknownOutcomeError
				require.ErrorAs(t, err, &u)
				assert.Equal(t, suning.KeyName, u.KeyName)
				assert.Equal(t, 2, u.Attempts)
				var ce *couponkit.Error
				require.ErrorAs(t, err, &ce, "the refusal stays reachable")
				assert.Equal(t, r.code, ce.Code)
				assert.Equal(t, w.api, ce.Operation)
				assert.False(t, couponkit.AlreadyApplied(err))
				assert.Equal(t, 1, srv.AppliedWrites()-appliedBefore, "the first attempt was applied")
			})
		}
	}
}
