package suningtest

import (
	"encoding/json"
	"sort"

	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/suning"
)

// Booking is a customer's enrolment in an activity, as the fake keeps it
// after suning.custom.gotoappoint.create. It is also the shape of each entry
// of bookingList in the fake's queryBookinginfo answer: the vendor publishes
// no answer fields, so the shape and its json names are the fake's own
// (an assumption, not the vendor's contract). Every field but BookTime is
// the request's field of the same json name, as sent. The fake keeps one
// booking per ActionID, CustNo and PartNumber (a repeated booking replaces
// it); the vendor documents no idempotency key for this method.
type Booking struct {
	// ActionID (actionId) is the activity's id, as the fake assigned it.
	ActionID string `json:"actionId"`
	// CustNo (custNo) is the customer's Suning member number; the fake also
	// takes it to be the snUnionId of bookinginfo.query (an assumption).
	CustNo string `json:"custNo"`
	// PartNumber (partNumber) is the goods booked, one of the activity's.
	PartNumber string `json:"partNumber"`
	// PurchaseType (purchaseType) is kept as sent; its values are not
	// published, so the fake checks only that it is present.
	PurchaseType string `json:"purchaseType"`
	// StoreCode (storeCode) is the store the booking is for; empty, and left
	// out of the JSON, when the request had none.
	StoreCode string `json:"storeCode,omitempty"`
	// TelNo (telNo) is the customer's phone number, as sent.
	TelNo string `json:"telNo"`
	// TerminalFlag (terminalFlag) is kept as sent; its values are not
	// published, so the fake checks only that it is present.
	TerminalFlag string `json:"terminalFlag"`
	// VendorCode (vendorCode) is the merchant's code; it must be the
	// activity's.
	VendorCode string `json:"vendorCode"`
	// BookTime is when the fake took the booking, Beijing time (UTC+8) as
	// "yyyy-MM-dd HH:mm:ss", read from the fake's clock.
	BookTime string `json:"bookTime"`
}

// BookingAnswer is the fake's queryBookinginfo node: the result fields the
// package reads, the request's ids, and the customer's bookings in the
// activity. The vendor publishes no answer fields, so this shape is the
// fake's own (an assumption), chosen to satisfy suning.Client.BookingInfo's
// success rule.
type BookingAnswer struct {
	// ResultFlag (resultFlag) is "true" for every answer the fake gives
	// with this node (a refusal is an sn_error, or FailNextBusiness).
	ResultFlag string `json:"resultFlag"`
	// ResultCode (resultCode) is suning.ResultSuccess ("0").
	ResultCode string `json:"resultCode"`
	// ResultMessage (resultMsg) is the vendor-style message, "成功".
	ResultMessage string `json:"resultMsg"`
	// ActionID (actionId) is the request's activity id.
	ActionID string `json:"actionId"`
	// SNUnionID (snUnionId) is the request's customer id, which the fake
	// matches against Booking.CustNo.
	SNUnionID string `json:"snUnionId"`
	// BookingList (bookingList) holds the customer's bookings in the
	// activity, by CustNo then PartNumber; empty (never null) when there are
	// none.
	BookingList []Booking `json:"bookingList"`
}

// bookingRoutes are the routes of this file's methods: a customer's
// booking and its lookup.
func bookingRoutes(Config) []route {
	return []route{
		{API: suning.MethodGotoAppointCreate, Handler: method{suning.NodeCreateGotoappoint, (*Server).gotoAppoint}},
		{API: suning.MethodBookingInfoQuery, Handler: method{suning.NodeQueryBookinginfo, (*Server).bookingInfo}},
	}
}

var _ = areas.Add(bookingRoutes)

type gotoAnswer struct {
	ResultFlag    string `json:"resultFlag"`
	ResultCode    string `json:"resultCode"`
	ResultMessage string `json:"resultMsg"`
	ActionID      string `json:"actionId"`
	CustNo        string `json:"custNo"`
}

