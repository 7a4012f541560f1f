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
// as V3's is, with the same token.

// apiReconciliation is the daily reconciliation's Action.
const apiReconciliation = "data.bi.financial-reconciliation"

// v2Routes are the V2 APIs, routed by Action (no path of their own).
func v2Routes(Config) []fakekit.Route[handler] {
	return []fakekit.Route[handler]{
		{API: apiReconciliation, Handler: (*Server).reconciliation},
	}
}

// v2State is what the fake keeps for the V2 calls, in Server under its mu.
type v2State struct {
	recon []storeDay
}

// storeDay is a reconciliation row and its store's code (multiMark).
type storeDay struct {
	storeCode string
	row       zvcms.DailyReconciliation
}

// isV2 reports whether path is where the fake serves a V2 API.
func (s *Server) isV2(path string) bool {
	for _, rt := range v2Routes(s.cfg) {
		if route(s.cfg, rt.API, nil).Path == path {
			return true
		}
	}
	return false
}

// v2Route returns the route of a request to a V2 path by its Action, and
// leaves r.Body readable again.
func (s *Server) v2Route(r *http.Request) (fakekit.Route[handler], bool) {
	b, err := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(b))
	if err != nil {
		return fakekit.Route[handler]{}, false
	}
	return s.routes.ByAPI(v2Action(b))
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
