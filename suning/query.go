package suning

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/transport"
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
	// Node is the queryAppoint node as received.
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
	if req == nil {
		return nil, couponkit.Invalid("req", "required")
	}
	k := &checker{limits: c.limits}
	k.text("ActionID", "actionId", req.ActionID, true)
	k.text("PartNumber", "partNumber", req.PartNumber, true)
	k.text("VendorID", "vendorId", req.VendorID, true)
	if k.err != nil {
		return nil, k.err
	}
	body := make([]byte, 0, 96+len(req.ActionID)+len(req.PartNumber)+len(req.VendorID))
	body = append(body, `{"sn_request":{"sn_body":{"queryAppoint":{"actionId":`...)
	body = jsonx.AppendString(body, req.ActionID)
	body = member(body, "partNumber", req.PartNumber)
	body = member(body, "vendorId", req.VendorID)
	body = append(body, `}}}}`...)
	r := &request{method: MethodAppointQuery, node: NodeQueryAppoint, body: body}
	res := &QueryResult{}
	var err error
	res.Meta, err = c.ep.Invoke(ctx, c.opQuery, "", r, func(node []byte) error { return decodeQueryResult(node, req.ActionID, res) })
	if err != nil {
		return nil, err
	}
	return res, nil
}

type queryNode struct {
	ResultFlag        *flex `json:"resultFlag"`
	ResultCode        *flex `json:"resultCode"`
	ResultMessage     flex  `json:"resultMsg"`
	ActionID          flex  `json:"actionId"`
	ActionType        flex  `json:"actionType"`
	AdapteTerminal    flex  `json:"adapteTerminal"`
	OtherTerminalSale flex  `json:"otherTerminalSale"`
	ActionName        flex  `json:"actionName"`
	ActionStartTime   flex  `json:"actionStartTime"`
	ActionEndTime     flex  `json:"actionEndTime"`
	ScheduleStartTime flex  `json:"scheduleStartTime"`
	ScheduleEndTime   flex  `json:"scheduleEndTime"`
	PurchaseStartTime flex  `json:"purchaseStartTime"`
	PurchaseEndTime   flex  `json:"purchaseEndTime"`
}

// decodeQueryResult fills res from a queryAppoint node answering for the
// activity actionID, or returns the failure it reports. A success must carry
// a result field (resultFlag or resultCode) and the activity asked for: a
// node without them, or naming another activity, is not a definite answer.
// node is a copy the result keeps as Node.
func decodeQueryResult(node []byte, actionID string, res *QueryResult) error {
	var n queryNode
	if err := json.Unmarshal(node, &n); err != nil {
		return transport.DecodeError(err, node)
	}
	if n.ResultFlag == nil && n.ResultCode == nil {
		return transport.DecodeError(errNoResultField, node)
	}
	code, msg, err := verdict(n.ResultFlag, n.ResultCode, n.ResultMessage)
	if err != nil {
		return err
	}
	if string(n.ActionID) != actionID {
		return transport.DecodeError(fmt.Errorf("%s answers for activity %q, not %q", NodeQueryAppoint, string(n.ActionID), actionID), node)
	}
	times := []struct {
		dst  *time.Time
		name string
		v    flex
	}{
		{&res.ActionStart, "actionStartTime", n.ActionStartTime},
		{&res.ActionEnd, "actionEndTime", n.ActionEndTime},
		{&res.ScheduleStart, "scheduleStartTime", n.ScheduleStartTime},
		{&res.ScheduleEnd, "scheduleEndTime", n.ScheduleEndTime},
		{&res.PurchaseStart, "purchaseStartTime", n.PurchaseStartTime},
		{&res.PurchaseEnd, "purchaseEndTime", n.PurchaseEndTime},
	}
	for _, t := range times {
		if t.v == "" {
			continue
		}
		v, err := cntime.Parse(string(t.v))
		if err != nil {
			return transport.DecodeError(errors.New(t.name+" is not yyyy-MM-dd HH:mm:ss"), node)
		}
		*t.dst = v
	}
	res.ResultCode = code
	res.ResultMessage = msg
	res.ActionID = string(n.ActionID)
	res.ActionType = ActionType(n.ActionType)
	res.Terminal = Terminal(n.AdapteTerminal)
	res.OtherTerminalSale = OtherTerminalSale(n.OtherTerminalSale)
	res.ActionName = string(n.ActionName)
	res.Node = node // the envelope's decoder made it: the result's own copy
	return nil
}
