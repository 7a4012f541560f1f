package suning_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/calltest"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/testclock"
	"github.com/couponkit/couponkit/suning"
	"github.com/couponkit/couponkit/suning/suningtest"
)

// fixture is a fake and a client of it, on one clock.
type fixture struct {
	srv *suningtest.Server
	c   *suning.Client
}

// nodes are the business nodes of the methods of the typed calls the table
// covers, as each call's file declares them. The token calls post a form to
// the OAuth endpoint, outside this envelope: they have no node, and keep
// their own tests (oauth_test.go).
var nodes = suning.KnownNodes()

// vendor is what the call kit needs of suning: a client of a canned
// gateway, a request's business node (the body must be the envelope of the
// node of the method its AppMethod header names), a success as the node of
// the call's method, and the fake (which answers in one spelling, strings).
var vendor = calltest.Vendor[*fixture]{
	Name: suning.Vendor, APIs: suning.APIs(),
	Client: func(t *testing.T, rt http.RoundTripper, attempts int) any {
		c, err := suning.NewClient(goldenConfig(t), couponkit.WithTransport(rt), couponkit.WithClock(testclock.New(goldenTime)),
			couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: attempts}))
		require.NoError(t, err)
		return c
	},
	Params: func(t *testing.T, r *http.Request, body []byte) string {
		method := r.Header.Get(suning.HeaderAppMethod)
		node, ok := nodes[method]
		pre, post := `{"sn_request":{"sn_body":{"`+node+`":`, `}}}`
		if !assert.True(t, ok && bytes.HasPrefix(body, []byte(pre)) && bytes.HasSuffix(body, []byte(post)) && len(body) >= len(pre)+len(post),
			"the body is the envelope of the node of %q: %s", method, body) {
			return ""
		}
		return string(body[len(pre) : len(body)-len(post)])
	},
	Success: func(api couponkit.API, data string) string {
		if data == calltest.Absent {
			return `{"sn_responseContent":{"sn_body":{}}}`
		}
		return `{"sn_responseContent":{"sn_body":{"` + nodes[api.Operation] + `":` + data + `}}}`
	},
	Fakes: func(t *testing.T) []*fixture {
		clk := testclock.New(goldenTime)
		clk.Step = time.Second
		srv := suningtest.Start(t, suningtest.Config{InMemory: true, Clock: clk})
		c, err := suning.NewClient(srv.ClientConfig(), srv.ClientOption(), couponkit.WithClock(clk))
		require.NoError(t, err)
		t.Cleanup(func() { _ = c.Close() })
		return []*fixture{{srv, c}}
	},
	FakeClient: func(f *fixture) any { return f.c },
}

// calls is the call table's rows that need no t: a call's test file adds
// its rows with var _ = calls.Add(…). TestCalls runs them after callsOf's.
var calls calltest.Table[*fixture]

// TestCalls runs the call kit over every call of the table (callsOf's rows,
// then those added to calls): the node on the wire, the answers in each
// spelling, the one rule with its attempts counted, requests refused before
// sending, and the fake.
func TestCalls(t *testing.T) {
	t.Parallel()
	calltest.Run(t, vendor, append(callsOf(t), calls.Rows()...))
}

// The fake's first activity: its clock starts at goldenTime, 2024-06-01 in
// Beijing, and ids are the date and a sequence.
const fakeAction = "2024060100001"

