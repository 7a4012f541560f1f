package taobaofilm_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
)

// TestRepeatedCursorIsARepeatedPage: the export's repeated cursor matches
// the error every package's listing stops with on a repeated page,
// couponkit.ErrPageRepeated, as well as ErrCursorRepeated.
func TestRepeatedCursorIsARepeatedPage(t *testing.T) {
	assert.ErrorIs(t, taobaofilm.ErrCursorRepeated, couponkit.ErrPageRepeated)
	srv := newFake(t, taobaofilmtest.Config{PageSize: 10, Batches: []taobaofilmtest.Batch{batch(100)}})
	c, _ := newClient(t, fakeConfig(srv))
	var failure error
	for _, err := range c.Codes(context.Background(), defaultExport()) {
		if err != nil {
			failure = err
			continue
		}
		srv.IgnoreCursorNext()
	}
	assert.ErrorIs(t, failure, couponkit.ErrPageRepeated)
	assert.ErrorIs(t, failure, taobaofilm.ErrCursorRepeated)
	assert.False(t, errors.Is(failure, couponkit.ErrListShort))
}
