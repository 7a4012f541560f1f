package houcallertest

import (
	"encoding/json"
	"net/http"

	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/internal/jsonx"
)

// Reads the fake serves from a table: a read of one thing named by one
// business param is a route made by lookup and a control that stores the
// thing's answers under its name in the Server's lookups (a
// fakekit.Lookups: Keep, or Add for a list), so that such a read adds no
// state, parser or handler of its own to the fake.

// lookup is the route of api, a read of the thing named by the business
// param param (a JSON string or number): its data is result of the answers
// stored under the name, in the order stored (none for a name nothing was
// stored under). A request without param is CodeBadParam.
func lookup(api, param string, result func(found []any) any) fakekit.Route[handler] {
	return route(api, func(s *Server, w http.ResponseWriter, plain []byte) {
		var p map[string]json.RawMessage
		var name jsonx.Flex
		if json.Unmarshal(plain, &p) != nil || json.Unmarshal(p[param], &name) != nil || name == "" {
			s.reply(w, CodeBadParam, "缺少参数: "+param, nil)
			return
		}
		found, _ := s.lookups.Find(api, string(name))
		s.reply(w, CodeOK, "操作成功", result(found))
	})
}
