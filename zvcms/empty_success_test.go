package zvcms_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/faulttest"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/zvcms"
)

// typedCall is one typed call of the package and what it exists for (the
// calls of calls_test.go are held to the same rule by the call kit): the
// data members (as the vendor's pages and the vendor family print them) of
// a success that carries it, and those of a success that lacks it.
type typedCall struct {
	name, path, op string
	class          couponkit.Class
	key            string // the key an unknown outcome reports
	cfg            zvcms.Config
	run            func(ctx context.Context, c *zvcms.Client) error
	// readable are data members of a success; "" leaves data out.
	readable []string
	// unreadable are data members of a success without what the call exists for.
	unreadable []string
}

// absent stands for a success without a data member.
const absent = ""

var typedCalls = []typedCall{
	{name: "GetCustomerCoupons", path: "/v3/crm/coupon/getCustomerCoupons", op: "getCustomerCoupons", class: couponkit.ClassRead,
		run: func(ctx context.Context, c *zvcms.Client) error {
			_, err := c.GetCustomerCoupons(ctx, &zvcms.CustomerCouponsRequest{CustomerID: "383933091455959041"})
			return err
		},
		readable: []string{
			// The vendor's page, its example's data.
			`{ "beginAt": "2019-08-24 00:00:00", "cardId": "390913445498200065", "channel": "naixue", "couponId": "390913445519171584", "couponType": "0", "createdAt": "2019-10-15 17:10:28", "customerId": "383933091455959041", "title": "", "updatedAt": "2019-10-15 17:10:2", "useStatus": "0", "templateId": "951", "endAt": "2019-11-03 23:59:59", "extra": "" }`,
			`[]`,
			// The vendor family's shape.
			`{"list":[{"cardId":"390913445498200065","couponNo":"N1","couponType":0,"endTime":"2019-11-03 23:59:59","templateId":"951","templateName":"满50减10","useStatus":0}],"total":1}`,
			`{"list":[],"total":0}`,
		},
		unreadable: []string{absent, `null`, `""`, `"x"`, `{}`,
			`{"title":"满50减10","useStatus":"0"}`, // an object without cardId: never a blank coupon
			`[{"cardId":""}]`, `[null]`, `[{"cardId":"A"},{"templateName":"x"}]`,
			`{"list":null,"total":2}`,             // no list, and no coupon either
			`{"list":[{"cardId":"A"}],"total":3}`, // fewer than its total
			`{"list":[{"templateName":"满50减10","endTime":"2019-11-03 23:59:59","couponNo":"N1"}],"total":1}`,
		}},
	{name: "GetCustomerCoupons by CardID", path: "/v3/crm/coupon/getCustomerCoupons", op: "getCustomerCoupons", class: couponkit.ClassRead,
		run: func(ctx context.Context, c *zvcms.Client) error {
			_, err := c.GetCustomerCoupons(ctx, &zvcms.CustomerCouponsRequest{CustomerID: "383933091455959041", CardID: "390913445498200065"})
			return err
		},
		readable: []string{`{"cardId":"390913445498200065","useStatus":"1"}`, `{"list":[{"cardId":"390913445498200065"}],"total":1}`},
		// A gateway that ignores the filter answers another request.
		unreadable: []string{`[{"cardId":"390913445498200065"},{"cardId":"390913445498200066"}]`, `{"cardId":"390913445498200066"}`}},
	{name: "CustomerCouponList", path: "/v3/crm/coupon/getCustomerCouponList", op: "getCustomerCouponList", class: couponkit.ClassRead,
		run: func(ctx context.Context, c *zvcms.Client) error {
			for _, err := range c.CustomerCouponList(ctx, &zvcms.CouponListRequest{CustomerID: "383933091455959041"}) {
				if err != nil {
					return err
				}
			}
			return nil
		},
		readable: []string{
			`{"list":[{"cardId":"390913445498200065","couponNo":"N1","couponType":0,"endTime":"2019-11-03 23:59:59","templateId":"951","templateName":"满50减10","useStatus":0}],"total":1}`,
			`{"list":[],"total":0}`, `[]`,
		},
		unreadable: []string{absent, `null`, `""`, `{}`, `{"total":3}`, `{"list":null,"total":3}`, `{"list":{},"total":1}`,
			`{"list":[{"templateName":"满50减10"}],"total":1}`, `{"list":[null],"total":1}`}},
	{name: "IssueCoupons", path: "/v3/coupon/issueCouponsToCustomer", op: "issueCouponsToCustomer", class: couponkit.ClassUnsafe, key: "I-1",
		run: issueRun,
		// The vendor family's TemplateRealtimeGrantResponse{cardId, cardIdList, num}.
		readable:   []string{`{"cardId":"390913445498200070","cardIdList":["390913445498200070"],"num":1}`, `{"cardId":"390913445498200070"}`},
		unreadable: issueUnreadable},
	{name: "IssueCoupons deduplicated", path: "/v3/coupon/issueCouponsToCustomer", op: "issueCouponsToCustomer", class: couponkit.ClassKeyed, key: "I-1",
		cfg: zvcms.Config{IssueDeduplicates: true}, run: issueRun, unreadable: issueUnreadable},
	{name: "Reconciliation", path: "/api/v2", op: "data.bi.financial-reconciliation", class: couponkit.ClassRead,
		run: func(ctx context.Context, c *zvcms.Client) error {
			for _, err := range c.Reconciliation(ctx, &zvcms.ReconciliationRequest{From: epoch, To: epoch}) {
				if err != nil {
					return err
				}
			}
			return nil
		},
		readable:   []string{`{"itemList":[],"total":0}`, `{"itemList":{"thedate":"2020-01-01","storeId":"2","gmv":"0.00"},"total":"1"}`},
		unreadable: []string{absent, `null`, `""`, `[]`, `{}`, `{"itemList":[],"total":""}`, `{"itemList":[{"storeId":2}],"total":1}`, `{"itemList":[{"thedate":"2020-01-01","gmv":"1.234"}],"total":1}`}},
}

