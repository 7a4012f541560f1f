package suningtest

import (
	"encoding/json"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/suning"
)

// appointRoutes are the routes of this file's methods: the activity's
// create, modify and stop, and its query.
func appointRoutes(Config) []route {
	return []route{
		{API: suning.MethodAppointCreate, Handler: method{suning.NodeCreateAppoint, (*Server).createAppoint}},
		{API: suning.MethodAppointQuery, Handler: method{suning.NodeQueryAppoint, (*Server).queryAppoint}},
	}
}

var _ = areas.Add(appointRoutes)

type createAnswer struct {
	ResultCode     string `json:"resultCode"`
	ResultMessage  string `json:"resultMsg"`
	EnrollInfoCode string `json:"enrollInfoCode,omitempty"`
	ActionID       string `json:"actionId,omitempty"`
}

type nodeFailure struct {
	ResultFlag    string `json:"resultFlag"`
	ResultCode    string `json:"resultCode"`
	ResultMessage string `json:"resultMsg"`
}

type queryAnswer struct {
	ResultFlag        string `json:"resultFlag"`
	ResultCode        string `json:"resultCode"`
	ResultMessage     string `json:"resultMsg"`
	ActionID          string `json:"actionId"`
	ActionType        string `json:"actionType"`
	AdapteTerminal    string `json:"adapteTerminal"`
	OtherTerminalSale string `json:"otherTerminalSale"`
	ActionName        string `json:"actionName"`
	ActionStartTime   string `json:"actionStartTime"`
	ActionEndTime     string `json:"actionEndTime"`
	ScheduleStartTime string `json:"scheduleStartTime"`
	ScheduleEndTime   string `json:"scheduleEndTime"`
	PurchaseStartTime string `json:"purchaseStartTime"`
	PurchaseEndTime   string `json:"purchaseEndTime"`
}

// appointNode is a decoded createAppoint node.
type appointNode struct {
	fields          map[string]string
	goods, subGoods []map[string]string
	hasGoods        bool
}

func codeFor(prefix, field string) string { return prefix + ":" + field }

func missing(field string) *fail {
	return &fail{codeFor(suning.CodeMissingParameter, field), "参数必填"}
}
func badFormat(field string) *fail {
	return &fail{codeFor(suning.CodeFormatError, field), "参数格式错误"}
}
func badEnum(field string) *fail {
	return &fail{codeFor(suning.CodeEnumerationError, field), "参数的可选值错误"}
}
func overlong(field string) *fail {
	return &fail{codeFor(suning.CodeLengthOverlong, field), "参数的值超过规定长度"}
}

// decodeNode reads a createAppoint node: every value a string, the two lists
// arrays of objects of strings.
func decodeNode(raw json.RawMessage) (*appointNode, *fail) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, &fail{suning.CodeRequestParams, "请求报文结构错误"}
	}
	n := &appointNode{fields: make(map[string]string, len(m))}
	for k, v := range m {
		switch k {
		case "goodsList", "goodsSubList":
			var list []map[string]json.RawMessage
			if err := json.Unmarshal(v, &list); err != nil {
				return nil, badFormat(k)
			}
			out := make([]map[string]string, len(list))
			for i, e := range list {
				out[i] = make(map[string]string, len(e))
				for ek, ev := range e {
					var s string
					if err := json.Unmarshal(ev, &s); err != nil {
						return nil, badFormat(ek)
					}
					out[i][ek] = s
				}
			}
			if k == "goodsList" {
				n.goods, n.hasGoods = out, true
			} else {
				n.subGoods = out
			}
		default:
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				return nil, badFormat(k)
			}
			n.fields[k] = s
		}
	}
	return n, nil
}

