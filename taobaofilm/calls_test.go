package taobaofilm_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/calltest"
	"github.com/couponkit/couponkit/internal/testclock"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
)

// fixture is a fake and a client of it.
type fixture struct {
	srv *taobaofilmtest.Server
	c   *taobaofilm.Client
}

// vendor is what the call kit needs of taobaofilm: a client of a canned
// gateway, a request's business params (its form body without the common
// params TOP's frame adds), a success inside "<method>_response", and the
// fake in both of its spellings (wrapped, and simplify=true).
var vendor = calltest.Vendor[*fixture]{
	Name: taobaofilm.Vendor, APIs: taobaofilm.APIs(),
	Client: func(t *testing.T, rt http.RoundTripper, attempts int) any {
		c, _ := newClient(t, taobaofilm.Config{Gateway: mockGateway, AppKey: "12345678", AppSecret: "s3cr3t"},
			couponkit.WithTransport(rt), couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: attempts}))
		return c
	},
	Params: func(t *testing.T, _ *http.Request, body []byte) string {
		var biz []string
		for _, p := range strings.Split(string(body), "&") {
			if k, _, _ := strings.Cut(p, "="); !common[k] {
				biz = append(biz, p)
			}
		}
		return strings.Join(biz, "&")
	},
	Success: func(api couponkit.API, data string) string {
		if data == calltest.Absent {
			return `{}`
		}
		return `{"` + taobaofilm.ResponseKey(api.Operation) + `":` + data + `}`
	},
	Fakes: func(t *testing.T) []*fixture {
		var out []*fixture
		for _, simplify := range []bool{false, true} {
			srv := taobaofilmtest.Start(t, taobaofilmtest.Config{InMemory: true})
			cfg := srv.ClientConfig()
			cfg.Simplify = simplify
			c, err := taobaofilm.NewClient(cfg, srv.ClientOption(), couponkit.WithClock(testclock.New(time.Now())))
			require.NoError(t, err)
			t.Cleanup(func() { _ = c.Close() })
			out = append(out, &fixture{srv, c})
		}
		return out
	},
	FakeClient: func(f *fixture) any { return f.c },
}

// common are the params every TOP request carries, which the frame adds.
var common = map[string]bool{"app_key": true, "format": true, "method": true, "sign": true, "sign_method": true,
	"simplify": true, "timestamp": true, "v": true, "session": true, "partner_id": true, "target_app_key": true}

// TestCalls runs the call kit over every call of the table: the params on
// the wire, the page's answers in each spelling, the one rule with its
// attempts counted, requests refused before sending, and the fake.
func TestCalls(t *testing.T) {
	t.Parallel()
	calltest.Run(t, vendor, calls.Rows())
}

// calls is one row per call (or per request shape of one): a call's test
// file may add its rows beside its other tests (var _ = calls.Add(…)).
var calls calltest.Table[*fixture]