// The golden modify's key (testdata/modify_request.json), answers of the
// appointment methods, and the customer calls' node and answers.
const (
	goldenKey = "SU191028101810140135"
	appoint0  = `{"resultCode":"0","resultMsg":"成功","enrollInfoCode":"SU191028101810140135","actionId":"2019102800001"}`
	create0   = `{"resultCode":"0","resultMsg":"成功","enrollInfoCode":"1314520"`
	queryData = `{"resultFlag":"true","resultCode":"0","resultMsg":"成功",` +
		`"actionId":"2019102800001","actionType":"0","adapteTerminal":"3","otherTerminalSale":"1","actionName":"预约",` +
		`"actionStartTime":"2024-06-01 00:00:00","actionEndTime":"2024-06-20 23:59:59","scheduleStartTime":"2024-06-01 10:00:00",` +
		`"scheduleEndTime":"2024-06-17 20:00:00","purchaseStartTime":"2024-06-18 00:00:00","purchaseEndTime":"2024-06-18 23:59:59","goodsCount":"2"}`
	okData      = `{"resultFlag":"true","resultCode":"0","resultMsg":"成功"}`
	bookingData = `{"resultFlag":"true","resultCode":"0","resultMsg":"成功","bookingList":[]}`
	gotoWire    = `{"actionId":"2019102800001","custNo":"7012345678","partNumber":"000000000123456789","purchaseType":"1",` +
		`"storeCode":"7611","telNo":"13900139000","terminalFlag":"2","vendorCode":"0010012345"}`
)

// bjt is a Beijing wall-clock time, as the answers' times decode.
func bjt(year int, month time.Month, day, hour, min, sec int) time.Time {
	return time.Date(year, month, day, hour, min, sec, 0, cntime.Location())
}

// goldenNode is the createAppoint node of testdata/modify_request.json, as
// sent (compact, key order as written).
func goldenNode(t *testing.T) string {
	body := string(compactTestdata(t, "modify_request.json"))
	pre, post := `{"sn_request":{"sn_body":{"createAppoint":`, `}}}`
	require.True(t, strings.HasPrefix(body, pre) && strings.HasSuffix(body, post), body)
	return body[len(pre) : len(body)-len(post)]
}

// withKey is req with its enrollInfoCode set.
func withKey(req *suning.AppointRequest, key string) *suning.AppointRequest {
	req.EnrollInfoCode = key
	return req
}

// appointResult is the answer to a create, modify or stop whose node is
// appoint0, sent with key.
func appointResult(key string) suning.AppointResult {
	return suning.AppointResult{ResultCode: "0", ResultMessage: "成功", EnrollInfoCode: goldenKey, ActionID: "2019102800001", SentEnrollInfoCode: key}
}

// fakeCreated creates the golden activity on the fake (fakeAction) and
// returns it, for Modify, Stop and the reads.
func fakeCreated(t *testing.T, f *fixture) *suning.AppointRequest {
	t.Helper()
	req := created(t, f.c)
	require.Equal(t, fakeAction, req.ActionID)
	return req
}

// fakeNode is the node the fake answers method with for params (by their
// wire names), read with the generic Call (a read: nothing changes).
func fakeNode(t *testing.T, f *fixture, method string, params map[string]string) json.RawMessage {
	t.Helper()
	var node json.RawMessage
	_, err := f.c.Call(context.Background(), method, params, &node, couponkit.Read())
	require.NoError(t, err)
	return node
}

