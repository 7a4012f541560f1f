package taobaofilm_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/testclock"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
)

// exportPage is an export answer in the shape of apiId 47534: codes
// numbered from first, with basic.total_count total (left out when
// negative), has_next and last_sequence.
func exportPage(first, n int, total int, hasNext bool) string {
	var b strings.Builder
	b.WriteString(`{"film_fcode_export_query_response":{"result":{"return_code":"0","return_message":"","return_value":{"basic":{"mix_id":"code_8ebc4e741689bbc1","name":"淘票票示例活动","denomination":400`)
	if total >= 0 {
		b.WriteString(`,"total_count":` + strconv.Itoa(total))
	}
	b.WriteString(`},"coupon_list":{"f_code_info":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"code":"C` + strconv.Itoa(first+i) + `","code_status":0,"gmt_modified":"2019-12-02 23:59:59","bind_status":-1}`)
	}
	b.WriteString(`]},"has_next":` + strconv.FormatBool(hasNext) + `,"last_sequence":` + strconv.Itoa(first+n-1) +
		`,"current_rows":` + strconv.Itoa(n) + `}},"request_id":"p` + strconv.Itoa(first) + `"}}`)
	return b.String()
}

// collect runs Codes over req and returns the codes and the errors yielded.
func collect(c *taobaofilm.Client, req *taobaofilm.ExportRequest) (codes []string, errs []error) {
	for code, err := range c.Codes(context.Background(), req) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		codes = append(codes, code.Code)
	}
	return codes, errs
}

// An export that ends (has_next false) having yielded another number of
// codes than basic.total_count says lost or repeated codes: after the codes,
// the iterators yield an error matching ErrTotalMismatch. With
// OperateConsume (the redeemed codes only) fewer are normal, more are not.
func TestExportEndingShortOfItsTotalIsAnError(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		op       taobaofilm.OperateType
		pages    []string
		codes    int
		mismatch bool
	}{
		{"all, fewer than the total", taobaofilm.OperateAll, []string{exportPage(1, 2, 5, true), exportPage(3, 2, 5, false)}, 4, true},
		{"all, more than the total", taobaofilm.OperateAll, []string{exportPage(1, 2, 3, true), exportPage(3, 2, 3, false)}, 4, true},
		{"all, as many as the total", taobaofilm.OperateAll, []string{exportPage(1, 2, 4, true), exportPage(3, 2, 4, false)}, 4, false},
		{"all, the total of the last page", taobaofilm.OperateAll, []string{exportPage(1, 2, 3, true), exportPage(3, 2, 4, false)}, 4, false},
		{"all, no total", taobaofilm.OperateAll, []string{exportPage(1, 2, -1, true), exportPage(3, 2, -1, false)}, 4, false},
		{"consume, fewer than the total", taobaofilm.OperateConsume, []string{exportPage(1, 2, 9, true), exportPage(3, 2, 9, false)}, 4, false},
		{"consume, more than the total", taobaofilm.OperateConsume, []string{exportPage(1, 2, 3, true), exportPage(3, 2, 3, false)}, 4, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			answers := make([]answer, len(tc.pages))
			for i, p := range tc.pages {
				answers[i] = answer{200, p}
			}
			c, rec := mockClient(t, taobaofilm.Config{}, testclock.New(issueAt), answers...)
			req := defaultExport()
			req.OperateType = tc.op
			codes, errs := collect(c, req)
			assert.Len(t, codes, tc.codes, "every code is yielded before the error")
			assert.Equal(t, len(tc.pages), rec.count())
			if !tc.mismatch {
				assert.Empty(t, errs)
				return
			}
			require.Len(t, errs, 1)
			assert.ErrorIs(t, errs[0], taobaofilm.ErrTotalMismatch)
			assert.Contains(t, errs[0].Error(), "total_count")

			c2, _ := mockClient(t, taobaofilm.Config{}, testclock.New(issueAt), answers...)
			var pageErr error
			pages := 0
			for p, err := range c2.Pages(context.Background(), req) {
				if err != nil {
					pageErr = err
					assert.Nil(t, p)
					continue
				}
				pages++
			}
			assert.Equal(t, len(tc.pages), pages)
			assert.ErrorIs(t, pageErr, taobaofilm.ErrTotalMismatch)
		})
	}
}

// An export resumed from a cursor has not seen the codes before it: the
// total is not checked. Nor when the caller stops early.
func TestExportTotalOnlyForAWholeExport(t *testing.T) {
	t.Parallel()
	c, _ := mockClient(t, taobaofilm.Config{}, testclock.New(issueAt), answer{200, exportPage(3, 2, 9, false)})
	req := defaultExport()
	seq := int64(2)
	req.LastSequence = &seq
	codes, errs := collect(c, req)
	assert.Equal(t, []string{"C3", "C4"}, codes)
	assert.Empty(t, errs)

	c, rec := mockClient(t, taobaofilm.Config{}, testclock.New(issueAt), answer{200, exportPage(1, 2, 9, true)})
	for _, err := range c.Codes(context.Background(), defaultExport()) {
		require.NoError(t, err)
		break
	}
	assert.Equal(t, 1, rec.count())
}

// The fake's exports are whole: every code of the batch, as many as its
// total_count, with and without codes issued in between.
func TestFakeExportMatchesItsTotal(t *testing.T) {
	t.Parallel()
	srv := newFake(t, taobaofilmtest.Config{InMemory: true, PageSize: 30})
	c, _ := newClient(t, srv.ClientConfig(), srv.ClientOption())
	n := 0
	for _, err := range c.Codes(context.Background(), defaultExport()) {
		require.NoError(t, err)
		if n++; n == 40 {
			_, err := c.SendCodes(context.Background(), &taobaofilm.SendCodesRequest{MixID: taobaofilmtest.DefaultMixID, PartnerCode: taobaofilmtest.DefaultPartnerCode, Number: 3})
			require.NoError(t, err)
		}
	}
	assert.Equal(t, 253, n)
}
