package taobaofilmtest

import (
	"net/http"

	"github.com/couponkit/couponkit/internal/fakekit"
)

// Reads the fake serves from a table: a read of one thing, named by one
// form param, is a route made from a lookup and a control that stores the
// thing's answers under its name in the Server's lookups (a
// fakekit.Lookups: Keep, or Add for a list), so that such a read adds no
// state, parser or handler of its own to the fake.

// lookup is a read served from the table: api, a read of the thing named
// by the form param param.
type lookup struct {
	api, param string
	// valid, when set, tells a well-formed name: another is code 41
	// (isv.invalid-parameter).
	valid func(name string) bool
	// unknown, when set, is what a name nothing was stored under answers;
	// when nil, such a name answers result with no answers.
	unknown *Error
	// result is the object inside "<method>_response" (or the answer with
	// simplify=true), from the answers stored under the name, in order.
	result func(q *request, found []any) any
}

// route is the lookup's route. A request without the param is code 40
// (isv.missing-parameter), as TOP answers a missing required argument.
func (l lookup) route() fakekit.Route[handler] {
	return fakekit.Route[handler]{API: l.api, Handler: func(s *Server, w http.ResponseWriter, q *request) {
		name := q.params.Get(l.param)
		switch {
		case name == "":
			s.writeError(w, Error{Code: 40, Message: "Missing required arguments:" + l.param, SubCode: "isv.missing-parameter", SubMessage: l.param})
			return
		case l.valid != nil && !l.valid(name):
			s.writeError(w, Error{Code: 41, Message: "Invalid Arguments", SubCode: "isv.invalid-parameter", SubMessage: l.param})
			return
		}
		found, ok := s.lookups.Find(l.api, name)
		if !ok && l.unknown != nil {
			s.writeError(w, *l.unknown)
			return
		}
		s.writeResult(w, q.method, q.simplify, l.result(q, found))
	}}
}

// listResult is a lookup's result for a taobao.film read that answers a
// list: {"result": {"return_code": "0", "return_message": "", field: the
// answers}}, the list wrapped in {item: …} unless simplify=true (TOP's
// spelling of a list of item models); no answers is an empty list.
func listResult(field, item string) func(q *request, found []any) any {
	return func(q *request, found []any) any {
		var list any = append([]any{}, found...)
		if !q.simplify {
			list = map[string]any{item: list}
		}
		return map[string]any{"result": map[string]any{"return_code": "0", "return_message": "", field: list}}
	}
}