func issueRun(ctx context.Context, c *zvcms.Client) error {
	_, err := c.IssueCoupons(ctx, &zvcms.IssueRequest{BizID: "I-1", CustomerID: "383933091455959041", CouponID: "389420520079552512", Num: 1})
	return err
}

var issueUnreadable = []string{absent, `null`, `""`, `[]`, `{}`, `{"num":1}`, `{"cardIdList":[],"num":0}`, `{"cardId":"","cardIdList":null}`,
	`{"cardIdList":["390913445498200070"],"num":2}`} // num says two, one code to hand out

// TestSuccessWithoutWhatTheCallIsFor: a success (status true, code 0) that
// lacks what the call exists for (the coupons asked for, the vendor's bizId
// of a redemption, the codes issued) is unreadable, never a success with
// nothing in it: a read is retried and then fails; a Keyed write is retried
// with its key and then an unknown outcome with that key; an Unsafe write is
// an unknown outcome at once. Every answer is built by hand from the
// vendor's pages' fields.
func TestSuccessWithoutWhatTheCallIsFor(t *testing.T) {
	t.Parallel()
	for _, tc := range typedCalls {
		for _, data := range tc.unreadable {
			t.Run(tc.name+"/"+data, func(t *testing.T) {
				t.Parallel()
				c, mt := mock(t, tc.cfg, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: maxAttempts}))
				mt.RegisterResponder(http.MethodPost, mockGateway+tc.path, httpmock.NewStringResponder(http.StatusOK, success(data)))
				err := tc.run(context.Background(), c)
				require.Error(t, err)
				sent := mt.GetTotalCallCount()
				switch tc.class {
				case couponkit.ClassRead:
					assert.False(t, errors.Is(err, couponkit.ErrUnknownOutcome))
					assert.True(t, transport.IsUnreadable(err), "%v", err)
					var e *couponkit.Error
					require.ErrorAs(t, err, &e)
					assert.Equal(t, tc.op, e.Operation)
					// Data that does not decode, or a success without what
					// the call is for (its message says what is missing).
					assert.Regexp(t, `^(response does not decode|the vendor reported success, but its answer lacks what the call is for): `, e.Message)
					assert.Equal(t, maxAttempts, sent, "a read is retried")
				default:
					u, last := faulttest.Unknown(t, err, "zvcms", tc.op, tc.key)
					if tc.key != "" {
						assert.Equal(t, zvcms.KeyName, u.KeyName)
					}
					assert.True(t, transport.IsUnreadable(last), "%v", last)
					want := faulttest.Sends(tc.class == couponkit.ClassKeyed, maxAttempts)
					assert.Equal(t, want, sent)
					assert.Equal(t, want, u.Attempts)
				}
			})
		}
		for _, data := range tc.readable {
			t.Run(tc.name+"/readable/"+data, func(t *testing.T) {
				t.Parallel()
				c, mt := mock(t, tc.cfg, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: maxAttempts}))
				mt.RegisterResponder(http.MethodPost, mockGateway+tc.path, httpmock.NewStringResponder(http.StatusOK, success(data)))
				require.NoError(t, tc.run(context.Background(), c))
				assert.Equal(t, 1, mt.GetTotalCallCount())
			})
		}
	}
}

// success is a success envelope as the vendor's page prints it, with data
// (absent when empty).
func success(data string) string {
	if data == absent {
		return `{"status":"true","code":"0","message":"成功"}`
	}
	return `{"status":"true","code":"0","message":"成功","data":` + data + `}`
}