// checkCreate validates a createAppoint node as the vendor's table says.
func checkCreate(n *appointNode) *fail {
	f := n.fields
	required := []string{"enrollInfoCode", "versionNumber", "actionType", "actionName", "operateType",
		"adapteTerminal", "actionStartTime", "scheduleStartTime", "scheduleEndTime", "purchaseStartTime",
		"ticketResaleStartTime", "purchaseEndTime", "actionEndTime", "sendUserMsg", "sendScalperMsg",
		"excludeCitys", "vendorType", "vendorCode", "vendorName", "transitFlag", "noticePhone",
		"otherTerminalSale", "phoneShareImgUrl", "phoneShareTitle", "phoneShareContent", "phoneShareUrl",
		"receiveSys", "partType", "operateUser"}
	for _, k := range required {
		if strings.TrimSpace(f[k]) == "" {
			return missing(k)
		}
	}
	enums := []struct {
		field   string
		allowed string
	}{
		{"actionType", "0"},
		{"operateType", "01 02 03"},
		{"adapteTerminal", "1 2 3"},
		{"sendUserMsg", "0 1"},
		{"sendScalperMsg", "0 1"},
		{"vendorType", "00 10 20 30 50"},
		{"transitFlag", "1 2"},
		{"otherTerminalSale", "0 1"},
		{"partType", "00 01 02 03"},
	}
	for _, e := range enums {
		if !oneOf(f[e.field], e.allowed) {
			return badEnum(e.field)
		}
	}
	for _, k := range []string{"actionStartTime", "scheduleStartTime", "scheduleEndTime", "supervipPurchaseStartTime",
		"purchaseStartTime", "ticketResaleStartTime", "purchaseEndTime", "actionEndTime", "transitDate"} {
		if v, ok := f[k]; ok && v != "" {
			if _, err := cntime.Parse(v); err != nil {
				return badFormat(k)
			}
		}
	}
	if op := suning.OperateType(f["operateType"]); op != suning.OperateCreate && f["actionId"] == "" {
		return missing("actionId")
	}
	if f["operateType"] == string(suning.OperateCreate) && len(n.goods) == 0 {
		return missing("goodsList")
	}
	if bad := overlongField(f); bad != "" {
		return overlong(bad)
	}
	defaults := 0
	for _, g := range n.goods {
		for _, k := range []string{"totalLimit", "personBuyLimit", "partnumber", "partName", "appointPrice",
			"priceLabel", "price", "defaultGoodsFlags", "msgContent", "catengrpCode"} {
			if g[k] == "" {
				return missing(k)
			}
		}
		if !oneOf(g["defaultGoodsFlags"], "0 1") {
			return badEnum("defaultGoodsFlags")
		}
		if g["defaultGoodsFlags"] == "1" {
			defaults++
		}
		for _, k := range []string{"totalLimit", "personBuyLimit"} {
			if !positiveInt(g[k]) {
				return badFormat(k)
			}
		}
		for _, k := range []string{"appointPrice", "price"} {
			if !amount(g[k]) {
				return badFormat(k)
			}
		}
		if bad := overlongField(g); bad != "" {
			return overlong(bad)
		}
	}
	if len(n.goods) > 0 && defaults != 1 {
		return badEnum("defaultGoodsFlags")
	}
	for _, g := range n.subGoods {
		for _, k := range []string{"subPartName", "subPartNumber", "count", "subAppointPrice", "subPrice", "subTextPrice"} {
			if g[k] == "" {
				return missing(k)
			}
		}
		if !positiveInt(g["count"]) {
			return badFormat("count")
		}
		for _, k := range []string{"subAppointPrice", "subPrice"} {
			if !amount(g[k]) {
				return badFormat(k)
			}
		}
		if bad := overlongField(g); bad != "" {
			return overlong(bad)
		}
	}
	return nil
}

// overlongField returns the first field (in name order) longer than
// suning.DefaultMaxLengths allows, or "".
func overlongField(m map[string]string) string {
	limits := suning.DefaultMaxLengths()
	bad := ""
	for k, v := range m {
		if max := limits[k]; max > 0 && utf8.RuneCountInString(v) > max && (bad == "" || k < bad) {
			bad = k
		}
	}
	return bad
}

func oneOf(v, allowed string) bool {
	for _, a := range strings.Fields(allowed) {
		if v == a {
			return true
		}
	}
	return false
}

// positiveInt reads a count as package suning sends it: a positive integer
// in digits, below 10^9.
func positiveInt(s string) bool { return positiveDecimal(s, 9) }

// amount reads a price as package suning sends it: a whole number of yuan
// above 0, in digits without a sign, decimals or leading zeros ("3999"), the
// form of every price in the vendor's sample. The vendor's table types
// prices as strings and says nothing of decimals [open]; the client refuses
// an amount with fen before sending, so the fake answers a price such as
// "3999.00" with a format error rather than accept what the client never
// sends.
func amount(s string) bool { return positiveDecimal(s, 18) }

// positiveDecimal reports whether s is a positive decimal integer of at
// most digits digits, without sign or leading zero.
func positiveDecimal(s string, digits int) bool {
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil && s[0] != '0' && len(s) <= digits
}

