package transport

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
)

// detailRequest is the fictional vendor's public request of a read.
type detailRequest struct{ Code string }

func (r *detailRequest) validate() error {
	if r == nil || r.Code == "" {
		return couponkit.Invalid("Code", "is required")
	}
	return nil
}

// detailResult is the read's public answer.
type detailResult struct {
	Serial string
	Meta   couponkit.Meta
}

func (a *redeemAnswer) detail(meta couponkit.Meta) *detailResult {
	return &detailResult{Serial: a.Serial, Meta: meta}
}

func TestReadValidatesSendsAndConverts(t *testing.T) {
	t.Parallel()
	typed, s := typedVendor(t, `{"ok":true,"data":{"serial":"S9"}}`)
	req := &detailRequest{Code: "C1"}
	got, err := Read(context.Background(), typed, opTypedRead, req.validate, map[string]string{"code": req.Code}, (*redeemAnswer).detail)
	require.NoError(t, err)
	assert.Equal(t, "S9", got.Serial)
	assert.Equal(t, 1, got.Meta.Attempts)
	assert.Equal(t, []string{`{"key":"","params":{"code":"C1"}}`}, s.sent(), "a read sends no key")
}

func TestReadRefusesAnInvalidRequestBeforeSending(t *testing.T) {
	t.Parallel()
	typed, s := typedVendor(t, `{"ok":true,"data":{"serial":"S9"}}`)
	for _, req := range []*detailRequest{nil, {}} {
		got, err := Read(context.Background(), typed, opTypedRead, req.validate, nil, (*redeemAnswer).detail)
		var ve *couponkit.ValidationError
		require.True(t, errors.As(err, &ve), "%v", err)
		assert.Equal(t, "Code", ve.Field)
		assert.Nil(t, got)
	}
	assert.Empty(t, s.sent())
}

func TestReadKeepsSendsRule(t *testing.T) {
	t.Parallel()
	// A success without the serial is unreadable: the read is retried, and
	// ends with Send's error, no result.
	typed, s := typedVendor(t, `{"ok":true,"data":{"balance":1}}`)
	req := &detailRequest{Code: "C1"}
	got, err := Read(context.Background(), typed, opTypedRead, req.validate, nil, (*redeemAnswer).detail)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "lacks what the call is for")
	assert.Nil(t, got)
	assert.Len(t, s.sent(), 3, "retried up to MaxAttempts")
}
