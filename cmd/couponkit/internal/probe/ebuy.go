package probe

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy"
)

func init() {
	vendors["ebuy"] = &vendor{gatewayVar: "EBUY_GATEWAY", testGateway: ebuy.TestGateway, start: startEbuy, points: ebuyPoints}
}

func ebuyConfig(r *Run) ebuy.Config {
	return ebuy.Config{Gateway: r.Get("EBUY_GATEWAY"), AppID: r.Get("EBUY_APP_ID"), AppSecret: r.Get("EBUY_APP_SECRET"), BrandID: r.Get("EBUY_BRAND_ID")}
}

func startEbuy(r *Run) error {
	c, err := ebuy.NewClient(ebuyConfig(r), r.options(nil)...)
	if err != nil {
		return err
	}
	r.track(c)
	r.rec.setRedactor(c.Redact)
	return nil
}

func ebuyClient(r *Run, edit func(*ebuy.Config)) (*ebuy.Client, error) {
	cfg := ebuyConfig(r)
	if edit != nil {
		edit(&cfg)
	}
	c, err := ebuy.NewClient(cfg, r.options(nil)...)
	if err != nil {
		return nil, err
	}
	r.track(c)
	return c, nil
}

func ebuyProduct(r *Run) (ebuy.TicketID, error) {
	n, err := strconv.ParseInt(r.Input("product-id"), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("--input product-id=%s is not a product id (digits)", r.Input("product-id"))
	}
	return ebuy.TicketID(n), nil
}

func ebuyPoints() []Point {
	return []Point{
		{
			ID: "answer-sign", Mark: "assumed", Inputs: []string{"product-id", "code"},
			Claim:  "the answer's sign is computed like the request's, over the answer's own top-level fields (e-Buy does not publish it)",
			Option: "none: an answer whose sign does not verify is unreadable",
			Check:  ebuyAnswerSign,
		},
		{
			ID: "uuid-dedup", Mark: "assumed", Writes: true, TestOnly: true, Inputs: []string{"code"},
			Claim:  "e-Buy de-duplicates every write by uuid (not published): the typed writes are Keyed on it and send it unchanged on every attempt",
			Option: "ebuy.ActivateCodesRequest.UUID; Client.Call is Unsafe unless told; ebuytest.Config.IgnoreUUID",
			Plan: func(r *Run) []string {
				return []string{
					fmt.Sprintf("batchActivateCode code %s with uuid %s, twice", r.Input("code"), ebuyProbeUUID(r)),
					"take back: batchUnActivateCode code " + r.Input("code"),
				}
			},
			Check: ebuyUUIDDedup,
		},
		{
			ID: "makecode-dedup", Mark: "open", Writes: true,
			Claim:      "makeCode's de-duplication of outerOrderId is not published for 4.1 (the 4.0 MakeCode returns the earlier success): MakeCodes is Unsafe unless Config.MakeCodesDeduplicates",
			Option:     "ebuy.Config.MakeCodesDeduplicates; ebuytest.Config.MakeCodesDeduplicates",
			NoReversal: "codes issued to an order cannot be taken back (e-Buy 4.1 has no call that withdraws a make), so a repeated make is never sent",
		},
		authPoint("auth", "open",
			"the errorCode table is not published: SIGN and APPID codes are auth faults, by keyword",
			"ebuy.Config.CodeFaults (FaultFor)", []string{"product-id"}, true, ebuyWrongSecret),
		shapePoint("shapes", "_getBrandProductDetailDirect and _queryCodeDetailList answer in the signed envelope (success, errorCode, uuid, sign, content) with the fields the typed results read", []string{"product-id", "code"},
			shapeCall{label: "_getBrandProductDetailDirect", send: ebuyReadProduct,
				reads: fixed(append([]string{"success", "errorCode", "errorMessage", "uuid", "sign", "signType", "action", "timestamp"},
					under("content", "productId", "productName", "productType", "useTimes", "brandId", "brandName", "sendChannelId")...)...)},
			shapeCall{label: "_queryCodeDetailList", send: ebuyReadHistory,
				reads: fixed(append([]string{"success", "errorCode", "errorMessage", "uuid", "sign", "signType", "action", "timestamp", "content.returnCode"},
					under("content.returnData[]", "dateTime", "returnCode", "returnMsg", "code", "mid", "shopName", "type", "shopNo", "tid", "swift")...)...)},
		),
	}
}