// callsOf is the rows that need t: one row per call (or per request shape
// of one).
func callsOf(t *testing.T) []calltest.Call[*fixture] {
	golden := goldenNode(t)
	createWire := replaceOnce(t, replaceOnce(t, golden, `"actionId":"2019102800001",`, ""), `"operateType":"02"`, `"operateType":"01"`)
	stopWire := replaceOnce(t, golden, `"operateType":"02"`, `"operateType":"03"`)
	// goodsList and goodsSubList are the node's last members.
	bare := stopWire[:strings.Index(stopWire, `,"goodsList":`)] + "}"
	stopBare := goldenRequest(t)
	stopBare.Goods, stopBare.SubGoods = nil, nil

	// appointMissing are createAppoint nodes that are no answer to any of the
	// three operations: no resultCode, or not a node.
	appointMissing := []string{calltest.Absent, `null`, `""`, `[]`, `{}`, `{"resultMsg":"成功","actionId":"2019102800001"}`}
	// resultMissing are nodes of the methods whose answers are not
	// published, without a result field.
	resultMissing := []string{calltest.Absent, `null`, `""`, `[]`, `{}`}
	numericQuery := `{"resultFlag":true,"resultCode":0,"resultMsg":"成功","actionId":2019102800001,"actionType":0,"adapteTerminal":3,` +
		`"otherTerminalSale":1,"actionName":"预约","actionStartTime":"2024-06-01 00:00:00"}`
	queryWant := suning.QueryResult{ResultCode: "0", ResultMessage: "成功", ActionID: "2019102800001", ActionType: suning.ActionTypeNormal,
		Terminal: suning.TerminalPCAndMobile, OtherTerminalSale: suning.OtherTerminalSaleYes, ActionName: "预约",
		ActionStart: bjt(2024, 6, 1, 0, 0, 0), ActionEnd: bjt(2024, 6, 20, 23, 59, 59), ScheduleStart: bjt(2024, 6, 1, 10, 0, 0),
		ScheduleEnd: bjt(2024, 6, 17, 20, 0, 0), PurchaseStart: bjt(2024, 6, 18, 0, 0, 0), PurchaseEnd: bjt(2024, 6, 18, 23, 59, 59),
		Node: json.RawMessage(queryData)}
	gotoReq := func() *suning.GotoAppointRequest {
		return &suning.GotoAppointRequest{ActionID: "2019102800001", CustNo: "7012345678", PartNumber: "000000000123456789",
			PurchaseType: "1", StoreCode: "7611", TelNo: "13900139000", TerminalFlag: "2", VendorCode: "0010012345"}
	}
	gotoWithout := func(mutate func(r *suning.GotoAppointRequest)) *suning.GotoAppointRequest {
		r := gotoReq()
		mutate(r)
		return r
	}
	const gotoReason = "biz.custom.creategotoappoint."

	return []calltest.Call[*fixture]{
		// suning.custom.appoint.create, operateType 01: the golden activity
		// without its id; a keyed write on enrollInfoCode that exists for
		// the activity's new id.
		{Method: "Create", Key: goldenKey, Request: withKey(createRequest(t), goldenKey), Wire: createWire,
			Answers: []calltest.Answer{
				{Data: appoint0, Want: appointResult(goldenKey)},
				{Data: `{"resultCode":0,"resultMsg":"成功","enrollInfoCode":"SU191028101810140135","actionId":2019102800001}`, Want: appointResult(goldenKey)},
			},
			Missing: append(appointMissing, create0+`}`, create0+`,"actionId":""}`, create0+`,"actionId":null}`),
			Invalid: []calltest.Invalid{{Field: "ActionID", Request: goldenRequest(t), Reason: "must be empty for Create"},
				{Field: "Goods", Request: withKey(func() *suning.AppointRequest { r := createRequest(t); r.Goods = nil; return r }(), goldenKey), Reason: missing + "goodsList"}},
			// The fake assigns the activity its id and keeps it active.
			Fake: func(t *testing.T, f *fixture) (any, any) {
				return withKey(createRequest(t), "SU-FAKE-CREATE"), suning.AppointResult{ResultCode: "0", ResultMessage: "成功",
					EnrollInfoCode: "SU-FAKE-CREATE", ActionID: fakeAction, SentEnrollInfoCode: "SU-FAKE-CREATE"}
			},
			After: func(t *testing.T, f *fixture) {
				a, ok := f.srv.Activity(fakeAction)
				require.True(t, ok)
				assert.Equal(t, suningtest.StatusActive, a.Status)
				assert.Equal(t, "618 手机&平板<预约>", a.Fields["actionName"])
				assert.Len(t, a.Goods, 2)
			}},
		// operateType 02: the golden body; an answer naming another
		// activity is not this call's.
		{Method: "Modify", Key: goldenKey, Request: goldenRequest(t), Wire: golden,
			Answers: []calltest.Answer{
				{Data: appoint0, Want: appointResult(goldenKey)},
				{Data: `{"resultCode":"0","resultMsg":"成功","enrollInfoCode":"SU191028101810140135"}`,
					Want: suning.AppointResult{ResultCode: "0", ResultMessage: "成功", EnrollInfoCode: goldenKey, SentEnrollInfoCode: goldenKey}},
			},
			Missing: append(appointMissing, create0+`,"actionId":"201911260077"}`),
			Invalid: []calltest.Invalid{{Field: "ActionID", Request: withKey(createRequest(t), goldenKey), Reason: missing + "actionId"}},
			Fake: func(t *testing.T, f *fixture) (any, any) {
				req := withKey(fakeCreated(t, f), "SU-FAKE-MODIFY")
				req.ActionName = "618 预约(改)"
				return req, suning.AppointResult{ResultCode: "0", ResultMessage: "成功", EnrollInfoCode: "SU-FAKE-MODIFY", ActionID: fakeAction,
					SentEnrollInfoCode: "SU-FAKE-MODIFY"}
			},
			After: func(t *testing.T, f *fixture) {
				a, _ := f.srv.Activity(fakeAction)
				assert.Equal(t, "618 预约(改)", a.Fields["actionName"])
				assert.Equal(t, 1, a.Modifications)
			},
			FakeRefuses: withKey(goldenRequest(t), "SU-FAKE-UNKNOWN"), FakeCode: suning.CodeNoResult},
		// operateType 03: the activity as last sent.
		{Method: "Stop", Key: goldenKey, Request: goldenRequest(t), Wire: stopWire,
			Answers: []calltest.Answer{{Data: appoint0, Want: appointResult(goldenKey)}},
			Missing: append(appointMissing, create0+`,"actionId":"201911260077"}`),
			Invalid: []calltest.Invalid{{Field: "ActionID", Request: withKey(createRequest(t), goldenKey), Reason: missing + "actionId"}},
			Fake: func(t *testing.T, f *fixture) (any, any) {
				req := withKey(fakeCreated(t, f), "SU-FAKE-STOP")
				return req, suning.AppointResult{ResultCode: "0", ResultMessage: "成功", EnrollInfoCode: "SU-FAKE-STOP", ActionID: fakeAction,
					SentEnrollInfoCode: "SU-FAKE-STOP"}
			},
			After: func(t *testing.T, f *fixture) {
				a, _ := f.srv.Activity(fakeAction)
				assert.Equal(t, suningtest.StatusStopped, a.Status)
			},
			FakeRefuses: withKey(goldenRequest(t), "SU-FAKE-UNKNOWN"), FakeCode: suning.CodeNoResult},
		// A stop may leave the goods out: they are then not sent.
		{Method: "Stop", Name: "without goods", Request: stopBare, Wire: bare,
			Answers: []calltest.Answer{{Data: appoint0, Want: appointResult(goldenKey)}}},
		// suning.custom.appoint.query, a read: the activity asked for, its
		// fields as strings or numbers, the rest kept in Node.
		{Method: "Query", Request: &suning.QueryRequest{ActionID: "2019102800001", PartNumber: "000000000123456789", VendorID: "0010012345"},
			Wire: `{"actionId":"2019102800001","partNumber":"000000000123456789","vendorId":"0010012345"}`,
			Answers: []calltest.Answer{
				{Data: queryData, Want: queryWant},
				{Data: numericQuery, Want: suning.QueryResult{ResultCode: "0", ResultMessage: "成功", ActionID: "2019102800001",
					ActionType: suning.ActionTypeNormal, Terminal: suning.TerminalPCAndMobile, OtherTerminalSale: suning.OtherTerminalSaleYes,
					ActionName: "预约", ActionStart: bjt(2024, 6, 1, 0, 0, 0), Node: json.RawMessage(numericQuery)}},
			},
			Missing: append(resultMissing, `{"actionId":"2019102800001"}`, okData, `{"resultFlag":"true","resultCode":"0","resultMsg":"成功","actionId":"201911260077"}`),
			Invalid: []calltest.Invalid{
				{Field: "ActionID", Request: &suning.QueryRequest{PartNumber: "000000000123456789", VendorID: "0010012345"}, Reason: missing + "actionId"},
				{Field: "PartNumber", Request: &suning.QueryRequest{ActionID: "2019102800001", VendorID: "0010012345"}, Reason: missing + "partNumber"},
				{Field: "VendorID", Request: &suning.QueryRequest{ActionID: "2019102800001", PartNumber: "000000000123456789"}, Reason: missing + "vendorId"},
				{Field: "PartNumber", Request: &suning.QueryRequest{ActionID: "2019102800001", PartNumber: strings.Repeat("0", 19), VendorID: "0010012345"},
					Reason: overlong + "partNumber"},
			},
			// The fake answers with the activity as created, by any of its goods.
			Fake: func(t *testing.T, f *fixture) (any, any) {
				req := fakeCreated(t, f)
				q := &suning.QueryRequest{ActionID: fakeAction, PartNumber: req.Goods[1].PartNumber, VendorID: req.VendorCode}
				return q, suning.QueryResult{ResultCode: "0", ResultMessage: "成功", ActionID: fakeAction, ActionType: suning.ActionTypeNormal,
					Terminal: suning.TerminalPCAndMobile, OtherTerminalSale: suning.OtherTerminalSaleNo, ActionName: "618 手机&平板<预约>",
					ActionStart: bjt(2024, 6, 1, 0, 0, 0), ActionEnd: bjt(2024, 6, 20, 23, 59, 59), ScheduleStart: bjt(2024, 6, 1, 10, 0, 0),
					ScheduleEnd: bjt(2024, 6, 17, 20, 0, 0), PurchaseStart: bjt(2024, 6, 18, 0, 0, 0), PurchaseEnd: bjt(2024, 6, 18, 23, 59, 59),
					Node: fakeNode(t, f, suning.MethodAppointQuery, map[string]string{"actionId": q.ActionID, "partNumber": q.PartNumber, "vendorId": q.VendorID})}
			},
			FakeRefuses: &suning.QueryRequest{ActionID: "2000010199999", PartNumber: "000000000123456789", VendorID: "0010012345"},
			FakeCode:    suning.CodeNoResult},
		// suning.custom.gotoappoint.create, an unsafe write reporting the
		// customer: the fields of Suning's SDK request class, every value a
		// string. Its answer is not published: a result field, read where
		// the node has it (as text), and the node.
		{Method: "GotoAppoint", Key: "7012345678", Request: gotoReq(), Wire: gotoWire,
			Answers: []calltest.Answer{
				{Data: okData, Want: suning.GotoAppointResult{ResultCode: "0", ResultMessage: "成功", Node: json.RawMessage(okData)}},
				{Data: `{"resultCode":0,"resultMsg":"ok"}`, Want: suning.GotoAppointResult{ResultCode: "0", ResultMessage: "ok", Node: json.RawMessage(`{"resultCode":0,"resultMsg":"ok"}`)}},
				{Data: `{"resultFlag":true}`, Want: suning.GotoAppointResult{Node: json.RawMessage(`{"resultFlag":true}`)}},
			},
			Missing: append(resultMissing, `{"actionId":"2019102800001","custNo":"7012345678"}`),
			Invalid: []calltest.Invalid{
				{Field: "ActionID", Request: gotoWithout(func(r *suning.GotoAppointRequest) { r.ActionID = "" }), Reason: gotoReason},
				{Field: "CustNo", Request: gotoWithout(func(r *suning.GotoAppointRequest) { r.CustNo = "" }), Reason: gotoReason},
				{Field: "PartNumber", Request: gotoWithout(func(r *suning.GotoAppointRequest) { r.PartNumber = "" }), Reason: gotoReason},
				{Field: "PurchaseType", Request: gotoWithout(func(r *suning.GotoAppointRequest) { r.PurchaseType = "" }), Reason: gotoReason},
				{Field: "TelNo", Request: gotoWithout(func(r *suning.GotoAppointRequest) { r.TelNo = "" }), Reason: gotoReason},
				{Field: "TerminalFlag", Request: gotoWithout(func(r *suning.GotoAppointRequest) { r.TerminalFlag = "" }), Reason: gotoReason},
				{Field: "VendorCode", Request: gotoWithout(func(r *suning.GotoAppointRequest) { r.VendorCode = "" }), Reason: gotoReason},
				{Field: "StoreCode", Request: gotoWithout(func(r *suning.GotoAppointRequest) {
					r.StoreCode = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三"
				}), Reason: gotoReason},
			},
			// The fake books the customer's goods of an active activity.
			Fake: func(t *testing.T, f *fixture) (any, any) {
				return gotoRequest(fakeCreated(t, f)), suning.GotoAppointResult{ResultCode: "0", ResultMessage: "成功",
					Node: json.RawMessage(`{"resultFlag":"true","resultCode":"0","resultMsg":"成功","actionId":"` + fakeAction + `","custNo":"7012345678"}`)}
			},
			After: func(t *testing.T, f *fixture) {
				b := f.srv.Bookings(fakeAction)
				require.Len(t, b, 1)
				assert.Equal(t, "7012345678", b[0].CustNo)
				assert.Equal(t, "7611", b[0].StoreCode)
			},
			FakeRefuses: gotoReq(), FakeCode: suning.CodeNoResult},
		{Method: "GotoAppoint", Name: "without storeCode", Key: "7012345678",
			Request: gotoWithout(func(r *suning.GotoAppointRequest) { r.StoreCode = "" }), Wire: replaceOnce(t, gotoWire, `"storeCode":"7611",`, ""),
			Answers: []calltest.Answer{{Data: okData, Want: suning.GotoAppointResult{ResultCode: "0", ResultMessage: "成功", Node: json.RawMessage(okData)}}}},
		// suning.custom.bookinginfo.query, a read: actionId and snUnionId;
		// its answer is not published either.
		{Method: "BookingInfo", Request: &suning.BookingInfoRequest{ActionID: "2019102800001", SNUnionID: "7012345678"},
			Wire: `{"actionId":"2019102800001","snUnionId":"7012345678"}`,
			Answers: []calltest.Answer{
				{Data: bookingData, Want: suning.BookingInfoResult{ResultCode: "0", ResultMessage: "成功", Node: json.RawMessage(bookingData)}},
				{Data: `{"resultCode":0,"resultMsg":"ok"}`, Want: suning.BookingInfoResult{ResultCode: "0", ResultMessage: "ok", Node: json.RawMessage(`{"resultCode":0,"resultMsg":"ok"}`)}},
				{Data: `{"resultFlag":true}`, Want: suning.BookingInfoResult{Node: json.RawMessage(`{"resultFlag":true}`)}},
			},
			Missing: append(resultMissing, `{"actionId":"2019102800001","snUnionId":"7012345678","bookingList":[]}`),
			Invalid: []calltest.Invalid{{Field: "ActionID", Request: &suning.BookingInfoRequest{SNUnionID: "7012345678"}},
				{Field: "SNUnionID", Request: &suning.BookingInfoRequest{ActionID: "2019102800001"}}},
			// The fake answers with the customer's bookings.
			Fake: func(t *testing.T, f *fixture) (any, any) {
				g := gotoRequest(fakeCreated(t, f))
				_, err := f.c.GotoAppoint(context.Background(), g)
				require.NoError(t, err)
				q := &suning.BookingInfoRequest{ActionID: fakeAction, SNUnionID: g.CustNo}
				node := fakeNode(t, f, suning.MethodBookingInfoQuery, map[string]string{"actionId": q.ActionID, "snUnionId": q.SNUnionID})
				require.Contains(t, string(node), `"custNo":"7012345678"`)
				return q, suning.BookingInfoResult{ResultCode: "0", ResultMessage: "成功", Node: node}
			},
			FakeRefuses: &suning.BookingInfoRequest{ActionID: "2099010100001", SNUnionID: "7012345678"}, FakeCode: suning.CodeNoResult},
	}
}

// Every call of the registry has a godoc Example (ExampleClient_<Method>).
func TestEveryCallHasAnExample(t *testing.T) {
	missing, err := calltest.MissingExamples(".", suning.APIs())
	require.NoError(t, err)
	assert.Empty(t, missing, "calls of suning.APIs() without an ExampleClient_<Method>")
}
