package taobaofilmtest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/taobaofilm"
)

// exportRoutes are the routes of this file's method.
func exportRoutes(Config) []fakekit.Route[handler] {
	return []fakekit.Route[handler]{{API: taobaofilm.MethodExportQuery, Handler: (*Server).export}}
}

var _ = areas.Add(exportRoutes)

// cursor reads the cursor from a top-level parameter or the params JSON:
// ok is false when it is malformed.
func (s *Server) cursor(p url.Values, ext map[string]json.RawMessage) (int64, bool) {
	raw := p.Get(s.cfg.CursorName)
	if raw == "" {
		if j, found := ext[s.cfg.CursorName]; found {
			raw = strings.Trim(string(j), `"`)
		}
	}
	if raw == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	return n, err == nil && n >= 0
}

// export answers taobao.film.fcode.export.query: a page of the batch
// mix_id, after the cursor.
func (s *Server) export(w http.ResponseWriter, q *request) {
	p, simplify := q.params, q.simplify
	for _, name := range []string{"mix_id", "partner_code", "operate_type"} {
		if p.Get(name) == "" {
			s.writeError(w, Error{Code: 40, Message: "Missing required arguments:" + name, SubCode: "isv.missing-parameter", SubMessage: name})
			return
		}
	}
	op := p.Get("operate_type")
	if op != "ALL" && op != "CONSUME" {
		s.writeError(w, Error{Code: 41, Message: "Invalid Arguments", SubCode: "isv.invalid-parameter", SubMessage: "operate_type"})
		return
	}
	var ext map[string]json.RawMessage
	if js := p.Get("params"); js != "" {
		if err := json.Unmarshal([]byte(js), &ext); err != nil {
			s.writeError(w, Error{Code: 41, Message: "Invalid Arguments", SubCode: "isv.invalid-parameter", SubMessage: "params is not a JSON object"})
			return
		}
	}
	after, ok := s.cursor(p, ext)
	if !ok {
		s.writeError(w, Error{Code: 41, Message: "Invalid Arguments", SubCode: "isv.invalid-parameter", SubMessage: s.cfg.CursorName})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if q.ignoreCursor {
		after = 0
	}
	if len(s.business) > 0 {
		e := s.business[0]
		s.business = s.business[1:]
		s.writeBusiness(w, simplify, e.code, e.message)
		return
	}
	b, found := s.batches[p.Get("mix_id")]
	switch {
	case !found:
		s.writeBusiness(w, simplify, ReturnCodeMixIDNotFound, "码商品不存在")
		return
	case b.PartnerCode != p.Get("partner_code"):
		s.writeBusiness(w, simplify, ReturnCodePartnerMismatch, "渠道编码不匹配")
		return
	}
	s.writePage(w, b, op == "CONSUME", after, simplify)
}

// state returns code n's current state. s.mu is held.
func (b *batchState) state(n int64) codeState {
	if st, ok := b.overrides[n]; ok {
		return st
	}
	return b.seeded(n)
}
