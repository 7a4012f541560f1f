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
