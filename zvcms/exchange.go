package zvcms

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// Redemption codes (兑换码): codes an exchange activity hands out, which a
// customer exchanges for its reward. The vendor's numbering of their states
// is not published [open].

// opExchangeStatus is queryCodeStatus: a read.
var opExchangeStatus = &transport.Op{Name: "queryCodeStatus", Path: "/v3/coupon/exchange/queryCodeStatus", Class: transport.Safe,
	Notes: "[likely]: path, params {code} and data {activityCode, activityName, exchangeStatus} are the vendor family's public CLI's; what exchangeStatus numbers is [open]."}

var _ = registry.Add(transport.Describe(Vendor, opExchangeStatus, (*Client).GetExchangeCodeStatus, "a redemption code's state and exchange activity"))

// ExchangeCodeStatusRequest asks for the state of one redemption code
// (queryCodeStatus [likely]).
type ExchangeCodeStatusRequest struct {
	// Code is the redemption code (code). Required.
	Code string
}

// ExchangeCodeStatus is the answer to GetExchangeCodeStatus.
type ExchangeCodeStatus struct {
	// ActivityCode and ActivityName are the exchange activity the code
	// belongs to (activityCode, activityName).
	ActivityCode, ActivityName string
	// Status is the code's state (exchangeStatus), as the vendor numbers it
	// [open] (the fake's numbers are zvcmstest's Exchange constants).
	Status int
	// Meta describes the HTTP exchange and keeps the raw body.
	Meta couponkit.Meta `json:"-"`
}

// GetExchangeCodeStatus returns the state of the redemption code req.Code.
// It is a read, retried on network failures, 5xx, throttling, server faults
// and answers without an exchangeStatus.
func (c *Client) GetExchangeCodeStatus(ctx context.Context, req *ExchangeCodeStatusRequest) (*ExchangeCodeStatus, error) {
	return transport.Read(ctx, &c.typed, opExchangeStatus, req.validate, (*exchangeStatusParams)(req), (*exchangeStatusAnswer).result)
}

func (r *ExchangeCodeStatusRequest) validate() error {
	switch {
	case r == nil:
		return couponkit.Invalid("ExchangeCodeStatusRequest", "is nil")
	case strings.TrimSpace(r.Code) == "":
		return couponkit.Invalid("Code", "is required")
	}
	return nil
}

// exchangeStatusParams is queryCodeStatus's params.
type exchangeStatusParams struct {
	Code string `json:"code"`
}

// exchangeStatusAnswer is queryCodeStatus's data.
type exchangeStatusAnswer struct {
	ActivityCode wiretype.Text `json:"activityCode"`
	ActivityName wiretype.Text `json:"activityName"`
	Status       count         `json:"exchangeStatus"`
}

// result is a as the answer to GetExchangeCodeStatus, with meta.
func (a *exchangeStatusAnswer) result(meta couponkit.Meta) *ExchangeCodeStatus {
	return &ExchangeCodeStatus{ActivityCode: string(a.ActivityCode), ActivityName: string(a.ActivityName), Status: int(a.Status.n), Meta: meta}
}

// Complete requires the code's state: the call exists to return it.
func (a *exchangeStatusAnswer) Complete() error {
	if !a.Status.ok {
		return transport.Missing("exchangeStatus")
	}
	return nil
}

// opDispatchCodes is codeDispatch: an unsafe write without a key.
var opDispatchCodes = &transport.Op{Name: "codeDispatch", Path: "/v3/coupon/exchange/codeDispatch", Class: transport.Unsafe,
	Notes: "[likely]: path and answer (a list of {code}) are the vendor family's public CLI's. Its params are [open] (the CLI sends a file it does not describe): activityCode and num are this package's reading. " +
		"No key field is published, so it is an unsafe write without a key, and the largest num is [open]."}

var _ = registry.Add(transport.Describe(Vendor, opDispatchCodes, (*Client).DispatchExchangeCodes, "hands out redemption codes of an exchange activity"))

// DispatchCodesRequest asks for redemption codes of an exchange activity
// (codeDispatch, 兑换码下发 [likely]; params [open]).
type DispatchCodesRequest struct {
	// ActivityCode is the exchange activity (activityCode). Required.
	ActivityCode string
	// Num is how many codes to hand out (num). At least 1.
	Num int
}

// DispatchedCodes is the answer to DispatchExchangeCodes.
type DispatchedCodes struct {
	// Codes are the codes handed out, at least one; fewer than
	// DispatchCodesRequest.Num means fewer were handed out.
	Codes []string
	// Meta describes the HTTP exchange and keeps the raw body.
	Meta couponkit.Meta `json:"-"`
}

// DispatchExchangeCodes hands out req.Num redemption codes of an exchange
// activity. It is an unsafe write without a key: it is sent again only when
// it provably never left, and when its outcome cannot be known the error
// matches couponkit.ErrUnknownOutcome (with no key: no published query
// finds the codes a dispatch handed out [open]). A success that lists no
// code, or an empty one, is unreadable, so its outcome is unknown.
func (c *Client) DispatchExchangeCodes(ctx context.Context, req *DispatchCodesRequest) (*DispatchedCodes, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	var a dispatchAnswer
	meta, err := transport.Send(ctx, &c.typed, opDispatchCodes, "", (*dispatchParams)(req), &a)
	if err != nil {
		return nil, err
	}
	codes := make([]string, len(a))
	for i, e := range a {
		codes[i] = string(e.Code)
	}
	return &DispatchedCodes{Codes: codes, Meta: meta}, nil
}

