package probe

import (
	"context"

	"github.com/couponkit/couponkit/houcaller"
)

func init() {
	vendors["houcaller"] = &vendor{gatewayVar: "HOUCALLER_GATEWAY", testGateway: houcaller.TestGateway, start: startHoucaller, points: houcallerPoints}
}

func houcallerConfig(r *Run) houcaller.Config {
	return houcaller.Config{Gateway: r.Get("HOUCALLER_GATEWAY"), Channel: r.Get("HOUCALLER_CHANNEL"), DESKey: r.Get("HOUCALLER_DES_KEY")}
}

func startHoucaller(r *Run) error {
	c, err := houcaller.NewClient(houcallerConfig(r), r.options(nil)...)
	if err != nil {
		return err
	}
	r.track(c)
	r.rec.setRedactor(c.Redact)
	return nil
}

func houcallerClient(r *Run, edit func(*houcaller.Config)) (*houcaller.Client, error) {
	cfg := houcallerConfig(r)
	if edit != nil {
		edit(&cfg)
	}
	c, err := houcaller.NewClient(cfg, r.options(nil)...)
	if err != nil {
		return nil, err
	}
	r.track(c)
	return c, nil
}

func houcallerRead(ctx context.Context, r *Run, edit func(*houcaller.Config)) (*houcaller.MemberCouponsResult, error) {
	c, err := houcallerClient(r, edit)
	if err != nil {
		return nil, err
	}
	return c.MemberCoupons(ctx, &houcaller.MemberCouponsRequest{MemberID: r.Input("member-id")})
}

func houcallerPoints() []Point {
	member := []string{"member-id"}
	return []Point{
		{
			ID: "cipher", Mark: "likely", Inputs: member,
			Claim:  "DES in ECB mode with PKCS5 padding, hex in upper case, keyed by the 8 bytes of DESKey as given",
			Option: "houcaller.Config.CipherMode, Config.IV, Config.Padding; houcallertest.Config.CipherMode, IV, Padding",
			Check:  houcallerCipher,
		},
		{
			ID: "code-spelling", Mark: "known", Inputs: member,
			Claim:  "code may be a number or a string (\"0\"), and the message \"msg\" or \"smg\"; all decode",
			Option: "houcallertest.Config.CodeAsString, Config.MisspellMsg",
			Check:  houcallerCodeSpelling,
		},
		authPoint("error-codes", "open",
			"no error code other than 0 is documented: every other code is FaultUnknown (not retried) unless Config.CodeFaults says otherwise",
			"houcaller.Config.CodeFaults", member, false, houcallerWrongKey),
		{
			ID: "saleno-dedup", Mark: "open", Writes: true,
			Claim:      "de-duplication by saleNo is not documented: SellCard is Unsafe unless Config.SaleNoDedup",
			Option:     "houcaller.Config.SaleNoDedup",
			NoReversal: "a sold card cannot be taken back (Houcaller has no call that cancels a sale), so a repeated sale is never sent",
		},
		{
			ID: "serialcode-dedup", Mark: "open", Writes: true,
			Claim:      "de-duplication of consumption records by serialCode is not documented: RecordConsumption is Unsafe unless Config.SerialCodeDedup",
			Option:     "houcaller.Config.SerialCodeDedup; houcallertest.Config.DedupConsumptions",
			NoReversal: "a consumption record cannot be taken back (Houcaller has no call that deletes one), so a repeated record is never sent",
		},
		shapePoint("shapes", "listCpnItemByMember answers {code, msg, data: {list: [coupon]}}, each coupon with its code (cpnCode) and the example's members", member,
			shapeCall{label: "listCpnItemByMember",
				send: func(ctx context.Context, r *Run) error {
					_, err := houcallerRead(ctx, r, nil)
					return err
				},
				reads: houcallerCouponFields}),
	}
}

// houcallerCipher reads a member's coupons with the default cipher: read,
// the gateway takes DES/ECB/PKCS5; refused, it reads another.
func houcallerCipher(ctx context.Context, r *Run) Finding {
	r.label("read: listCpnItemByMember")
	_, err := houcallerRead(ctx, r, nil)
	switch {
	case err == nil:
		return Finding{Known, "a param in DES/ECB/PKCS5, upper-case hex, is read by the gateway"}
	case refusal(err):
		return Finding{Contradicted, "a param in DES/ECB/PKCS5 is refused (" + describe(err) + "): the gateway reads another mode or padding (Config.CipherMode, Config.IV, Config.Padding)"}
	}
	return Finding{Open, describe(err)}
}

// houcallerCodeSpelling reads a member's coupons and reports how the
// answer spells its code and message.
func houcallerCodeSpelling(ctx context.Context, r *Run) Finding {
	r.label("read: listCpnItemByMember")
	res, err := houcallerRead(ctx, r, nil)
	if err != nil {
		return Finding{Open, "not read: " + describe(err)}
	}
	s := ShapeOf(string(res.Meta.Raw))
	msg := houcallerMsg(s)
	switch s["code"] {
	case "number":
		return Finding{Known, "code is a JSON number; the message is " + msg}
	case "string":
		return Finding{Known, "code is a JSON string; the message is " + msg}
	}
	return Finding{Contradicted, "code is " + s["code"]}
}

// houcallerWrongKey reads a member's coupons sealed with another 8-byte
// key: the gateway cannot read the param.
func houcallerWrongKey(ctx context.Context, r *Run) error {
	wrong := "pr0be#Wx"
	if wrong == r.Get("HOUCALLER_DES_KEY") {
		wrong = "pr0be#Wy"
	}
	_, err := houcallerRead(ctx, r, func(cfg *houcaller.Config) { cfg.DESKey = wrong })
	return err
}

// houcallerCouponFields are the members MemberCoupons reads from an answer
// of shape s.
func houcallerCouponFields(s Shape) []string {
	return append([]string{"code", houcallerMsg(s)}, under("data.list[]", "cpnCode", "cpnid", "cpnId", "cpnName", "cpnType", "begDate", "endDate", "status")...)
}

// houcallerMsg is the name of the message member in an answer of shape s:
// "msg", or the "smg" some answers carry instead.
func houcallerMsg(s Shape) string {
	if s["msg"] == "" && s["smg"] != "" {
		return "smg"
	}
	return "msg"
}
