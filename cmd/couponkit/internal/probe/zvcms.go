package probe

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/zvcms"
)

func init() {
	vendors["zvcms"] = &vendor{gatewayVar: "ZVCMS_GATEWAY", start: startZvcms, points: zvcmsPoints}
}

// zvcmsConfig is the configuration of the run's credentials.
func zvcmsConfig(r *Run) zvcms.Config {
	return zvcms.Config{Gateway: r.Get("ZVCMS_GATEWAY"), OpenID: r.Get("ZVCMS_OPEN_ID"), OpenKey: r.Get("ZVCMS_OPEN_KEY"), GrantCode: r.Get("ZVCMS_GRANT_CODE")}
}

func startZvcms(r *Run) error {
	c, err := zvcms.NewClient(zvcmsConfig(r), r.options(nil)...)
	if err != nil {
		return err
	}
	r.track(c)
	r.rec.setRedactor(c.Redact)
	return nil
}

// zvcmsClient is a probe client of the run's credentials, changed by edit
// (nil: as configured), on clock (nil: the run's).
func zvcmsClient(r *Run, edit func(*zvcms.Config), clock couponkit.Clock) (*zvcms.Client, error) {
	cfg := zvcmsConfig(r)
	if edit != nil {
		edit(&cfg)
	}
	c, err := zvcms.NewClient(cfg, r.options(clock)...)
	if err != nil {
		return nil, err
	}
	r.track(c)
	return c, nil
}

func zvcmsRead(ctx context.Context, r *Run, clock couponkit.Clock) error {
	c, err := zvcmsClient(r, nil, clock)
	if err != nil {
		return err
	}
	_, err = c.GetCustomerCoupons(ctx, &zvcms.CustomerCouponsRequest{CustomerID: r.Input("customer-id")})
	return err
}

func zvcmsPoints() []Point {
	customer := []string{"customer-id"}
	return []Point{
		skewPoint("timestamp-window", "open",
			"timestamp window and nonce replay rules: not published; keep the host's clock right (the fake allows 5 minutes each way)",
			"zvcmstest.Config.Window", 0, customer, zvcmsRead),
		{
			ID: "page-size", Mark: "open", Inputs: customer,
			Claim:  "getCustomerCouponList's largest pageSize is not published (default DefaultPageSize, 20); CustomerCouponList pages on to the total and stops with an error rather than lose or repeat coupons. The probe asks for a page of 100 (--input page-size=N changes it)",
			Option: "zvcms.CouponListRequest.PageSize; zvcmstest.Config.MaxPageSize",
			Check:  zvcmsPageSize,
		},
		{
			ID: "spelling", Mark: "known", Inputs: customer,
			Claim:  "status and code arrive as strings (\"true\", \"0\", the vendor's page) or as a bool and a number (the vendor family); both decode",
			Option: "zvcmstest.Config.NativeTypes",
			Check:  zvcmsSpelling,
		},
		{
			ID: "reverse-by-sent-bizid", Mark: "open", Writes: true, TestOnly: true,
			Inputs: []string{"customer-id", "card-id", "channel"},
			Claim:  "a reversal goes by the bizId the write-off returned; whether the gateway also takes the bizId the write-off was sent with is open",
			Option: "zvcms.ReverseRequest.BizID, WriteOffResult.ReverseRequest; zvcmstest.Config.ReverseByVendorBizID",
			Plan: func(r *Run) []string {
				return []string{
					fmt.Sprintf("writeOffCoupon card %s of customer %s (channel %s) with bizId %s", r.Input("card-id"), r.Input("customer-id"), r.Input("channel"), zvcmsProbeBizID(r)),
					"couponReverse by bizId " + zvcmsProbeBizID(r) + " (the bizId sent); if refused, couponReverse by the bizId the write-off returned",
				}
			},
			Check: zvcmsReverseBySent,
		},
		{
			ID: "issue-dedup", Mark: "open", Writes: true,
			Claim:      "whether issueCouponsToCustomer de-duplicates on bizId is not published: IssueCoupons is Unsafe unless Config.IssueDeduplicates",
			Option:     "zvcms.Config.IssueDeduplicates",
			NoReversal: "an issued coupon cannot be taken back (zvcms has no call that withdraws it), so a repeated issue is never sent",
		},
		authPoint("auth", "open",
			"the global error codes are not public: a failure with status false whose message is about the token, signature or credentials is an auth fault",
			"zvcms.Config.CodeFaults", customer, true,
			func(ctx context.Context, r *Run) error {
				wrong := r.Get("ZVCMS_OPEN_KEY") + "-probe-wrong"
				r.rec.addSecret(wrong)
				c, err := zvcmsClient(r, func(cfg *zvcms.Config) { cfg.OpenKey = wrong }, nil)
				if err != nil {
					return err
				}
				_, err = c.GetCustomerCoupons(ctx, &zvcms.CustomerCouponsRequest{CustomerID: r.Input("customer-id")})
				return err
			}),
		shapePoint("shapes", "getCustomerCoupons answers {status, code, message, data}, data an array of coupons (the page), one object, or {list, total} (the vendor family), each coupon with the page's members", customer,
			shapeCall{label: "getCustomerCoupons", send: func(ctx context.Context, r *Run) error { return zvcmsRead(ctx, r, nil) },
				reads: func(s Shape) []string {
					out := []string{"status", "code", "message"}
					item := "data[]"
					switch {
					case s["data.list"] != "":
						item = "data.list[]"
						out = append(out, "data.total")
					case s["data"] == "object":
						item = "data"
					}
					return append(out, under(item, "cardId", "couponId", "customerId", "channel", "title", "couponType", "useStatus",
						"templateId", "beginAt", "endAt", "createdAt", "updatedAt")...)
				}}),
	}
}

