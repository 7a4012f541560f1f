package taobaofilmtest

import (
	"strings"

	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/taobaofilm"
)

// accountRoutes are the routes of this file's method: the accounts added
// for a phone, none (an empty list, return_code "0") for another. No phone
// is code 40, one that is not 11 digits code 41: the fake's choice, as TOP
// documents neither.
func accountRoutes(Config) []fakekit.Route[handler] {
	return []fakekit.Route[handler]{
		lookup{api: taobaofilm.MethodAccountsByPhone, param: "phone", valid: isPhone, result: listResult("account_list", "taobao_film_account_phone_query_model")}.route(),
	}
}

var _ = areas.Add(accountRoutes)

// account is one account of a phone, as the fake writes it.
type account struct {
	MixUserID string `json:"mix_user_id"`
	UserNick  string `json:"user_nick"`
}

// AddAccount adds an account, its open id and masked nick, to those
// taobao.film.account.phone.query answers for phone (11 digits), after the
// ones added before.
func (s *Server) AddAccount(phone, mixUserID, nick string) {
	s.lookups.Add(taobaofilm.MethodAccountsByPhone, phone, account{mixUserID, nick})
}

// isPhone tells a mobile number: 11 digits.
func isPhone(p string) bool { return len(p) == 11 && strings.Trim(p, "0123456789") == "" }
