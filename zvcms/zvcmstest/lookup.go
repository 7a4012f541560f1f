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
// parser or handler of its own to the fake.

// lookupState holds the answers lookup serves, under s.mu: by API name,
// then by the text of the param that names the thing.
type lookupState struct {
	lookups map[string]map[string]func(*Server) any
}

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
		s.mu.Lock()
		answer, ok := s.lookups[api][string(name)]
		s.mu.Unlock()
		if !ok {
			s.fail(w, failure{true, CodeNotFound, "查询的信息不存在"})
			return
		}
		s.ok(w, answer(s))
	})
}

// keep stores the answer lookup gives api for the thing named name,
// replacing the one it had. answer writes the data in s's spelling.
func (s *Server) keep(api, name string, answer func(s *Server) any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lookups == nil {
		s.lookups = make(map[string]map[string]func(*Server) any)
	}
	if s.lookups[api] == nil {
		s.lookups[api] = make(map[string]func(*Server) any)
	}
	s.lookups[api][name] = answer
}

// yuan is an amount as the gateway writes it: a string of yuan with two
// decimals ("12.50"), or with NativeTypes a JSON number (12.50).
func (s *Server) yuan(f couponkit.Fen) any {
	if s.cfg.NativeTypes {
		return json.Number(f.Yuan())
	}
	return f.Yuan()
}
