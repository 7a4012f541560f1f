package zvcmstest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/zvcms"
)

// The V2 API: one path (/api/v2, or the Config.Paths entry of a V2 API's
// name) for every V2 call, routed by the envelope's Action. Its envelope
// ({OpenId, GrantCode, Timestamp, Nonce, Token, Action, Params}) is checked
// as V3's is, with the same token. The fake serves the reconciliation
// itself, and any action a test gives a handler (HandleV2); another action
// is answered as an unknown API (CodeNoAPI, HTTP 404).

// apiReconciliation is the daily reconciliation's Action.
const apiReconciliation = "data.bi.financial-reconciliation"

// v2Routes are the V2 APIs, routed by Action (no path of their own).
func v2Routes(Config) []fakekit.Route[handler] {
	return []fakekit.Route[handler]{
		{API: apiReconciliation, Handler: (*Server).reconciliation},
	}
}

var _ = areas.Add(v2Routes)

// V2Handler answers a V2 action given to [Server.HandleV2]. params is the
// request's Params, a JSON object, once the request passed the checks every
// request gets (credentials, timestamp, nonce, token). It returns the data
// of a success (encoded with encoding/json; nil is answered as null), or a
// refusal to answer with instead. It is called on the server's goroutines,
// concurrently for concurrent requests.
type V2Handler func(params json.RawMessage) (data any, refusal *Refusal)

// Refusal is a failure a [V2Handler] answers with, with HTTP 200: a
// business refusal ({"status": "true", "code": Code, "message": Message}),
// or with System a system failure (status "false").
type Refusal struct {
	System        bool
	Code, Message string
}

// v2State is what the fake keeps for the V2 calls, in Server under its mu.
type v2State struct {
	recon      []storeDay
	v2Handlers map[string]V2Handler // by Action (HandleV2)
}

// HandleV2 answers the V2 action with h from now on, replacing the handler
// given before (and the fake's own for data.bi.financial-reconciliation).
// It lets a test serve any V2 action, such as those the client reaches only
// through zvcms.Client.CallV2 (coupon.user-coupon-list, say); the fake
// keeps no state for them. The request log names the action (Request.API).
func (s *Server) HandleV2(action string, h V2Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.v2Handlers == nil {
		s.v2Handlers = map[string]V2Handler{}
	}
	s.v2Handlers[action] = h
}

// storeDay is a reconciliation row and its store's code (multiMark).
type storeDay struct {
	storeCode string
	row       zvcms.DailyReconciliation
}

// v2Endpoint is the V2 endpoint's default path, where the client sends
// every action Config.Paths does not move.
func v2Endpoint() string { return defaultPaths()[apiReconciliation] }

// v2PathOf is where the client sends action: its Config.Paths entry, or
// the V2 endpoint.
func (s *Server) v2PathOf(action string) string {
	if p, ok := s.cfg.Paths[action]; ok {
		return p
	}
	return v2Endpoint()
}

// isV2 reports whether path is where the fake serves a V2 API.
func (s *Server) isV2(path string) bool {
	if path == v2Endpoint() {
		return true
	}
	for _, rt := range v2Routes(s.cfg) {
		if route(s.cfg, rt.API, nil).Path == path {
			return true
		}
	}
	return false
}

// v2Route returns the route of a request to a V2 path by its Action (a
// handler given to HandleV2 first), and the Action; it leaves r.Body
// readable again. An action sent to another path than its own has none.
func (s *Server) v2Route(r *http.Request) (fakekit.Route[handler], string, bool) {
	b, err := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(b))
	if err != nil {
		return fakekit.Route[handler]{}, "", false
	}
	action := v2Action(b)
	if r.URL.Path != s.v2PathOf(action) {
		return fakekit.Route[handler]{}, action, false
	}
	s.mu.Lock()
	h, ok := s.v2Handlers[action]
	s.mu.Unlock()
	if ok {
		return fakekit.Route[handler]{API: action, Handler: func(s *Server, w http.ResponseWriter, params json.RawMessage) {
			data, f := h(params)
			if f != nil {
				s.fail(w, failure{!f.System, f.Code, f.Message})
				return
			}
			s.ok(w, data)
		}}, action, true
	}
	rt, ok := s.routes.ByAPI(action)
	return rt, action, ok
}

