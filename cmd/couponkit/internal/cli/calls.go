package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/suning"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/zvcms"
)

// callSpec is one typed call run on its own: couponkit <vendor> <name>.
type callSpec struct {
	vendor, name, api string
	req               reflect.Type
	do                func(ctx context.Context, s *session, req any) (any, error)
}

type closer interface{ Close() error }

// typed adapts a client method (a method expression) to a callSpec's do.
func typed[C closer, Req, Res any](mk func(*session) (C, error), fn func(C, context.Context, *Req) (Res, error)) func(context.Context, *session, any) (any, error) {
	return func(ctx context.Context, s *session, req any) (any, error) {
		c, err := mk(s)
		if err != nil {
			return nil, err
		}
		defer c.Close()
		return fn(c, ctx, req.(*Req))
	}
}

func spec[Req any](vendor, name, api string, do func(context.Context, *session, any) (any, error)) callSpec {
	return callSpec{vendor: vendor, name: name, api: api, req: reflect.TypeFor[Req](), do: do}
}

var calls = []callSpec{
	spec[ebuy.ActivateCodesRequest]("ebuy", "activate-codes", "batchActivateCode", typed((*session).ebuy, (*ebuy.Client).ActivateCodes)),
	spec[ebuy.DeactivateCodesRequest]("ebuy", "deactivate-codes", "batchUnActivateCode", typed((*session).ebuy, (*ebuy.Client).DeactivateCodes)),
	spec[ebuy.UpdateCodeStatusRequest]("ebuy", "update-code-status", "batchUpdateCodeStatus", typed((*session).ebuy, (*ebuy.Client).UpdateCodeStatus)),
	spec[ebuy.CancelRedemptionRequest]("ebuy", "cancel-redemption", "verify-verifyCancel", typed((*session).ebuy, (*ebuy.Client).CancelRedemption)),
	spec[ebuy.SyncRedemptionsRequest]("ebuy", "sync-redemptions", "verify-syncVerifyNotify", typed((*session).ebuy, (*ebuy.Client).SyncRedemptions)),
	spec[ebuy.ThirdBatchMakeRequest]("ebuy", "third-batch-make", "thirdBatchMake", typed((*session).ebuy, (*ebuy.Client).ThirdBatchMake)),
	spec[ebuy.CancelSyncedRedemptionsRequest]("ebuy", "cancel-synced-redemptions", "verify-syncVerifyVoidNotify", typed((*session).ebuy, (*ebuy.Client).CancelSyncedRedemptions)),
	spec[ebuy.VoidMerchantRedemptionRequest]("ebuy", "void-merchant-redemption", "verify-codeVerifyVoidNotify", typed((*session).ebuy, (*ebuy.Client).VoidMerchantRedemption)),
	spec[ebuy.MakeCodesRequest]("ebuy", "make-codes", "makeCode", typed((*session).ebuy, (*ebuy.Client).MakeCodes)),
	spec[ebuy.CodeHistoryRequest]("ebuy", "code-history", "_queryCodeDetailList", typed((*session).ebuy, (*ebuy.Client).CodeHistory)),
	spec[ebuy.ProductDetailRequest]("ebuy", "product-detail", "_getBrandProductDetailDirect", typed((*session).ebuy, (*ebuy.Client).ProductDetail)),
	spec[zvcms.CustomerCouponsRequest]("zvcms", "get-customer-coupons", "getCustomerCoupons", typed((*session).zvcms, (*zvcms.Client).GetCustomerCoupons)),
	spec[zvcms.WriteOffRequest]("zvcms", "write-off-coupon", "writeOffCoupon", typed((*session).zvcms, (*zvcms.Client).WriteOffCoupon)),
	spec[zvcms.ReverseRequest]("zvcms", "reverse-write-off", "couponReverse", typed((*session).zvcms, (*zvcms.Client).ReverseWriteOff)),
	spec[zvcms.IssueRequest]("zvcms", "issue-coupons", "issueCouponsToCustomer", typed((*session).zvcms, (*zvcms.Client).IssueCoupons)),
	spec[zvcms.TemplateRequest]("zvcms", "get-template-detail", "getTemplateDetail", typed((*session).zvcms, (*zvcms.Client).GetTemplateDetail)),
	spec[zvcms.CouponDetailRequest]("zvcms", "get-coupon-detail", "getCouponDetail", typed((*session).zvcms, (*zvcms.Client).GetCouponDetail)),
	spec[taobaofilm.ExportRequest]("taobaofilm", "export-codes", "taobao.film.fcode.export.query", typed((*session).taobao, (*taobaofilm.Client).ExportCodes)),
	spec[taobaofilm.SendCodesRequest]("taobaofilm", "send-codes", "taobao.film.lottery.sendcode", typed((*session).taobao, (*taobaofilm.Client).SendCodes)),
	spec[taobaofilm.MerchantSendRequest]("taobaofilm", "merchant-send-codes", "taobao.film.fcode.merchant.send", typed((*session).taobao, (*taobaofilm.Client).MerchantSendCodes)),
	spec[taobaofilm.CreateTokenRequest]("taobaofilm", "create-token", taobaofilm.MethodTokenCreate, typed((*session).taobao, (*taobaofilm.Client).CreateToken)),
	spec[taobaofilm.RefreshTokenRequest]("taobaofilm", "refresh-token", taobaofilm.MethodTokenRefresh, typed((*session).taobao, (*taobaofilm.Client).RefreshToken)),
	spec[houcaller.MemberCouponsRequest]("houcaller", "member-coupons", "listCpnItemByMember", typed((*session).houcaller, (*houcaller.Client).MemberCoupons)),
	spec[houcaller.LastSentCouponRequest]("houcaller", "last-sent-coupon", "getLastSendCpnItem", typed((*session).houcaller, (*houcaller.Client).LastSentCoupon)),
	spec[houcaller.ConsumptionRequest]("houcaller", "record-consumption", "recordMemberCons", typed((*session).houcaller, (*houcaller.Client).RecordConsumption)),
	spec[houcaller.SellCardRequest]("houcaller", "sell-card", "sendMncardForSale", typed((*session).houcaller, (*houcaller.Client).SellCard)),
	spec[houcaller.GiftCouponsRequest]("houcaller", "gift-coupons", "cpnShiftGift", typed((*session).houcaller, (*houcaller.Client).GiftCoupons)),
	spec[houcaller.StoredValueCardsRequest]("houcaller", "member-stored-value-cards", "listMemberStcard", typed((*session).houcaller, (*houcaller.Client).MemberStoredValueCards)),
	spec[houcaller.PromotionCouponsRequest]("houcaller", "promotion-coupons", "listCpnForStcPro", typed((*session).houcaller, (*houcaller.Client).PromotionCoupons)),
	spec[houcaller.PointsPageRequest]("houcaller", "points-ledger-page", "queryMemberScoRecordForShop", typed((*session).houcaller, (*houcaller.Client).PointsLedgerPage)),
	spec[suning.AppointRequest]("suning", "create", suning.MethodAppointCreate, typed((*session).suning, (*suning.Client).Create)),
	spec[suning.AppointRequest]("suning", "modify", suning.MethodAppointCreate+" (modify)", typed((*session).suning, (*suning.Client).Modify)),
	spec[suning.AppointRequest]("suning", "stop", suning.MethodAppointCreate+" (stop)", typed((*session).suning, (*suning.Client).Stop)),
	spec[suning.QueryRequest]("suning", "query", suning.MethodAppointQuery, typed((*session).suning, (*suning.Client).Query)),
	spec[suning.BookingInfoRequest]("suning", "booking-info", suning.MethodBookingInfoQuery, typed((*session).suning, (*suning.Client).BookingInfo)),
	spec[suning.GotoAppointRequest]("suning", "goto-appoint", suning.MethodGotoAppointCreate, typed((*session).suning, (*suning.Client).GotoAppoint)),
	spec[suning.CreateTokenRequest]("suning", "create-token", suning.OperationTokenCreate, typed((*session).suning, (*suning.Client).CreateToken)),
	spec[suning.RefreshTokenRequest]("suning", "refresh-token", suning.OperationTokenRefresh, typed((*session).suning, (*suning.Client).RefreshToken)),
}

