package zvcms

import (
	"context"
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
	if err := req.validate(); err != nil {
		return nil, err
	}
	var a exchangeStatusAnswer
	meta, err := transport.Send(ctx, &c.typed, opExchangeStatus, "", (*exchangeStatusParams)(req), &a)
	if err != nil {
		return nil, err
	}
	return &ExchangeCodeStatus{ActivityCode: string(a.ActivityCode), ActivityName: string(a.ActivityName), Status: int(a.Status.n), Meta: meta}, nil
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
