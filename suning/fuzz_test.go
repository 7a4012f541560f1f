package suning

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/couponkit/couponkit"
)

// FuzzDecodeResponse feeds arbitrary bodies to the response decoders: they
// must not panic, a success must carry resultCode "0" and, for a create, an
// activity id (for a query, the one asked for), and every failure of the
// query's decoder must be a *couponkit.Error.
func FuzzDecodeResponse(f *testing.F) {
	seeds := []string{
		`{"sn_responseContent":{"sn_body":{"createAppoint":{"resultCode":"0","resultMsg":"成功","enrollInfoCode":"SU1","actionId":"2019102800001"}}}}`,
		`{ "sn_responseContent": { "sn_body": { "createAppoint": { "resultCode": "1", "actionId": "201911260077", "enrollInfoCode": "1314520", "resultMsg": "系统错误" } } } }`,
		`{"sn_responseContent":{"sn_error":{"error_code":"biz.custom.createappoint.missing-parameter:actionName","error_msg":"参数必填"}}}`,
		`{"sn_responseContent":{"sn_head":{},"sn_body":{"queryAppoint":{"resultFlag":"true","actionStartTime":"2024-06-01 00:00:00"}}}}`,
		`{"sn_responseContent":{"sn_head":{},"sn_body":{"queryAppoint":{"resultFlag":"true","actionId":"2019102800001","actionStartTime":"2024-06-01 00:00:00"}}}}`,
		`{"sn_responseContent":{"sn_body":{"queryAppoint":{"resultFlag":false,"resultCode":1}}}}`,
		`{"sn_responseContent":null}`,
		`[]`,
		`<html>502</html>`,
		``,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	c, err := NewClient(Config{AppKey: "k", AppSecret: "s"})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if n, err := c.openCreate(body); err != nil {
			checkErr(t, err)
		} else {
			var res AppointResult
			if err := res.fill(n, OperateCreate, ""); err == nil && (res.ResultCode != ResultSuccess || res.ActionID == "") {
				t.Fatalf("success with resultCode %q, actionId %q", res.ResultCode, res.ActionID)
			}
		}
		for _, node := range []string{NodeCreateAppoint, NodeQueryAppoint} {
			raw, err := c.parseEnvelope(body, node)
			if err != nil {
				checkErr(t, err)
				continue
			}
			if !json.Valid(raw) {
				t.Fatalf("node is not JSON: %q", raw)
			}
			if node == NodeCreateAppoint {
				continue
			}
			var q QueryResult
			if err := decodeQueryResult(raw, "2019102800001", &q); err != nil {
				checkErr(t, err)
			} else if len(q.Node) == 0 || q.ActionID != "2019102800001" {
				t.Fatalf("success without the node or the activity: %q", q.ActionID)
			}
		}
	})
}

func checkErr(t *testing.T, err error) {
	t.Helper()
	var e *couponkit.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %T is not a *couponkit.Error: %v", err, err)
	}
	if e.Error() == "" {
		t.Fatal("empty error text")
	}
}
