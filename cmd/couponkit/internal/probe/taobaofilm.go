package probe

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/taobaofilm"
)

func init() {
	vendors["taobaofilm"] = &vendor{gatewayVar: "TAOBAO_GATEWAY", testGateway: taobaofilm.TestGateway, defaultGateway: taobaofilm.ProductionGateway,
		start: startTaobao, points: taobaoPoints}
}

func taobaoConfig(r *Run) taobaofilm.Config {
	return taobaofilm.Config{Gateway: r.Get("TAOBAO_GATEWAY"), AppKey: r.Get("TAOBAO_APP_KEY"), AppSecret: r.Get("TAOBAO_APP_SECRET"), Session: r.Get("TAOBAO_SESSION")}
}

func startTaobao(r *Run) error {
	c, err := taobaofilm.NewClient(taobaoConfig(r), r.options(nil)...)
	if err != nil {
		return err
	}
	r.track(c)
	r.rec.setRedactor(c.Redact)
	return nil
}

func taobaoClient(r *Run, edit func(*taobaofilm.Config), clock couponkit.Clock) (*taobaofilm.Client, error) {
	cfg := taobaoConfig(r)
	if edit != nil {
		edit(&cfg)
	}
	c, err := taobaofilm.NewClient(cfg, r.options(clock)...)
	if err != nil {
		return nil, err
	}
	r.track(c)
	return c, nil
}

func taobaoExport(r *Run) *taobaofilm.ExportRequest {
	return &taobaofilm.ExportRequest{MixID: r.Input("mix-id"), PartnerCode: r.Input("partner-code"), OperateType: taobaofilm.OperateAll}
}

// taobaoRead reads the export's first page with a client changed by edit.
func taobaoRead(ctx context.Context, r *Run, edit func(*taobaofilm.Config), clock couponkit.Clock) error {
	c, err := taobaoClient(r, edit, clock)
	if err != nil {
		return err
	}
	_, err = c.ExportCodes(ctx, taobaoExport(r))
	return err
}

func taobaoPoints() []Point {
	batch := []string{"mix-id", "partner-code"}
	return []Point{
		{
			ID: "sign-methods", Mark: "known", Inputs: batch,
			Claim:  "TOP signs with md5, hmac (HMAC-MD5) or hmac-sha256 (the default)",
			Option: "taobaofilm.Config.SignMethod; taobaofilmtest.Config.SignMethods",
			Check:  taobaoSignMethods,
		},
		skewPoint("clock-skew", "open",
			"the timestamp is Beijing time, made again for every attempt; how far it may be off is not in the package (TOP answers 30/31, auth faults, when it is too far)",
			"taobaofilmtest.Config.MaxSkew", 0, batch,
			func(ctx context.Context, r *Run, clock couponkit.Clock) error { return taobaoRead(ctx, r, nil, clock) }),
		{
			ID: "cursor", Mark: "open", Inputs: batch,
			Claim:  "TOP documents no request field for the export cursor: the previous page's last_sequence is sent as a number in the params JSON ({\"last_sequence\":100}); an export whose cursor repeats stops with ErrCursorRepeated",
			Option: "taobaofilm.Config.Cursor, Config.CursorName; taobaofilmtest.Config.CursorName",
			Check:  taobaoCursor,
		},
		{
			ID: "sendcode-dedup", Mark: "likely", Writes: true,
			Claim:      "taobao.film.lottery.sendcode de-duplicates ext_order_id (the page requires it as the caller's order number, without saying so in words): SendCodes is Keyed on it",
			Option:     "taobaofilm.Config.SendCodesUnsafe",
			NoReversal: "issued codes cannot be taken back (TOP has no call that withdraws them), so a repeated issue is never sent",
		},
		authPoint("auth", "known",
			"24-29 (signature, session, app key) are auth faults",
			"taobaofilm.Config.CodeFaults (FaultFor)", batch, true,
			func(ctx context.Context, r *Run) error {
				wrong := r.Get("TAOBAO_APP_SECRET") + "-probe-wrong"
				r.rec.addSecret(wrong)
				return taobaoRead(ctx, r, func(cfg *taobaofilm.Config) { cfg.AppSecret = wrong }, nil)
			}),
		shapePoint("shapes", "taobao.film.fcode.export.query answers {film_fcode_export_query_response: {result: {return_code, return_message, return_value: {basic, coupon_list, has_next, last_sequence, current_rows}}}}", batch,
			shapeCall{label: "taobao.film.fcode.export.query",
				send: func(ctx context.Context, r *Run) error { return taobaoRead(ctx, r, nil, nil) },
				reads: func(s Shape) []string {
					root := "film_fcode_export_query_response.result"
					list := ".coupon_list.f_code_info[]"
					if s[root] == "" { // simplify=true
						root = "result"
						list = ".coupon_list[]"
					}
					rv := root + ".return_value"
					out := []string{root + ".return_code", root + ".return_message", rv + ".has_next", rv + ".last_sequence", rv + ".current_rows"}
					out = append(out, under(rv+".basic", "mix_id", "name", "description", "denomination", "total_count", "max_bind_count", "valid_days", "valid_duration_type", "bind_begin_time", "coupon_expire_time")...)
					return append(out, under(rv+list, "code", "code_status", "bind_status", "gmt_modified")...)
				}}),
	}
}

func taobaoSignMethods(ctx context.Context, r *Run) Finding {
	var seen []string
	defaultOK := false
	for _, m := range []taobaofilm.SignMethod{taobaofilm.SignHMACSHA256, taobaofilm.SignHMAC, taobaofilm.SignMD5} {
		r.label("read, sign_method " + string(m))
		err := taobaoRead(ctx, r, func(cfg *taobaofilm.Config) { cfg.SignMethod = m }, nil)
		switch {
		case err == nil:
			seen = append(seen, string(m)+" accepted")
			if m == taobaofilm.SignHMACSHA256 {
				defaultOK = true
			}
		case refusal(err):
			seen = append(seen, string(m)+" refused ("+describe(err)+")")
		default:
			return Finding{Open, string(m) + ": " + describe(err)}
		}
	}
	if !defaultOK {
		return Finding{Contradicted, strings.Join(seen, "; ") + ": the default, hmac-sha256, is not accepted (Config.SignMethod)"}
	}
	return Finding{Known, strings.Join(seen, "; ")}
}

func taobaoCursor(ctx context.Context, r *Run) Finding {
	c, err := taobaoClient(r, nil, nil)
	if err != nil {
		return Finding{Open, err.Error()}
	}
	pages := 0
	r.label("read: export pages")
	for _, err := range c.Pages(ctx, taobaoExport(r)) {
		if err != nil {
			if errors.Is(err, taobaofilm.ErrCursorRepeated) {
				return Finding{Contradicted, fmt.Sprintf("page %d repeats page %d's cursor: the gateway ignores last_sequence in the params JSON (Config.Cursor, Config.CursorName)", pages+1, pages)}
			}
			return Finding{Open, fmt.Sprintf("after %d page(s): %s", pages, describe(err))}
		}
		pages++
		if pages == 3 {
			break
		}
	}
	if pages < 2 {
		return Finding{Open, "the export has one page: a batch with more codes than a page shows whether the cursor is read"}
	}
	return Finding{Known, fmt.Sprintf("%d pages, each after the previous page's last_sequence: the cursor in the params JSON is read", pages)}
}
