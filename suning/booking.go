package suning

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/jsonx"
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
	// Node is the createGotoappoint node as received.
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
	// Node is the queryBookinginfo node as received.
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
	if req == nil {
		return nil, couponkit.Invalid("req", "required")
	}
	k := &checker{limits: c.limits, family: strings.ToLower(NodeCreateGotoappoint)}
	k.text("ActionID", "actionId", req.ActionID, true)
	k.text("CustNo", "custNo", req.CustNo, true)
	k.text("PartNumber", "partNumber", req.PartNumber, true)
	k.text("PurchaseType", "purchaseType", req.PurchaseType, true)
	k.text("StoreCode", "storeCode", req.StoreCode, false)
	k.text("TelNo", "telNo", req.TelNo, true)
	k.text("TerminalFlag", "terminalFlag", req.TerminalFlag, true)
	k.text("VendorCode", "vendorCode", req.VendorCode, true)
	if k.err != nil {
		return nil, k.err
	}
	body := make([]byte, 0, 192+len(req.ActionID)+len(req.CustNo)+len(req.PartNumber)+len(req.PurchaseType)+
		len(req.StoreCode)+len(req.TelNo)+len(req.TerminalFlag)+len(req.VendorCode))
	body = append(body, `{"sn_request":{"sn_body":{"createGotoappoint":{"actionId":`...)
	body = jsonx.AppendString(body, req.ActionID)
	body = member(body, "custNo", req.CustNo)
	body = member(body, "partNumber", req.PartNumber)
	body = member(body, "purchaseType", req.PurchaseType)
	body = optional(body, "storeCode", req.StoreCode)
	body = member(body, "telNo", req.TelNo)
	body = member(body, "terminalFlag", req.TerminalFlag)
	body = member(body, "vendorCode", req.VendorCode)
	body = append(body, `}}}}`...)
	r := &request{method: MethodGotoAppointCreate, node: NodeCreateGotoappoint, body: body}
	res := &GotoAppointResult{}
	var err error
	res.Meta, err = c.ep.Invoke(ctx, c.opGoto, req.CustNo, r, res.decode)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// BookingInfo reads a customer's booking in an activity. It is a read and is
// retried on network failures, 5xx, throttling, server faults and unreadable
// answers, among them a node with neither resultFlag nor resultCode. Success
// is judged as for Query [open]; the booking itself (the node's other
// fields) is not published, so it is kept as Node and not checked.
func (c *Client) BookingInfo(ctx context.Context, req *BookingInfoRequest) (*BookingInfoResult, error) {
	if req == nil {
		return nil, couponkit.Invalid("req", "required")
	}
	k := &checker{limits: c.limits, family: strings.ToLower(NodeQueryBookinginfo)}
	k.text("ActionID", "actionId", req.ActionID, true)
	k.text("SNUnionID", "snUnionId", req.SNUnionID, true)
	if k.err != nil {
		return nil, k.err
	}
	body := make([]byte, 0, 96+len(req.ActionID)+len(req.SNUnionID))
	body = append(body, `{"sn_request":{"sn_body":{"queryBookinginfo":{"actionId":`...)
	body = jsonx.AppendString(body, req.ActionID)
	body = member(body, "snUnionId", req.SNUnionID)
	body = append(body, `}}}}`...)
	r := &request{method: MethodBookingInfoQuery, node: NodeQueryBookinginfo, body: body}
	res := &BookingInfoResult{}
	var err error
	res.Meta, err = c.ep.Invoke(ctx, c.opBooking, "", r, res.decode)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// decode fills res from a createGotoappoint node, or returns its failure.
// node is a copy the result keeps as Node.
func (res *GotoAppointResult) decode(node []byte) (err error) {
	res.ResultCode, res.ResultMessage, err = judge(node)
	res.Node = node
	return err
}

// decode fills res from a queryBookinginfo node, or returns its failure.
// node is a copy the result keeps as Node.
func (res *BookingInfoResult) decode(node []byte) (err error) {
	res.ResultCode, res.ResultMessage, err = judge(node)
	res.Node = node
	return err
}

// resultNode holds the result fields of a node whose answer is not
// published.
type resultNode struct {
	ResultFlag    *flex `json:"resultFlag"`
	ResultCode    *flex `json:"resultCode"`
	ResultMessage flex  `json:"resultMsg"`
}

// errNoResultField is the cause of a typed call's node that carries neither
// resultFlag nor resultCode: a success with nothing in it.
var errNoResultField = errors.New("the node has neither resultFlag nor resultCode")

// judge reads a node's result fields and returns its failure, if any, by
// the rule Query uses [open]: a resultFlag, when present, decides ("true" is
// success); otherwise a resultCode, when present, must be "0". A node with
// neither, or that is not an object, is not a definite answer: the answers
// of these methods are not published, so a result field is the least a
// success must carry.
func judge(node []byte) (code, msg string, err error) {
	var n resultNode
	if err := json.Unmarshal(node, &n); err != nil {
		return "", "", transport.DecodeError(err, node)
	}
	if n.ResultFlag == nil && n.ResultCode == nil {
		return "", "", transport.DecodeError(errNoResultField, node)
	}
	return verdict(n.ResultFlag, n.ResultCode, n.ResultMessage)
}

// verdict applies the success rule of judge to the fields read.
func verdict(flag, rc *flex, msg flex) (code, message string, err error) {
	if rc != nil {
		code = string(*rc)
	}
	ok := true
	switch {
	case flag != nil:
		ok = strings.EqualFold(string(*flag), "true")
	case rc != nil:
		ok = code == ResultSuccess
	}
	if !ok {
		if code == "" {
			code = ResultFailure
		}
		return "", "", resultError(code, string(msg))
	}
	return code, string(msg), nil
}
