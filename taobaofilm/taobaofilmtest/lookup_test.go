package taobaofilmtest

import (
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/couponkit/couponkit/taobaofilm"
)

// TestLookup: a read served from a table answers what was stored under the
// name its param gives, in order, in both JSON shapes; a name nothing was
// stored under answers the route's choice (no answers, or its error); a
// missing param is code 40 and a malformed one code 41.
func TestLookup(t *testing.T) {
	t.Parallel()
	s := NewServer(Config{InMemory: true})
	t.Cleanup(s.Close)
	accounts := accountRoutes(Config{})[0]
	strict := lookup{api: "taobao.film.status.query", param: "id", unknown: &Error{Code: 15, Message: "Remote service error", SubCode: "isv.not-found"},
		result: func(_ *request, found []any) any { return map[string]any{"status": found[0]} }}.route()
	s.AddAccount("13800000000", "A1", "t**1")
	s.AddAccount("13800000000", "A2", "小**")
	s.lookups.Keep("taobao.film.status.query", "42", "ok")
	accountsJSON := `[{"mix_user_id":"A1","user_nick":"t**1"},{"mix_user_id":"A2","user_nick":"小**"}]`
	for _, c := range []struct {
		name     string
		params   string
		simplify bool
		want     string
	}{
		{"wrapped", "phone=13800000000", false, `{"film_account_phone_query_response":{"result":{"account_list":{"taobao_film_account_phone_query_model":` + accountsJSON + `},"return_code":"0","return_message":""}`},
		{"simplify", "phone=13800000000", true, `{"result":{"account_list":` + accountsJSON + `,"return_code":"0","return_message":""}`},
		{"unknown", "phone=13900000000", true, `{"result":{"account_list":[],"return_code":"0","return_message":""}`},
		{"unknown wrapped", "phone=13900000000", false, `{"result":{"account_list":{"taobao_film_account_phone_query_model":[]},"return_code":"0","return_message":""}`},
		{"missing", "other=1", false, `{"error_response":{"code":40,"msg":"Missing required arguments:phone","sub_code":"isv.missing-parameter","sub_msg":"phone"`},
		{"malformed", "phone=1380000000", false, `{"error_response":{"code":41,"msg":"Invalid Arguments","sub_code":"isv.invalid-parameter","sub_msg":"phone"`},
		{"not digits", "phone=+8613800000", false, `"code":41`},
	} {
		p, _ := url.ParseQuery(c.params)
		w := httptest.NewRecorder()
		accounts.Handler(s, w, &request{method: taobaofilm.MethodAccountsByPhone, params: p, simplify: c.simplify})
		assert.Contains(t, w.Body.String(), c.want, c.name)
	}
	for params, want := range map[string]string{
		"id=42": `{"status":"ok"`, "id=43": `{"error_response":{"code":15,"msg":"Remote service error","sub_code":"isv.not-found"`,
		"": `"code":40,"msg":"Missing required arguments:id"`,
	} {
		p, _ := url.ParseQuery(params)
		w := httptest.NewRecorder()
		strict.Handler(s, w, &request{method: "taobao.film.status.query", params: p, simplify: true})
		assert.Contains(t, w.Body.String(), want, params)
	}
}
