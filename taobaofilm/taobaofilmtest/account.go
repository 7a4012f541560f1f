package taobaofilmtest

import (
	"net/http"
	"strings"

	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/taobaofilm"
)

// accountRoutes are the routes of this file's method.
func accountRoutes() []fakekit.Route[handler] {
	return []fakekit.Route[handler]{{API: taobaofilm.MethodAccountsByPhone, Handler: (*Server).accountsByPhone}}
}

// account is one account of a phone, as the fake writes it.
type account struct {
	MixUserID string `json:"mix_user_id"`
	UserNick  string `json:"user_nick"`
}

// AddAccount adds an account, its open id and masked nick, to those
// taobao.film.account.phone.query answers for phone (11 digits), after the
// ones added before.
func (s *Server) AddAccount(phone, mixUserID, nick string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.accounts == nil {
		s.accounts = map[string][]account{}
	}
	s.accounts[phone] = append(s.accounts[phone], account{mixUserID, nick})
}

// accountsByPhone answers taobao.film.account.phone.query: the accounts
// added for phone, none (an empty list, return_code "0") for another, the
// list wrapped unless simplify=true. No phone is code 40, one that is not
// 11 digits code 41: the fake's choice, as TOP documents neither.
func (s *Server) accountsByPhone(w http.ResponseWriter, q *request) {
	phone := q.params.Get("phone")
	switch {
	case phone == "":
		s.writeError(w, Error{Code: 40, Message: "Missing required arguments:phone", SubCode: "isv.missing-parameter", SubMessage: "phone"})
		return
	case len(phone) != 11 || strings.Trim(phone, "0123456789") != "":
		s.writeError(w, Error{Code: 41, Message: "Invalid Arguments", SubCode: "isv.invalid-parameter", SubMessage: "phone"})
		return
	}
	s.mu.Lock()
	var list any = append([]account{}, s.accounts[phone]...)
	s.mu.Unlock()
	if !q.simplify {
		list = map[string]any{"taobao_film_account_phone_query_model": list}
	}
	s.writeResult(w, q.method, q.simplify, map[string]any{"result": map[string]any{"return_code": "0", "return_message": "", "account_list": list}})
}
