package suning

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// opAppointQuery is suning.custom.appoint.query, a read.
var opAppointQuery = &transport.Op{Name: MethodAppointQuery, Class: transport.Safe}

var (
	_ = registry.Add(transport.Describe(Vendor, opAppointQuery, (*Client).Query, "an activity by its actionId, one of its goods and its merchant"))
	_ = knownNodes.add(opAppointQuery, NodeQueryAppoint)
)

// QueryRequest selects an activity for Query (suning.custom.appoint.query,
// node queryAppoint). The three fields are the request fields of the vendor's
// page for this method, which is not among the pages this package was built
// from; they are all required there. [likely]
type QueryRequest struct {
	// ActionID (actionId, 活动编码) is the activity's id. Required.
	ActionID string
	// PartNumber (partNumber, 商品编码) is a goods of the activity. Required.
	PartNumber string
	// VendorID (vendorId, 商家编码) is the merchant's code (VendorCode when
	// the activity was created). Required.
	VendorID string
}

// QueryResult is an activity as Query returns it. The typed fields are the
// ones the vendor's page for the method is known to list [likely]; Node keeps
// the whole queryAppoint node for the others (goods, other times).
type QueryResult struct {
	// ResultCode (resultCode) and ResultMessage (resultMsg) as the vendor sent them.
	ResultCode, ResultMessage string
	// ActionID (actionId).
	ActionID string
	// ActionType (actionType).
	ActionType ActionType
	// Terminal (adapteTerminal).
	Terminal Terminal
	// OtherTerminalSale (otherTerminalSale).
	OtherTerminalSale OtherTerminalSale
	// ActionName (actionName).
	ActionName string
	// ActionStart, ActionEnd, ScheduleStart, ScheduleEnd, PurchaseStart and
	// PurchaseEnd are the activity's times in Beijing time; zero when absent.
	ActionStart, ActionEnd, ScheduleStart, ScheduleEnd, PurchaseStart, PurchaseEnd time.Time
	// Node is the queryAppoint node as received (a slice of Meta.Raw).
	Node json.RawMessage
	// Meta describes the HTTP exchange.
	Meta couponkit.Meta `json:"-"`
}

// Query reads an activity. It is a read and is retried on network failures,
// 5xx, throttling and server faults.
//
// Success is judged as follows [open]: a resultFlag, when present, decides
// ("true" is success); otherwise a resultCode, when present, must be "0" as
// for suning.custom.appoint.create. A node with neither, or a success
// without the activity asked for (actionId missing or another's), is not a
// definite answer, and the query is retried. A lookup that finds nothing
// comes back as the vendor's biz.handler.data-get:no-result error
// (CodeNoResult).
func (c *Client) Query(ctx context.Context, req *QueryRequest) (*QueryResult, error) {
	if err := req.validate(c.limits); err != nil {
		return nil, err
	}
	a := queryAnswer{asked: req.ActionID}
	meta, err := transport.Send(ctx, &c.typed, c.opQuery, "", (*queryParams)(req), &a)
	if err != nil {
		return nil, err
	}
	return &QueryResult{
		ResultCode: a.code(), ResultMessage: string(a.ResultMessage), ActionID: string(a.ActionID),
		ActionType: ActionType(a.ActionType), Terminal: Terminal(a.Terminal), OtherTerminalSale: OtherTerminalSale(a.OtherTerminalSale),
		ActionName: string(a.ActionName), ActionStart: time.Time(a.ActionStart), ActionEnd: time.Time(a.ActionEnd),
		ScheduleStart: time.Time(a.ScheduleStart), ScheduleEnd: time.Time(a.ScheduleEnd),
		PurchaseStart: time.Time(a.PurchaseStart), PurchaseEnd: time.Time(a.PurchaseEnd),
		Node: c.resultNode(meta, NodeQueryAppoint), Meta: meta,
	}, nil
}

func (r *QueryRequest) validate(limits map[string]int) error {
	if r == nil {
		return couponkit.Invalid("QueryRequest", "is nil")
	}
	k := &checker{limits: limits}
	k.text("ActionID", "actionId", r.ActionID, true)
	k.text("PartNumber", "partNumber", r.PartNumber, true)
	k.text("VendorID", "vendorId", r.VendorID, true)
	return k.err
}

// queryParams is the queryAppoint node: QueryRequest's fields with their
// wire names.
type queryParams struct {
	ActionID   string `json:"actionId"`
	PartNumber string `json:"partNumber"`
	VendorID   string `json:"vendorId"`
}

// queryAnswer is the queryAppoint node of an answer, and the activity
// asked for, which it keeps across attempts (a transport.Resetter).
type queryAnswer struct {
	wireQuery
	asked string
}

// wireQuery is the queryAppoint node's fields that QueryResult types.
type wireQuery struct {
	wireResult
	ActionID          wiretype.Text `json:"actionId"`
	ActionType        wiretype.Text `json:"actionType"`
	Terminal          wiretype.Text `json:"adapteTerminal"`
	OtherTerminalSale wiretype.Text `json:"otherTerminalSale"`
	ActionName        wiretype.Text `json:"actionName"`
	ActionStart       wiretype.Time `json:"actionStartTime"`
	ActionEnd         wiretype.Time `json:"actionEndTime"`
	ScheduleStart     wiretype.Time `json:"scheduleStartTime"`
	ScheduleEnd       wiretype.Time `json:"scheduleEndTime"`
	PurchaseStart     wiretype.Time `json:"purchaseStartTime"`
	PurchaseEnd       wiretype.Time `json:"purchaseEndTime"`
}

// Reset clears what an attempt decoded and keeps the activity asked for.
func (a *queryAnswer) Reset() { a.wireQuery = wireQuery{} }

// Complete reports a success without what the query is for: a result
// field, and the activity asked for (not another's).
func (a *queryAnswer) Complete() error {
	if err := a.complete(); err != nil {
		return err
	}
	if string(a.ActionID) != a.asked {
		return fmt.Errorf("%s answers for activity %q, not %q", NodeQueryAppoint, string(a.ActionID), a.asked)
	}
	return nil
}
