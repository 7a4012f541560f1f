package zvcmstest

import (
	"encoding/json"
	"net/http"

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

// exchangeRoutes are the routes of the redemption codes.
func exchangeRoutes(cfg Config) []fakekit.Route[handler] {
	return []fakekit.Route[handler]{
		route(cfg, "queryCodeStatus", (*Server).exchangeStatus),
	}
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