// zvcmsProbeBizID is the bizId the probe's write-off is sent with (32
// hex digits, the shape of zvcms.Config.NewKey's default).
func zvcmsProbeBizID(r *Run) string {
	return r.key("zvcms bizId", func() string { return randomHex(16) })
}

func zvcmsPageSize(ctx context.Context, r *Run) Finding {
	size := 100
	if v := r.Input("page-size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return Finding{Open, "--input page-size=" + v + " is not a positive integer"}
		}
		size = n
	}
	c, err := zvcmsClient(r, nil, nil)
	if err != nil {
		return Finding{Open, err.Error()}
	}
	r.label(fmt.Sprintf("read: getCustomerCouponList pageSize %d", size))
	var page struct {
		List  []json.RawMessage `json:"list"`
		Total json.Number       `json:"total"`
	}
	_, err = c.Call(ctx, "getCustomerCouponList", map[string]any{"customerId": r.Input("customer-id"), "pageNum": 1, "pageSize": size}, &page, couponkit.Read())
	if err != nil {
		return Finding{Open, "the page was not read: " + describe(err)}
	}
	total, err := strconv.Atoi(page.Total.String())
	if err != nil {
		return Finding{Open, fmt.Sprintf("the page has %d coupons and no total to compare with", len(page.List))}
	}
	n := len(page.List)
	switch {
	case n < size && n < total:
		st := Known
		if n < zvcms.DefaultPageSize {
			st = Contradicted // the default page size is above the cap
		}
		return Finding{st, fmt.Sprintf("pageSize %d is capped at %d (%d coupons of %d on page 1)", size, n, n, total)}
	case n == size:
		return Finding{Known, fmt.Sprintf("pageSize %d served whole (%d coupons of %d): no cap up to %d", size, n, total, size)}
	}
	return Finding{Open, fmt.Sprintf("the customer has %d coupons, all on page 1: a customer with more than %d (or --input page-size below %d) shows a cap", total, size, total)}
}

func zvcmsSpelling(ctx context.Context, r *Run) Finding {
	c, err := zvcmsClient(r, nil, nil)
	if err != nil {
		return Finding{Open, err.Error()}
	}
	r.label("read: getCustomerCoupons")
	res, err := c.GetCustomerCoupons(ctx, &zvcms.CustomerCouponsRequest{CustomerID: r.Input("customer-id")})
	if err != nil {
		return Finding{Open, "not read: " + describe(err)}
	}
	s := ShapeOf(string(res.Meta.Raw))
	layout := "data " + s["data"]
	if s["data.list"] != "" {
		layout = "data {list, total}"
	}
	switch {
	case s["status"] == "string" && s["code"] == "string":
		return Finding{Known, "status and code are JSON strings (the vendor's page); " + layout}
	case s["status"] == "bool" && s["code"] == "number":
		return Finding{Known, "status is a JSON bool and code a number (the vendor family's spelling); " + layout}
	}
	return Finding{Contradicted, fmt.Sprintf("status is %s and code %s; %s", s["status"], s["code"], layout)}
}

func zvcmsReverseBySent(ctx context.Context, r *Run) Finding {
	c, err := zvcmsClient(r, nil, nil)
	if err != nil {
		return Finding{Open, err.Error()}
	}
	biz := zvcmsProbeBizID(r)
	r.label("write: writeOffCoupon")
	res, err := c.WriteOffCoupon(ctx, &zvcms.WriteOffRequest{BizID: biz, Channel: r.Input("channel"), CustomerID: r.Input("customer-id"), CardIDs: []string{r.Input("card-id")}})
	if err != nil {
		if errors.Is(err, couponkit.ErrUnknownOutcome) {
			return Finding{Open, "the write-off's outcome is unknown (" + describe(err) + "): check card " + r.Input("card-id") + " and reverse bizId " + biz + " by hand if it was redeemed"}
		}
		return Finding{Open, "the write-off was refused (" + describe(err) + "): nothing written"}
	}
	if res.VendorBizID == res.BizID {
		r.label("take back: couponReverse by the bizId")
		_, err := c.ReverseWriteOff(ctx, res.ReverseRequest())
		return Finding{Open, "the gateway returned the bizId sent (" + biz + "): the two cannot be told apart; " + takenBack(err, res.VendorBizID)}
	}
	r.label("write: couponReverse by the bizId sent")
	_, err = c.ReverseWriteOff(ctx, &zvcms.ReverseRequest{BizID: biz})
	if err == nil {
		return Finding{Known, fmt.Sprintf("a reversal by the bizId sent (%s) is accepted, beside the returned one (%s); taken back", biz, res.VendorBizID)}
	}
	sent := describe(err)
	r.label("take back: couponReverse by the returned bizId")
	_, err = c.ReverseWriteOff(ctx, res.ReverseRequest())
	if err != nil {
		return Finding{Open, "a reversal by the bizId sent was refused (" + sent + "); " + takenBack(err, res.VendorBizID)}
	}
	return Finding{Known, fmt.Sprintf("only the returned bizId reverses: by the bizId sent (%s) refused (%s); by the returned one (%s) accepted, taken back", biz, sent, res.VendorBizID)}
}

// takenBack says whether the take-back by key went through, loudly when it
// did not.
func takenBack(err error, key string) string {
	if err == nil {
		return "taken back"
	}
	return "NOT TAKEN BACK (" + describe(err) + "): take back " + key + " by hand"
}