func (r *DispatchCodesRequest) validate() error {
	switch {
	case r == nil:
		return couponkit.Invalid("DispatchCodesRequest", "is nil")
	case strings.TrimSpace(r.ActivityCode) == "":
		return couponkit.Invalid("ActivityCode", "is required")
	case r.Num < 1:
		return couponkit.Invalid("Num", "must be at least 1, not %d", r.Num)
	}
	return nil
}

// dispatchParams is codeDispatch's params [open].
type dispatchParams struct {
	ActivityCode string `json:"activityCode"`
	Num          int    `json:"num"`
}

// dispatchAnswer is codeDispatch's data: [{code}].
type dispatchAnswer []struct {
	Code wiretype.Text `json:"code"`
}

// Complete requires the codes handed out: at least one, none empty.
func (a *dispatchAnswer) Complete() error {
	if len(*a) == 0 {
		return transport.Missing("code")
	}
	for _, e := range *a {
		if e.Code == "" {
			return transport.Missing("code")
		}
	}
	return nil
}

// opDisableCodes is codeDisableBatch: an unsafe write without a key.
var opDisableCodes = &transport.Op{Name: "codeDisableBatch", Path: "/v3/coupon/exchange/codeDisableBatch", Class: transport.Unsafe,
	Notes: "[likely]: path and answer (a list of {code, disabled, failReason}) are the vendor family's public CLI's. Its params are [open]: codes (and activityCode when given) are this package's reading. " +
		"No key field is published, so it is an unsafe write without a key; the most codes per request is [open] (sent as given)."}

var _ = registry.Add(transport.Describe(Vendor, opDisableCodes, (*Client).DisableExchangeCodes, "voids redemption codes; each code's result"))

// DisableCodesRequest voids redemption codes (codeDisableBatch, 撤销兑换码下发
// [likely]; params [open]).
type DisableCodesRequest struct {
	// Codes are the codes to void (codes). At least one; no empty or
	// repeated code.
	Codes []string
	// ActivityCode is their exchange activity (activityCode) [open]; empty
	// leaves it out.
	ActivityCode string
}

// DisabledCodes is the answer to DisableExchangeCodes: one result per code
// asked, in the order asked.
type DisabledCodes struct {
	// Results are the codes' results.
	Results []DisabledCode
	// Meta describes the HTTP exchange and keeps the raw body.
	Meta couponkit.Meta `json:"-"`
}

// DisabledCode is one code's result: voided, or why not.
type DisabledCode struct {
	// Code is the code (code).
	Code string
	// Disabled is true when the code was voided (disabled).
	Disabled bool
	// FailReason says why it was not (failReason), or "".
	FailReason string
}

// DisableExchangeCodes voids redemption codes and returns each one's result:
// a code the vendor did not void is a result with Disabled false and its
// reason, not an error. It is an unsafe write without a key: sent again only
// when it provably never left; when its outcome cannot be known the error
// matches couponkit.ErrUnknownOutcome (ask each code's state with
// GetExchangeCodeStatus). A success that does not answer for every code
// asked, exactly once and for no other, is unreadable, so its outcome is
// unknown: no code is silently dropped.
func (c *Client) DisableExchangeCodes(ctx context.Context, req *DisableCodesRequest) (*DisabledCodes, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	a := disableAnswer{asked: req.Codes}
	meta, err := transport.Send(ctx, &c.typed, opDisableCodes, "", (*disableParams)(req), &a)
	if err != nil {
		return nil, err
	}
	out := &DisabledCodes{Results: make([]DisabledCode, len(req.Codes)), Meta: meta}
	for _, e := range a.list {
		out.Results[slices.Index(req.Codes, string(e.Code))] = DisabledCode{Code: string(e.Code), Disabled: bool(e.Disabled), FailReason: string(e.FailReason)}
	}
	return out, nil
}

func (r *DisableCodesRequest) validate() error {
	switch {
	case r == nil:
		return couponkit.Invalid("DisableCodesRequest", "is nil")
	case len(r.Codes) == 0:
		return couponkit.Invalid("Codes", "is empty")
	}
	return checkCards("Codes", r.Codes)
}

// disableParams is codeDisableBatch's params [open].
type disableParams struct {
	Codes        []string `json:"codes"`
	ActivityCode string   `json:"activityCode,omitempty"`
}

// disableAnswer is codeDisableBatch's data, [{code, disabled, failReason}],
// with the codes asked, kept across attempts (a transport.Resetter).
type disableAnswer struct {
	asked []string
	list  []struct {
		Code       wiretype.Text `json:"code"`
		Disabled   wiretype.Bool `json:"disabled"`
		FailReason wiretype.Text `json:"failReason"`
	}
}

// UnmarshalJSON reads the list.
func (a *disableAnswer) UnmarshalJSON(b []byte) error { return json.Unmarshal(b, &a.list) }

// Reset clears what an attempt decoded and keeps the codes asked.
func (a *disableAnswer) Reset() { a.list = nil }

// Complete requires a result for every code asked, once each, and none for
// another code.
func (a *disableAnswer) Complete() error {
	seen := make(map[string]bool, len(a.list))
	for _, e := range a.list {
		if !slices.Contains(a.asked, string(e.Code)) || seen[string(e.Code)] {
			return fmt.Errorf("the answer lists %q, which was not asked or is listed twice", string(e.Code))
		}
		seen[string(e.Code)] = true
	}
	if len(seen) < len(a.asked) {
		return fmt.Errorf("the answer lists %d of the %d codes asked", len(seen), len(a.asked))
	}
	return nil
}
