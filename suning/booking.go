package suning

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
)

// Methods and business nodes of the customer side of an appointment
// activity: enrolling a customer, and reading a customer's booking. Their
// request fields are those of Suning's SDKs (the Python and PHP request
// classes GotoappointCreateRequest and BookinginfoQueryRequest); the
// vendor's pages for them were not among the pages this package was built
// from, and no public source lists their answers. [likely] for the
// requests, [open] for the answers.
const (
	// MethodGotoAppointCreate enrols a customer in an activity (去预约).
	MethodGotoAppointCreate = "suning.custom.gotoappoint.create"
	// NodeCreateGotoappoint is MethodGotoAppointCreate's business node.
	NodeCreateGotoappoint = "createGotoappoint"
	// MethodBookingInfoQuery reads a customer's booking in an activity.
	MethodBookingInfoQuery = "suning.custom.bookinginfo.query"
	// NodeQueryBookinginfo is MethodBookingInfoQuery's business node.
	NodeQueryBookinginfo = "queryBookinginfo"
)

// GotoAppointKeyName is the field GotoAppoint reports, with its value, when
// its outcome is unknown (couponkit.UnknownOutcomeError.KeyName and
// couponkit.IdempotencyKey). It is not a key the vendor de-duplicates on:
// look the customer up with BookingInfo before sending again.
const GotoAppointKeyName = "custNo"

// The customer-side operations. GotoAppoint is an unsafe write: its request
// carries no enrollInfoCode nor any other message id, and Suning documents
// no de-duplication for it, so it is never sent twice once it may have left;
// an ambiguous answer is an unknown outcome reporting the customer (custNo).
// BookingInfo is a read.
var (
	opGotoAppoint = &transport.Op{Name: MethodGotoAppointCreate, Class: transport.Unsafe, KeyName: GotoAppointKeyName}
	opBookingInfo = &transport.Op{Name: MethodBookingInfoQuery, Class: transport.Safe}
)

// Their registry entries and business nodes.
var (
	_ = registry.Add(transport.Describe(Vendor, opGotoAppoint, (*Client).GotoAppoint, "enrols a customer in an activity's goods"))
	_ = registry.Add(transport.Describe(Vendor, opBookingInfo, (*Client).BookingInfo, "a customer's bookings in an activity"))
	_ = knownNodes.add(opGotoAppoint, NodeCreateGotoappoint)
	_ = knownNodes.add(opBookingInfo, NodeQueryBookinginfo)
)

// GotoAppointRequest enrols a customer in an appointment activity
// (suning.custom.gotoappoint.create, node createGotoappoint). The fields and
// which are required are those of Suning's SDKs [likely]; the values of
// PurchaseType and TerminalFlag are not published, so they are sent as
// given and only checked to be present [open].
type GotoAppointRequest struct {
	// ActionID (actionId) is the activity's id. Required.
	ActionID string
	// CustNo (custNo) is the customer's Suning member number. Required.
	CustNo string
	// PartNumber (partNumber) is the goods of the activity booked. Required.
	PartNumber string
	// PurchaseType (purchaseType) is how the customer will buy. Required;
	// its values are not published [open].
	PurchaseType string
	// StoreCode (storeCode) is the store the booking is made for. Optional.
	StoreCode string
	// TelNo (telNo) is the customer's phone number. Required.
	TelNo string
	// TerminalFlag (terminalFlag) is the terminal the booking comes from.
	// Required; its values are not published [open].
	TerminalFlag string
	// VendorCode (vendorCode) is the merchant's code, as when the activity
	// was created. Required.
	VendorCode string
}

// GotoAppointResult is the answer to GotoAppoint. The vendor's answer
// fields are not published [open]: ResultCode and ResultMessage are read where
// the answer has them, and Node keeps the whole node.
type GotoAppointResult struct {
	// ResultCode (resultCode) and ResultMessage (resultMsg), when the vendor sent them.
	ResultCode, ResultMessage string
	// Node is the createGotoappoint node as received (a slice of Meta.Raw).
	Node json.RawMessage
	// Meta describes the HTTP exchange.
	Meta couponkit.Meta `json:"-"`
}

// BookingInfoRequest selects a customer's booking for BookingInfo
// (suning.custom.bookinginfo.query, node queryBookinginfo). Both fields are
// required, as in Suning's SDKs [likely].
type BookingInfoRequest struct {
	// ActionID (actionId) is the activity's id. Required.
	ActionID string
	// SNUnionID (snUnionId) is the customer's Suning union id. How it
	// relates to GotoAppointRequest.CustNo is not published [open]; the fake
	// (suningtest) takes it to be the custNo.
	SNUnionID string
}