// stringNode reads a flat node of string values; anything else is a
// request structure error.
func stringNode(raw json.RawMessage) (map[string]string, *fail) {
	var m map[string]string
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return nil, &fail{suning.CodeRequestParams, "请求报文结构错误"}
	}
	return m, nil
}

// gotoAppoint serves suning.custom.gotoappoint.create: a customer books a
// goods of an active activity of the same merchant. The vendor documents no
// de-duplication and no message id, so every accepted request is applied;
// a customer booking the same goods again keeps one booking (the latest).
func (s *Server) gotoAppoint(raw json.RawMessage) (any, *fail) {
	f, bad := stringNode(raw)
	if bad != nil {
		return nil, bad
	}
	for _, k := range []string{"actionId", "custNo", "partNumber", "purchaseType", "telNo", "terminalFlag", "vendorCode"} {
		if f[k] == "" {
			return nil, &fail{"biz.custom.creategotoappoint.missing-parameter:" + k, "参数必填"}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.acts[f["actionId"]]
	switch {
	case a == nil || a.Fields["vendorCode"] != f["vendorCode"] || !hasPart(a.Goods, f["partNumber"]):
		return nil, &fail{suning.CodeNoResult, "业务数据结果为空"}
	case a.Status == StatusStopped:
		return nil, &fail{suning.CodeDataGetFail, "活动已停用"}
	}
	b := Booking{ActionID: a.ActionID, CustNo: f["custNo"], PartNumber: f["partNumber"], PurchaseType: f["purchaseType"],
		StoreCode: f["storeCode"], TelNo: f["telNo"], TerminalFlag: f["terminalFlag"], VendorCode: f["vendorCode"],
		BookTime: cntime.Format(s.Clock().Now())}
	if s.bookings == nil {
		s.bookings = make(map[bookingKey]Booking)
	}
	s.bookings[bookingKey{b.ActionID, b.CustNo, b.PartNumber}] = b
	s.applied++
	return gotoAnswer{ResultFlag: "true", ResultCode: suning.ResultSuccess, ResultMessage: "成功", ActionID: b.ActionID, CustNo: b.CustNo}, nil
}

// bookingInfo serves suning.custom.bookinginfo.query. The fake takes
// snUnionId to be the customer's custNo (the vendor does not say how they
// relate). An unknown activity answers CodeNoResult; a customer without a
// booking gets an empty bookingList.
func (s *Server) bookingInfo(raw json.RawMessage) (any, *fail) {
	f, bad := stringNode(raw)
	if bad != nil {
		return nil, bad
	}
	for _, k := range []string{"actionId", "snUnionId"} {
		if f[k] == "" {
			return nil, &fail{"biz.custom.querybookinginfo.missing-parameter:" + k, "参数必填"}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.acts[f["actionId"]] == nil {
		return nil, &fail{suning.CodeNoResult, "业务数据结果为空"}
	}
	ans := BookingAnswer{ResultFlag: "true", ResultCode: suning.ResultSuccess, ResultMessage: "成功",
		ActionID: f["actionId"], SNUnionID: f["snUnionId"], BookingList: []Booking{}}
	for k, b := range s.bookings {
		if k.actionID == f["actionId"] && k.custNo == f["snUnionId"] {
			ans.BookingList = append(ans.BookingList, b)
		}
	}
	sortBookings(ans.BookingList)
	return ans, nil
}

type bookingKey struct{ actionID, custNo, partNumber string }

func sortBookings(bs []Booking) {
	sort.Slice(bs, func(i, j int) bool {
		if bs[i].CustNo != bs[j].CustNo {
			return bs[i].CustNo < bs[j].CustNo
		}
		return bs[i].PartNumber < bs[j].PartNumber
	})
}

// Bookings returns the bookings of the activity actionID, by customer and
// goods.
func (s *Server) Bookings(actionID string) []Booking {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Booking
	for k, b := range s.bookings {
		if k.actionID == actionID {
			out = append(out, b)
		}
	}
	sortBookings(out)
	return out
}