var _ = calls.Add(
	// apiId 47534: the page's example (current_rows 100 beside one code is
	// not checked), and the same page with simplify's plain list.
	calltest.Call[*fixture]{Method: "ExportCodes", Request: defaultExport(), Wire: "mix_id=code_8ebc4e741689bbc1&operate_type=ALL&partner_code=xuexiqiangguo",
		Answers: []calltest.Answer{
			{Data: `{"result":{"return_code":"0","return_message":"","return_value":{"basic":` + exportBasic +
				`,"coupon_list":{"f_code_info":[` + exportCode + `]},"has_next":true,"last_sequence":1,"current_rows":100}}}`, Want: examplePage},
			{Data: `{"result":{"return_code":"0","return_value":{"basic":` + exportBasic +
				`,"coupon_list":[` + exportCode + `],"has_next":"true","last_sequence":"1","current_rows":"100"}}}`, Want: examplePage},
		},
		Missing: []string{calltest.Absent, `null`, `""`, `[]`, `{}`, `{"result":{"return_value":{"has_next":true}}}`, `{"result":{"return_code":"0"}}`},
		Invalid: []calltest.Invalid{{Field: "MixID", Request: &taobaofilm.ExportRequest{PartnerCode: "p", OperateType: taobaofilm.OperateAll}},
			{Field: "OperateType", Request: &taobaofilm.ExportRequest{MixID: "m", PartnerCode: "p", OperateType: "SOME"}}},
		FakeRefuses: &taobaofilm.ExportRequest{MixID: "code_unknown", PartnerCode: "p", OperateType: taobaofilm.OperateAll},
		FakeCode:    taobaofilmtest.ReturnCodeMixIDNotFound},
	// The list as generated SDKs print it: wrapped in its model's name, or
	// plain with simplify=true; an empty one is "no account".
	calltest.Call[*fixture]{Method: "AccountsByPhone", Request: &taobaofilm.AccountsByPhoneRequest{Phone: "13800000000"}, Wire: "phone=13800000000",
		Answers: []calltest.Answer{
			{Data: `{"result":{"return_code":"0","return_message":"","account_list":{"taobao_film_account_phone_query_model":[` + accountsData + `]}}}`, Want: accounts},
			{Data: `{"result":{"return_code":"0","return_message":"","account_list":[` + accountsData + `]}}`, Want: accounts},
			{Data: `{"result":{"return_code":0,"account_list":{}}}`, Want: taobaofilm.AccountsByPhoneResult{}},
			{Data: `{"result":{"return_code":"0","account_list":[]}}`, Want: taobaofilm.AccountsByPhoneResult{}},
		},
		Missing: []string{calltest.Absent, `null`, `""`, `[]`, `{}`, `{"result":{}}`, `{"result":{"account_list":[` + accountsData + `]}}`}, Lacks: "result.return_code",
		Invalid: []calltest.Invalid{{Field: "Phone", Request: &taobaofilm.AccountsByPhoneRequest{}},
			{Field: "Phone", Request: &taobaofilm.AccountsByPhoneRequest{Phone: "1380000000"}}, {Field: "Phone", Request: &taobaofilm.AccountsByPhoneRequest{Phone: "+8613800000"}}},
		Fake: func(t *testing.T, f *fixture) (any, any) {
			f.srv.AddAccount("13800000000", "AAHm5d-EAAeGwJedwSHzFbSt", "t**1")
			f.srv.AddAccount("13800000000", "AAGN5d-EAAeGwJedwSHzFbQq", "小**")
			return &taobaofilm.AccountsByPhoneRequest{Phone: "13800000000"}, accounts
		}},
)

// accountsData is the two accounts of the AccountsByPhone row.
const accountsData = `{"mix_user_id":"AAHm5d-EAAeGwJedwSHzFbSt","user_nick":"t**1"},{"mix_user_id":"AAGN5d-EAAeGwJedwSHzFbQq","user_nick":"小**"}`

var accounts = taobaofilm.AccountsByPhoneResult{Accounts: []taobaofilm.Account{{MixUserID: "AAHm5d-EAAeGwJedwSHzFbSt", Nick: "t**1"}, {MixUserID: "AAGN5d-EAAeGwJedwSHzFbQq", Nick: "小**"}}}

// The export page's example, as apiId 47534 prints it, and its answer.
const (
	exportBasic = `{"bind_begin_time":"2019-12-01 00:00:00","coupon_expire_time":"2019-12-02 23:59:59","denomination":400,"max_bind_count":4,` +
		`"mix_id":"code_8ebc4e741689bbc1","name":"淘票票示例活动","total_count":100,"valid_days":1,"valid_duration_type":"DAY","description":"券码描述"}`
	exportCode = `{"code":"2X2QFKTZD2K","code_status":2,"gmt_modified":"2019-12-02 23:59:59","bind_status":-1}`
)

var examplePage = taobaofilm.ExportPage{
	Basic: taobaofilm.Basic{MixID: "code_8ebc4e741689bbc1", Name: "淘票票示例活动", Description: "券码描述",
		BindBeginTime: time.Date(2019, 12, 1, 0, 0, 0, 0, beijing), CouponExpireTime: time.Date(2019, 12, 2, 23, 59, 59, 0, beijing),
		Denomination: 400, MaxBindCount: 4, TotalCount: 100, ValidDays: 1, ValidDurationType: taobaofilm.DurationDay},
	Codes:   []taobaofilm.Code{{Code: "2X2QFKTZD2K", Status: taobaofilm.StatusRedeemed, Modified: time.Date(2019, 12, 2, 23, 59, 59, 0, beijing), Bind: taobaofilm.BindUnbound}},
	HasNext: true, LastSequence: 1, CurrentRows: 100,
}

// Every call of the registry has a godoc Example (ExampleClient_<Method>).
func TestEveryCallHasAnExample(t *testing.T) {
	missing, err := calltest.MissingExamples(".", taobaofilm.APIs())
	require.NoError(t, err)
	assert.Empty(t, missing, "calls of taobaofilm.APIs() without an ExampleClient_<Method>")
}