// BookingInfoResult is a customer's booking as BookingInfo returns it. The
// vendor's answer fields are not published [open]: ResultCode and
// ResultMessage are read where the answer has them, and Node keeps the whole
// queryBookinginfo node for the rest (see suningtest for the fake's shape).
type BookingInfoResult struct {
	// ResultCode (resultCode) and ResultMessage (resultMsg), when the vendor sent them.
	ResultCode, ResultMessage string
	// Node is the queryBookinginfo node as received (a slice of Meta.Raw).
	Node json.RawMessage
	// Meta describes the HTTP exchange.
	Meta couponkit.Meta `json:"-"`
}

// GotoAppoint enrols a customer in an activity. It is an unsafe write (see
// opGotoAppoint): it is sent again only when it provably never left or the
// vendor throttled it. When its outcome is unknown the error matches
// couponkit.ErrUnknownOutcome and couponkit.IdempotencyKey returns the
// customer's custNo: read the booking with BookingInfo before enrolling the
// customer again.
//
// Success is judged as for Query [open]: a resultFlag, when present,
// decides; otherwise a resultCode, when present, must be "0". A node with
// neither is not a definite answer: an unknown outcome reporting the custNo.
func (c *Client) GotoAppoint(ctx context.Context, req *GotoAppointRequest) (*GotoAppointResult, error) {
	if err := req.validate(c.limits); err != nil {
		return nil, err
	}
	var a resultAnswer
	meta, err := transport.Send(ctx, &c.typed, c.opGoto, req.CustNo, (*gotoAppointParams)(req), &a)
	if err != nil {
		return nil, err
	}
	return &GotoAppointResult{ResultCode: a.code(), ResultMessage: string(a.ResultMessage),
		Node: c.resultNode(meta, NodeCreateGotoappoint), Meta: meta}, nil
}

// BookingInfo reads a customer's booking in an activity. It is a read and is
// retried on network failures, 5xx, throttling, server faults and unreadable
// answers, among them a node with neither resultFlag nor resultCode. Success
// is judged as for Query [open]; the booking itself (the node's other
// fields) is not published, so it is kept as Node and not checked.
func (c *Client) BookingInfo(ctx context.Context, req *BookingInfoRequest) (*BookingInfoResult, error) {
	if err := req.validate(c.limits); err != nil {
		return nil, err
	}
	var a resultAnswer
	meta, err := transport.Send(ctx, &c.typed, c.opBooking, "", (*bookingInfoParams)(req), &a)
	if err != nil {
		return nil, err
	}
	return &BookingInfoResult{ResultCode: a.code(), ResultMessage: string(a.ResultMessage),
		Node: c.resultNode(meta, NodeQueryBookinginfo), Meta: meta}, nil
}

func (r *GotoAppointRequest) validate(limits map[string]int) error {
	if r == nil {
		return couponkit.Invalid("GotoAppointRequest", "is nil")
	}
	k := &checker{limits: limits, family: strings.ToLower(NodeCreateGotoappoint)}
	k.text("ActionID", "actionId", r.ActionID, true)
	k.text("CustNo", "custNo", r.CustNo, true)
	k.text("PartNumber", "partNumber", r.PartNumber, true)
	k.text("PurchaseType", "purchaseType", r.PurchaseType, true)
	k.text("StoreCode", "storeCode", r.StoreCode, false)
	k.text("TelNo", "telNo", r.TelNo, true)
	k.text("TerminalFlag", "terminalFlag", r.TerminalFlag, true)
	k.text("VendorCode", "vendorCode", r.VendorCode, true)
	return k.err
}

func (r *BookingInfoRequest) validate(limits map[string]int) error {
	if r == nil {
		return couponkit.Invalid("BookingInfoRequest", "is nil")
	}
	k := &checker{limits: limits, family: strings.ToLower(NodeQueryBookinginfo)}
	k.text("ActionID", "actionId", r.ActionID, true)
	k.text("SNUnionID", "snUnionId", r.SNUnionID, true)
	return k.err
}

// gotoAppointParams is the createGotoappoint node: GotoAppointRequest's
// fields with their wire names; storeCode is left out when empty.
type gotoAppointParams struct {
	ActionID     string `json:"actionId"`
	CustNo       string `json:"custNo"`
	PartNumber   string `json:"partNumber"`
	PurchaseType string `json:"purchaseType"`
	StoreCode    string `json:"storeCode,omitempty"`
	TelNo        string `json:"telNo"`
	TerminalFlag string `json:"terminalFlag"`
	VendorCode   string `json:"vendorCode"`
}

// bookingInfoParams is the queryBookinginfo node: BookingInfoRequest's
// fields with their wire names.
type bookingInfoParams struct {
	ActionID  string `json:"actionId"`
	SNUnionID string `json:"snUnionId"`
}

// resultAnswer is the node of an answer whose fields are not published
// (createGotoappoint, queryBookinginfo): its result fields.
type resultAnswer struct{ wireResult }

// Complete reports a node without a result field.
func (a *resultAnswer) Complete() error { return a.complete() }