// ebuyAnswerSign reads a product and a code's history: both answers' signs
// verify by the request's rule, or the point stays open.
func ebuyAnswerSign(ctx context.Context, r *Run) Finding {
	c, err := ebuyClient(r, nil)
	if err != nil {
		return Finding{Open, err.Error()}
	}
	id, err := ebuyProduct(r)
	if err != nil {
		return Finding{Open, err.Error()}
	}
	r.label("read: _getBrandProductDetailDirect")
	_, perr := c.ProductDetail(ctx, &ebuy.ProductDetailRequest{ProductID: id})
	r.label("read: _queryCodeDetailList")
	_, herr := c.CodeHistory(ctx, &ebuy.CodeHistoryRequest{Code: r.Input("code")})
	if perr == nil && herr == nil {
		return Finding{Known, "both answers' signs verify by the request's rule"}
	}
	return Finding{Open, "product: " + describe(perr) + "; history: " + describe(herr)}
}

// ebuyWrongSecret reads the product signed with a wrong app secret.
func ebuyWrongSecret(ctx context.Context, r *Run) error {
	wrong := r.Get("EBUY_APP_SECRET") + "-probe-wrong"
	r.rec.addSecret(wrong)
	return ebuyReadProductWith(ctx, r, func(cfg *ebuy.Config) { cfg.AppSecret = wrong })
}

// ebuyReadProduct reads the product --input product-id names.
func ebuyReadProduct(ctx context.Context, r *Run) error {
	return ebuyReadProductWith(ctx, r, nil)
}

// ebuyReadProductWith reads the product --input product-id names with a
// client whose Config edit (may be nil) changed.
func ebuyReadProductWith(ctx context.Context, r *Run, edit func(*ebuy.Config)) error {
	c, err := ebuyClient(r, edit)
	if err != nil {
		return err
	}
	id, err := ebuyProduct(r)
	if err != nil {
		return err
	}
	_, err = c.ProductDetail(ctx, &ebuy.ProductDetailRequest{ProductID: id})
	return err
}

// ebuyReadHistory reads the history of the code --input code names.
func ebuyReadHistory(ctx context.Context, r *Run) error {
	c, err := ebuyClient(r, nil)
	if err != nil {
		return err
	}
	_, err = c.CodeHistory(ctx, &ebuy.CodeHistoryRequest{Code: r.Input("code")})
	return err
}

// ebuyProbeUUID is the uuid of the probe's repeated activation, in
// e-Buy's own shape (yyyyMMdd-<32 hex>, Beijing date).
func ebuyProbeUUID(r *Run) string {
	return r.key("ebuy uuid", func() string { return r.opts.Clock.Now().In(beijing).Format("20060102") + "-" + randomHex(16) })
}

func ebuyUUIDDedup(ctx context.Context, r *Run) Finding {
	c, err := ebuyClient(r, nil)
	if err != nil {
		return Finding{Open, err.Error()}
	}
	code, uuid := r.Input("code"), ebuyProbeUUID(r)
	r.label("write: batchActivateCode")
	_, err = c.ActivateCodes(ctx, &ebuy.ActivateCodesRequest{UUID: uuid, Codes: []string{code}})
	if err != nil {
		if errors.Is(err, couponkit.ErrUnknownOutcome) {
			return Finding{Open, "the activation's outcome is unknown (" + describe(err) + "): check code " + code + " and deactivate it by hand if it was activated"}
		}
		return Finding{Open, "the activation was refused (" + describe(err) + "): nothing written"}
	}
	r.label("write: batchActivateCode, same uuid")
	_, again := c.ActivateCodes(ctx, &ebuy.ActivateCodesRequest{UUID: uuid, Codes: []string{code}})
	r.label("take back: batchUnActivateCode")
	_, back := c.DeactivateCodes(ctx, &ebuy.DeactivateCodesRequest{Codes: []string{code}})
	tb := takenBack(back, "code "+code+" (deactivate it)")
	switch {
	case again == nil:
		return Finding{Known, "a repeated uuid is answered as the first (replayed, not run again); " + tb}
	case refusal(again):
		return Finding{Contradicted, "a repeated uuid is run again and refused by the code's new state (" + describe(again) + "): e-Buy does not de-duplicate by uuid; " + tb}
	}
	return Finding{Open, "the repeat's outcome: " + describe(again) + "; " + tb}
}
