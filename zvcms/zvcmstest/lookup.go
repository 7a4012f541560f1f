package zvcmstest

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/internal/jsonx"
)

// Reads the fake serves from a table: a read of one thing, named by one of
// its params, is a route made by lookup and a control that keeps the
// thing's answer under its name (keep), so that such a read adds no state,
// parser or handler of its own to the fake. The answers are in the Server's
// lookups (a fakekit.Lookups, with its own lock), by API name, then by the
// text of the param that names the thing.

// lookup serves api, a read of the thing named by the first of params the
// request gives (as text, whether sent as a string or a number): the data
// keep stored under that name, in the fake's spelling. A request that gives
// none of params is CodeBadParam, an unknown name CodeNotFound.
func lookup(cfg Config, api string, params ...string) fakekit.Route[handler] {
	return route(cfg, api, func(s *Server, w http.ResponseWriter, raw json.RawMessage) {
		var p map[string]json.RawMessage
		if err := json.Unmarshal(raw, &p); err != nil {
			s.fail(w, failure{true, CodeBadParam, "参数错误: " + strings.Join(params, "/")})
			return
		}
		var name jsonx.Flex
		for _, param := range params {
			if v, ok := p[param]; ok && json.Unmarshal(v, &name) == nil && name != "" {
				break
			}
			name = ""
		}
		if name == "" {
			s.fail(w, failure{true, CodeBadParam, "参数错误: " + strings.Join(params, "/")})
			return
		}
		answers, ok := s.lookups.Find(api, string(name))
		if !ok {
			s.fail(w, failure{true, CodeNotFound, "查询的信息不存在"})
			return
		}
		s.ok(w, answers[0](s))
	})
}

// keep stores the answer lookup gives api for the thing named name,
// replacing the one it had. answer writes the data in s's spelling.
func (s *Server) keep(api, name string, answer func(s *Server) any) {
	s.lookups.Keep(api, name, answer)
}

// yuan is an amount as the gateway writes it: a string of yuan with two
// decimals ("12.50"), or with NativeTypes a JSON number (12.50).
func (s *Server) yuan(f couponkit.Fen) any {
	if s.cfg.NativeTypes {
		return json.Number(f.Yuan())
	}
	return f.Yuan()
}