// v2Action is a V2 body's Action, or "".
func v2Action(body []byte) string {
	var e struct {
		Action jsonx.Flex `json:"Action"`
	}
	_ = json.Unmarshal(body, &e)
	return string(e.Action)
}

// apiOf names a request's API for the request log: by its path, or a V2
// one by its Action.
func (s *Server) apiOf(r *http.Request, body []byte) string {
	if s.isV2(r.URL.Path) {
		return v2Action(body)
	}
	return s.routes.PathAPI(r, body)
}

// AddDailyReconciliation gives the gateway reconciliation rows of the store
// whose code (multiMark) is storeCode, listed after those added before.
// Dates are kept as Beijing days.
func (s *Server) AddDailyReconciliation(storeCode string, rows ...zvcms.DailyReconciliation) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range rows {
		y, m, d := r.Date.In(cntime.Location()).Date()
		r.Date = time.Date(y, m, d, 0, 0, 0, 0, cntime.Location())
		s.recon = append(s.recon, storeDay{storeCode, r})
	}
}

// reconciliation answers data.bi.financial-reconciliation {startDate,
// endData, multiMark, perPage, page}: the rows of the days from startDate to
// endData (both included) of the store multiMark (every store when empty),
// perPage of them (default 20, at most 100, and Config.MaxPageSize caps it)
// from page (default 1; Config.V2IgnoresPage serves page 1 whatever is
// asked), as {itemList, total, perPage, lastPage, currentPage}: amounts in
// yuan as "0.00" strings and the integers as strings, or with NativeTypes
// as numbers.
func (s *Server) reconciliation(w http.ResponseWriter, raw json.RawMessage) {
	var p struct {
		StartDate, EndData, MultiMark, PerPage, Page jsonx.Flex
	}
	err := json.Unmarshal(raw, &p)
	from, err1 := time.ParseInLocation(cntime.DateLayout, string(p.StartDate), cntime.Location())
	to, err2 := time.ParseInLocation(cntime.DateLayout, string(p.EndData), cntime.Location())
	size, ok1 := count(p.PerPage)
	page, ok2 := count(p.Page)
	if err != nil || err1 != nil || err2 != nil || !ok1 || !ok2 || size > zvcms.MaxReconciliationPageSize {
		s.fail(w, failure{true, CodeBadParam, "参数错误: startDate/endData/perPage/page"})
		return
	}
	if size == 0 {
		size = 20
	}
	size, page = s.pageSize(size), max(page, 1)
	if s.cfg.V2IgnoresPage {
		page = 1
	}
	s.mu.Lock()
	rows := []map[string]any{}
	for _, sd := range s.recon {
		if (p.MultiMark == "" || sd.storeCode == string(p.MultiMark)) && !sd.row.Date.Before(from) && !sd.row.Date.After(to) {
			rows = append(rows, s.wireRecon(sd.row))
		}
	}
	s.mu.Unlock()
	total := int64(len(rows))
	start := min((page-1)*size, total)
	s.ok(w, map[string]any{"itemList": rows[start:min(start+size, total)], "total": s.number(total), "perPage": s.number(size),
		"lastPage": s.number(max((total+size-1)/size, 1)), "currentPage": s.number(page)})
}

// wireRecon is a row as the gateway sends it.
func (s *Server) wireRecon(r zvcms.DailyReconciliation) map[string]any {
	return map[string]any{"thedate": cntime.FormatDate(r.Date), "storeId": s.number(r.StoreID), "storeName": r.StoreName,
		"wxMerchantNo": r.WxMerchantNo, "aliStoreNo": r.AliStoreNo, "orderSource": s.number(int64(r.OrderSource)), "sourceName": r.SourceName,
		"gmv": s.yuan(r.GMV), "refundAmt": s.yuan(r.Refunds), "discountAmt": s.yuan(r.Discounts), "realIncome": s.yuan(r.RealIncome)}
}
