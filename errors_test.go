package couponkit_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
)

func TestErrorTextAndAs(t *testing.T) {
	cause := errors.New("eof")
	e := &couponkit.Error{Vendor: "taobaofilm", Operation: "taobao.film.fcode.export.query", Code: "7", SubCode: "accesscontrol.limited-by-app-access-count",
		Message: "App Call Limited", RequestID: "r1", HTTPStatus: 200, Fault: couponkit.FaultThrottle, Err: cause}
	assert.Equal(t, "taobaofilm taobao.film.fcode.export.query: code 7/accesscontrol.limited-by-app-access-count: App Call Limited (throttle fault, http 200, request id r1)", e.Error())
	wrapped := fmt.Errorf("export: %w", e)
	var got *couponkit.Error
	require.ErrorAs(t, wrapped, &got)
	assert.Same(t, e, got)
	assert.ErrorIs(t, wrapped, cause)
	assert.Equal(t, couponkit.FaultThrottle, couponkit.FaultOf(wrapped))
	assert.Equal(t, couponkit.FaultUnknown, couponkit.FaultOf(cause))
	assert.True(t, couponkit.FaultThrottle.Retryable())
	assert.True(t, couponkit.FaultServer.Retryable())
	assert.False(t, couponkit.FaultAuth.Retryable())
}

func TestErrorWithoutCodeUsesCause(t *testing.T) {
	e := &couponkit.Error{Vendor: "zvcms", Fault: couponkit.FaultServer, Err: errors.New("connection reset")}
	assert.Equal(t, "zvcms: connection reset (server fault)", e.Error())
}

func TestFaultNames(t *testing.T) {
	names := map[couponkit.Fault]string{couponkit.FaultUnknown: "unknown", couponkit.FaultClient: "client",
		couponkit.FaultAuth: "auth", couponkit.FaultThrottle: "throttle", couponkit.FaultServer: "server", couponkit.Fault(99): "unknown"}
	for f, want := range names {
		assert.Equal(t, want, f.String())
	}
}

func TestUnknownOutcome(t *testing.T) {
	last := &couponkit.Error{Vendor: "houcaller", Operation: "sendMncardForSale", Message: "EOF", Fault: couponkit.FaultServer}
	var err error = &couponkit.UnknownOutcomeError{Vendor: "houcaller", Operation: "sendMncardForSale", KeyName: "saleNo", Key: "S-1", Attempts: 1, Err: last}
	err = fmt.Errorf("sell: %w", err)
	assert.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.Same(t, last, ce)
	key, ok := couponkit.IdempotencyKey(err)
	assert.True(t, ok)
	assert.Equal(t, "S-1", key)
	assert.Contains(t, err.Error(), "check saleNo S-1")
	_, ok = couponkit.IdempotencyKey(last)
	assert.False(t, ok)
	assert.NotErrorIs(t, last, couponkit.ErrUnknownOutcome)
}

func TestValidationError(t *testing.T) {
	var err error = couponkit.Invalid("Goods[1].Price", "must be positive, got %d", -1)
	var ve *couponkit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "Goods[1].Price", ve.Field)
	assert.Equal(t, "invalid Goods[1].Price: must be positive, got -1", err.Error())
}

func TestAlreadyApplied(t *testing.T) {
	dup := &couponkit.Error{Vendor: "ebuy", Code: "32", Fault: couponkit.FaultClient, AlreadyApplied: true}
	unknown := &couponkit.UnknownOutcomeError{Vendor: "ebuy", KeyName: "requestId", Key: "V-1", Attempts: 2, Err: dup}
	assert.True(t, couponkit.AlreadyApplied(dup), "a first attempt refused as a key used before")
	assert.True(t, couponkit.AlreadyApplied(fmt.Errorf("void: %w", unknown)), "a refused retry ending an unknown outcome")
	assert.ErrorIs(t, unknown, couponkit.ErrUnknownOutcome)
	assert.False(t, couponkit.AlreadyApplied(&couponkit.Error{Code: "32", Fault: couponkit.FaultClient}), "only a code the vendor publishes so")
	assert.False(t, couponkit.AlreadyApplied(&couponkit.UnknownOutcomeError{Err: &couponkit.Error{Code: "91"}}))
	assert.False(t, couponkit.AlreadyApplied(errors.New("plain")))
	assert.False(t, couponkit.AlreadyApplied(nil))
}

func TestUnknownOutcomeErrorNamesTheCallOnce(t *testing.T) {
	err := &couponkit.UnknownOutcomeError{Vendor: "houcaller", Operation: "sendMncardForSale", KeyName: "saleNo", Key: "S-1", Attempts: 1,
		Err: &couponkit.Error{Vendor: "houcaller", Operation: "sendMncardForSale", Message: "connection reset", Fault: couponkit.FaultServer}}
	want := "houcaller sendMncardForSale: outcome unknown after 1 attempt(s); check saleNo S-1: connection reset (server fault)"
	if got := err.Error(); got != want {
		t.Fatalf("Error() = %q, want %q", got, want)
	}
	other := &couponkit.UnknownOutcomeError{Vendor: "ebuy", Operation: "makeCode", KeyName: "outerOrderId", Key: "O-1", Attempts: 2, Err: errors.New("boom")}
	if got, want := other.Error(), "ebuy makeCode: outcome unknown after 2 attempt(s); check outerOrderId O-1: boom"; got != want {
		t.Fatalf("Error() = %q, want %q", got, want)
	}
	keyless := &couponkit.UnknownOutcomeError{Vendor: "houcaller", Operation: "cpnShiftGift", Attempts: 1, Err: errors.New("EOF")}
	if got, want := keyless.Error(), "houcaller cpnShiftGift: outcome unknown after 1 attempt(s); no idempotency key: check the vendor's state: EOF"; got != want {
		t.Fatalf("Error() = %q, want %q", got, want)
	}
}
