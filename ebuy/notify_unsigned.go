package ebuy

import (
	"context"
	"errors"
	"slices"

	"github.com/couponkit/couponkit"
)

// UnsignedPolicy is what NewNotifyHandler does with a notification that
// carries no sign: RefuseUnsigned() (the default), ConfirmUnsigned or
// AcceptUnsigned(). A notification whose sign does not verify is refused under
// every policy.
type UnsignedPolicy struct {
	accept  bool
	confirm *confirmer
}

// RefuseUnsigned answers an unsigned notification 401 without calling the
// handler's function. It is the default: safe, but if e-Buy sends its
// notifications unsigned (pages be83a and 31fef-pMS print no sign) every one
// is refused and e-Buy keeps re-sending.
func RefuseUnsigned() UnsignedPolicy { return UnsignedPolicy{} }

// AcceptUnsigned delivers an unsigned notification as it is, with
// Event.Signed false. Anyone who can reach the handler's URL can then make it
// call the function: use it only behind other protection (an allow-list of
// e-Buy's addresses, a secret path, mutual TLS).
func AcceptUnsigned() UnsignedPolicy { return UnsignedPolicy{accept: true} }

// ConfirmUnsigned checks each unsigned notification against e-Buy before the
// handler's function sees it: for every code in the event it reads the code's
// history through c (CodeHistory, _queryCodeDetailList) and delivers the
// event, with Event.Confirmed true, only when the history shows what the
// event reports (see ConfirmRule for the default reading). An event the
// history does not show, an event with no code, or with more codes than
// ConfirmMaxCodes, is answered 403; a history that cannot be read (network,
// throttling, e-Buy failure) 503, so that e-Buy sends it again later.
// Confirmation turns an unauthenticated push into a verified one without
// trusting its sender; its cost is one read per code.
//
// ConfirmUnsigned panics if c is nil.
func ConfirmUnsigned(c *Client, opts ...ConfirmOption) UnsignedPolicy {
	if c == nil {
		panic("ebuy: ConfirmUnsigned needs a client")
	}
	cf := &confirmer{history: func(ctx context.Context, code string) (*CodeHistory, error) {
		return c.CodeHistory(ctx, &CodeHistoryRequest{Code: code})
	}, maxCodes: DefaultConfirmMaxCodes, redeem: []string{"2"}}
	for _, o := range opts {
		o(cf)
	}
	if cf.rule == nil {
		cf.rule = DefaultConfirmRule(cf.redeem, cf.void)
	}
	return UnsignedPolicy{confirm: cf}
}

// DefaultConfirmMaxCodes bounds the codes ConfirmUnsigned looks up for one
// notification, so that one unsigned request cannot make the handler send
// e-Buy an unbounded number of reads.
const DefaultConfirmMaxCodes = 20

// ConfirmOption configures ConfirmUnsigned.
type ConfirmOption func(*confirmer)

// ConfirmMaxCodes bounds the distinct codes looked up for one notification
// (default DefaultConfirmMaxCodes); a notification with more is refused.
func ConfirmMaxCodes(n int) ConfirmOption { return func(c *confirmer) { c.maxCodes = n } }

// ConfirmRecordTypes sets the history record types (CodeRecord.Type) the
// default rule reads as a redemption and as a cancelled redemption. e-Buy
// does not publish the types (an open point): the default redemption type is
// "2", a redemption at a shop in e-Buy's example; no void type is known, so
// by default a void is shown by any successful record of another type after
// the last successful redemption (the code moved on from being redeemed).
// Empty redeem keeps the default.
func ConfirmRecordTypes(redeem, void []string) ConfirmOption {
	return func(c *confirmer) {
		if len(redeem) > 0 {
			c.redeem = slices.Clone(redeem)
		}
		c.void = slices.Clone(void)
	}
}

// ConfirmWith replaces the rule that reads a code's history (default
// DefaultConfirmRule with ConfirmRecordTypes' types).
func ConfirmWith(rule ConfirmRule) ConfirmOption { return func(c *confirmer) { c.rule = rule } }

// ConfirmRule reports whether records, a code's history oldest first as
// CodeHistory returns it, show what a notification of kind says about item.
type ConfirmRule func(kind EventKind, item NotifyItem, records []CodeRecord) bool

// DefaultConfirmRule is the rule of ConfirmUnsigned. A record counts when it
// succeeded (returnCode "" or "00") and is of item's code (or names none).
//   - EventVerify: a record of a redeem type.
//   - EventVerifyVoid: a redemption record followed by a record of a void
//     type, or, when void is empty, by a record of any type but the redeem
//     types.
//   - Any other kind: false (status changes and unknown notifications cannot
//     be confirmed from the history's unpublished types; use ConfirmWith).
func DefaultConfirmRule(redeem, void []string) ConfirmRule {
	redeem, void = slices.Clone(redeem), slices.Clone(void)
	return func(kind EventKind, item NotifyItem, records []CodeRecord) bool {
		lastRedeem := -1
		for i, r := range records {
			if (r.ReturnCode == "" || r.ReturnCode == "00") && (r.Code == "" || r.Code == item.Code) && slices.Contains(redeem, r.Type) {
				lastRedeem = i
			}
		}
		switch kind {
		case EventVerify:
			return lastRedeem >= 0
		case EventVerifyVoid:
			if lastRedeem < 0 {
				return false
			}
			for _, r := range records[lastRedeem+1:] {
				if (r.ReturnCode != "" && r.ReturnCode != "00") || (r.Code != "" && r.Code != item.Code) {
					continue
				}
				if len(void) > 0 && slices.Contains(void, r.Type) || len(void) == 0 && !slices.Contains(redeem, r.Type) {
					return true
				}
			}
		}
		return false
	}
}

type confirmer struct {
	history      func(context.Context, string) (*CodeHistory, error)
	maxCodes     int
	redeem, void []string
	rule         ConfirmRule
}

// errNotConfirmed is an event the histories do not show; any other error of
// check means the histories could not be read.
var errNotConfirmed = errors.New("ebuy: notification not confirmed by the code's history")

// check confirms ev against the histories of its codes.
func (cf *confirmer) check(ctx context.Context, ev *Event) error {
	var codes []string
	for _, it := range ev.Items {
		if it.Code == "" {
			return errNotConfirmed
		}
		if !slices.Contains(codes, it.Code) {
			codes = append(codes, it.Code)
		}
	}
	if len(codes) == 0 || len(codes) > cf.maxCodes {
		return errNotConfirmed
	}
	for _, code := range codes {
		h, err := cf.history(ctx, code)
		if err != nil {
			var ce *couponkit.Error
			var ve *couponkit.ValidationError
			if errors.As(err, &ve) || errors.As(err, &ce) && ce.Fault == couponkit.FaultClient {
				return errNotConfirmed // e-Buy does not know the code
			}
			return err
		}
		for _, it := range ev.Items {
			if it.Code == code && !cf.rule(ev.Kind, it, h.Records) {
				return errNotConfirmed
			}
		}
	}
	return nil
}