func findCall(vendor, name string) *callSpec {
	for i := range calls {
		if calls[i].vendor == vendor && calls[i].name == name {
			return &calls[i]
		}
	}
	return nil
}

// callNames lists vendor's single calls, sorted.
func callNames(vendor string) []string {
	var out []string
	for _, c := range calls {
		if c.vendor == vendor {
			out = append(out, c.name)
		}
	}
	sort.Strings(out)
	return out
}

func cmdCall(c *callSpec, args []string, env Env) error {
	fs := newFlags(c.vendor+" "+c.name, "", env)
	build, inputOnly := requestFlags(fs, c.req)
	input := fs.String("input", "", "JSON `file` with the request's fields by Go name (case does not matter; times RFC 3339, amounts in fen); flags override it")
	asJSON := fs.Bool("json", false, "print the result as JSON instead of a table")
	rate := fs.Float64("rate", 0, "at most `R` requests a second (0: no limit)")
	profile := fs.String("profile", "", "credentials profile `name` from the config file (default: the environment)")
	config := fs.String("config", "", "config `file` of profiles (default ~/.config/couponkit/profiles.json)")
	syn := fmt.Sprintf("couponkit %s %s [flags] [--input request.json] [--json]\n\nOne %s call (%s.%s.%s); the request's fields from the flags or --input.",
		c.vendor, c.name, c.api, c.vendor, "Client", methodName(c.name))
	switch c.vendor + " " + c.name {
	case "ebuy make-codes", "taobaofilm send-codes", "houcaller record-consumption":
		syn += "\nWith --from FILE (or --resume JOB) it is a journaled bulk job: couponkit " + c.vendor + " " + c.name + " --from FILE -h."
	}
	if len(inputOnly) > 0 {
		syn += "\nOnly from --input: " + strings.Join(inputOnly, ", ") + "."
	}
	fs.Usage = func() {
		fmt.Fprintf(env.Stdout, "Usage: %s\n\nFlags:\n", syn)
		fs.PrintDefaults()
	}
	if err := parse(fs, args, env); err != nil {
		return err
	}
	req, err := build(*input)
	if err != nil {
		return err
	}
	s, err := newSession(c.vendor, *profile, *config, *rate, env)
	if err != nil {
		return err
	}
	ctx, stop := signalContext()
	defer stop()
	res, err := c.do(ctx, s, req)
	if err != nil {
		var ue *usageError
		if errors.As(err, &ue) {
			return err
		}
		return errors.New(s.red.String(err.Error()))
	}
	if *asJSON {
		b, err := json.MarshalIndent(res, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(s.out, "%s\n", b)
		return err
	}
	return writeTable(s.out, res)
}

// methodName turns a call's name back into its method: code-history → CodeHistory.
func methodName(name string) string {
	var b strings.Builder
	for p := range strings.SplitSeq(name, "-") {
		if p != "" {
			b.WriteString(strings.ToUpper(p[:1]) + p[1:])
		}
	}
	return b.String()
}

// callList marks where usage lists the single calls.
const callList = "\x00calls\x00"

func usageText() string {
	var b strings.Builder
	for _, v := range []string{"ebuy", "houcaller", "suning", "taobaofilm", "zvcms"} {
		line := "  " + v + ":"
		for _, n := range callNames(v) {
			if len(line)+len(n)+1 > 80 {
				b.WriteString(line + "\n")
				line = "   "
			}
			line += " " + n
		}
		b.WriteString(line + "\n")
	}
	return strings.Replace(usage, callList+"\n", b.String()+"\n", 1)
}