// createAppoint serves suning.custom.appoint.create: validation, then the
// write, de-duplicated by enrollInfoCode. The answer is the whole response
// body.
func (s *Server) createAppoint(raw json.RawMessage) (any, *fail) {
	n, f := decodeNode(raw)
	if f == nil {
		f = checkCreate(n)
	}
	if f != nil {
		return nil, f
	}
	write := func() ([]byte, bool) {
		res, f := s.apply(n)
		var v any
		if f != nil {
			v = errorEnvelope(f.code, f.msg)
		} else {
			v = bodyEnvelope(suning.NodeCreateAppoint, res)
		}
		b, err := jsonx.Marshal(v)
		return b, err == nil && f == nil
	}
	// A key replays the answer of the same API only (Request.API); with
	// Config.IgnoreEnrollInfoCode every write is applied anew.
	var answer []byte
	if s.cfg.IgnoreEnrollInfoCode {
		answer, _ = write()
	} else {
		answer, _ = s.replay.DoAPI(suning.MethodAppointCreate, n.fields["enrollInfoCode"], write)
	}
	return json.RawMessage(answer), nil
}

// apply performs a validated create, modify or stop.
func (s *Server) apply(n *appointNode) (createAnswer, *fail) {
	s.mu.Lock()
	defer s.mu.Unlock()
	op := suning.OperateType(n.fields["operateType"])
	var a *Activity
	if op == suning.OperateCreate {
		s.seq++
		id := cntime.FormatDate(s.Clock().Now())
		id = strings.ReplaceAll(id, "-", "") + fmt.Sprintf("%05d", s.seq)
		a = &Activity{ActionID: id, Status: StatusActive}
		s.acts[id] = a
	} else {
		a = s.acts[n.fields["actionId"]]
		switch {
		case a == nil:
			return createAnswer{}, &fail{suning.CodeNoResult, "业务数据结果为空"}
		case a.Status == StatusStopped:
			return createAnswer{}, &fail{suning.CodeDataGetFail, "活动已停用"}
		}
	}
	fields := maps.Clone(n.fields)
	fields["actionId"] = a.ActionID
	a.Fields = fields
	if n.hasGoods {
		a.Goods = cloneMaps(n.goods)
	}
	if n.subGoods != nil {
		a.SubGoods = cloneMaps(n.subGoods)
	}
	switch op {
	case suning.OperateModify:
		a.Modifications++
	case suning.OperateStop:
		a.Status = StatusStopped
	}
	s.applied++
	return createAnswer{ResultCode: suning.ResultSuccess, ResultMessage: "成功", EnrollInfoCode: n.fields["enrollInfoCode"], ActionID: a.ActionID}, nil
}

// queryAppoint serves suning.custom.appoint.query.
func (s *Server) queryAppoint(raw json.RawMessage) (any, *fail) {
	var q map[string]any
	if err := json.Unmarshal(raw, &q); err != nil {
		return nil, &fail{suning.CodeRequestParams, "请求报文结构错误"}
	}
	get := func(k string) string { v, _ := q[k].(string); return v }
	for _, k := range []string{"actionId", "partNumber", "vendorId"} {
		if get(k) == "" {
			return nil, &fail{"biz.custom.queryappoint.missing-parameter:" + k, "参数必填"}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.acts[get("actionId")]
	if a == nil || a.Fields["vendorCode"] != get("vendorId") || !hasPart(a.Goods, get("partNumber")) {
		return nil, &fail{suning.CodeNoResult, "业务数据结果为空"}
	}
	f := a.Fields
	return queryAnswer{
		ResultFlag: "true", ResultCode: suning.ResultSuccess, ResultMessage: "成功",
		ActionID: a.ActionID, ActionType: f["actionType"], AdapteTerminal: f["adapteTerminal"],
		OtherTerminalSale: f["otherTerminalSale"], ActionName: f["actionName"],
		ActionStartTime: f["actionStartTime"], ActionEndTime: f["actionEndTime"],
		ScheduleStartTime: f["scheduleStartTime"], ScheduleEndTime: f["scheduleEndTime"],
		PurchaseStartTime: f["purchaseStartTime"], PurchaseEndTime: f["purchaseEndTime"],
	}, nil
}

func hasPart(goods []map[string]string, part string) bool {
	for _, g := range goods {
		if g["partnumber"] == part {
			return true
		}
	}
	return false
}
