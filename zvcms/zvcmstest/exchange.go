package zvcmstest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/internal/jsonx"
)

// The states of a redemption code (exchangeStatus) as the fake numbers
// them. The vendor's numbering is not published [open].
const (
	// ExchangeUnused is a code handed out and not exchanged yet.
	ExchangeUnused = 0
	// ExchangeUsed is a code a customer exchanged.
	ExchangeUsed = 1
	// ExchangeDisabled is a code voided (codeDisableBatch).
	ExchangeDisabled = 2
)

// ExchangeCode is a redemption code (兑换码) the fake holds.
type ExchangeCode struct {
	// Code is the code.
	Code string
	// ActivityCode and ActivityName are its exchange activity.
	ActivityCode, ActivityName string
	// Status is its state: ExchangeUnused, ExchangeUsed or ExchangeDisabled.
	Status int
}

// exchangeState is what the fake keeps of redemption codes, in Server
// under its mu.
type exchangeState struct {
	exchange   map[string]*ExchangeCode // redemption code → its state
	activities map[string]string        // exchange activity code → name
	dispatches []Dispatch
}

// exchangeRoutes are the routes of the redemption codes.
func exchangeRoutes(cfg Config) []fakekit.Route[handler] {
	return []fakekit.Route[handler]{
		route(cfg, "queryCodeStatus", (*Server).exchangeStatus),
		route(cfg, "codeDispatch", (*Server).dispatchCodes),
		route(cfg, "codeDisableBatch", (*Server).disableCodes),
	}
}

var _ = areas.Add(exchangeRoutes)

// Dispatch is a dispatch of redemption codes (codeDispatch) the fake
// applied.
type Dispatch struct {
	// ActivityCode and Num are as sent.
	ActivityCode string
	Num          int
	// Codes are the codes handed out.
	Codes []string
	// At is when the fake applied it, in Beijing time.
	At time.Time
}

// AddExchangeActivity gives the gateway an exchange activity that codes
// can be dispatched for (codeDispatch), replacing the one with its code.
func (s *Server) AddExchangeActivity(code, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.activities == nil {
		s.activities = make(map[string]string)
	}
	s.activities[code] = name
}

// Dispatches returns the dispatches applied so far, in order.
func (s *Server) Dispatches() []Dispatch {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.Clone(s.dispatches)
	for i := range out {
		out[i].Codes = slices.Clone(out[i].Codes)
	}
	return out
}

// dispatchCodes answers codeDispatch {activityCode, num}: num fresh codes
// of a known activity, unused, as [{code}]. The fake has no stock: any num
// from 1 is handed out in full.
func (s *Server) dispatchCodes(w http.ResponseWriter, raw json.RawMessage) {
	var p struct {
		ActivityCode jsonx.Flex `json:"activityCode"`
		Num          jsonx.Flex `json:"num"`
	}
	err := json.Unmarshal(raw, &p)
	num, ok := count(p.Num)
	if err != nil || p.ActivityCode == "" || !ok || num < 1 {
		s.fail(w, failure{true, CodeBadParam, "参数错误: activityCode/num"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	name, known := s.activities[string(p.ActivityCode)]
	if !known {
		s.fail(w, failure{true, CodeNotFound, "活动不存在"})
		return
	}
	if s.exchange == nil {
		s.exchange = make(map[string]*ExchangeCode)
	}
	d := Dispatch{ActivityCode: string(p.ActivityCode), Num: int(num), At: s.now()}
	out := make([]map[string]string, 0, num)
	for range num {
		c := &ExchangeCode{Code: "EX" + s.nextID(718000000000), ActivityCode: d.ActivityCode, ActivityName: name}
		s.exchange[c.Code] = c
		d.Codes = append(d.Codes, c.Code)
		out = append(out, map[string]string{"code": c.Code})
	}
	s.dispatches = append(s.dispatches, d)
	s.ok(w, out)
}

// AddExchangeCode gives the gateway a redemption code, replacing the one
// with its Code.
func (s *Server) AddExchangeCode(c ExchangeCode) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.exchange == nil {
		s.exchange = make(map[string]*ExchangeCode)
	}
	s.exchange[c.Code] = &c
}

// ExchangeCode returns the redemption code as the gateway now holds it.
func (s *Server) ExchangeCode(code string) (ExchangeCode, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.exchange[code]
	if !ok {
		return ExchangeCode{}, false
	}
	return *c, true
}

// SetExchangeStatus changes a redemption code's state (ExchangeUsed, say,
// for a code a customer exchanged) and reports whether the code exists.
func (s *Server) SetExchangeStatus(code string, status int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.exchange[code]
	if ok {
		c.Status = status
	}
	return ok
}

// exchangeStatus answers queryCodeStatus: the code's activity and state.
func (s *Server) exchangeStatus(w http.ResponseWriter, raw json.RawMessage) {
	var p struct {
		Code jsonx.Flex `json:"code"`
	}
	if err := json.Unmarshal(raw, &p); err != nil || p.Code == "" {
		s.fail(w, failure{true, CodeBadParam, "参数错误: code不能为空"})
		return
	}
	c, ok := s.ExchangeCode(string(p.Code))
	if !ok {
		s.fail(w, failure{true, CodeNotFound, "查询的信息不存在"})
		return
	}
	s.ok(w, map[string]any{"activityCode": c.ActivityCode, "activityName": c.ActivityName, "exchangeStatus": s.number(int64(c.Status))})
}

// disableCodes answers codeDisableBatch {codes, activityCode}: each code,
// in the order sent, voided when it is unused (and of the activity, when
// one is given), else not, with the reason; [{code, disabled, failReason}].
func (s *Server) disableCodes(w http.ResponseWriter, raw json.RawMessage) {
	var p struct {
		Codes        []jsonx.Flex `json:"codes"`
		ActivityCode jsonx.Flex   `json:"activityCode"`
	}
	if err := json.Unmarshal(raw, &p); err != nil || len(p.Codes) == 0 {
		s.fail(w, failure{true, CodeBadParam, "参数错误: codes不能为空"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]map[string]any, 0, len(p.Codes))
	for _, code := range p.Codes {
		c, reason := s.exchange[string(code)], ""
		switch {
		case c == nil || (p.ActivityCode != "" && c.ActivityCode != string(p.ActivityCode)):
			reason = "兑换码不存在"
		case c.Status == ExchangeUsed:
			reason = "兑换码已使用"
		case c.Status == ExchangeDisabled:
			reason = "兑换码已作废"
		default:
			c.Status = ExchangeDisabled
		}
		out = append(out, map[string]any{"code": string(code), "disabled": s.flag(reason == ""), "failReason": reason})
	}
	s.ok(w, out)
}

// flag is b as the gateway sends a flag: "true"/"false", or with
// NativeTypes a JSON bool.
func (s *Server) flag(b bool) any {
	if s.cfg.NativeTypes {
		return b
	}
	return strconv.FormatBool(b)
}
