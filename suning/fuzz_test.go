package suning_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/suning"
)

// answering is a transport that answers every request with body.
type answering struct{ body []byte }

func (a *answering) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_ = r.Body.Close()
	}
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(a.body)), ContentLength: int64(len(a.body)), Request: r}, nil
}

// FuzzDecodeResponse feeds arbitrary answers to every typed call, through
// the client's own Open and decode: nothing panics, a success carries what
// its call exists for (resultCode "0" and an activity id for a create, the
// activity asked for from a query, a result field from the customer
// methods), and every failure is a *couponkit.Error.
func FuzzDecodeResponse(f *testing.F) {
	seeds := []string{
		`{"sn_responseContent":{"sn_body":{"createAppoint":{"resultCode":"0","resultMsg":"成功","enrollInfoCode":"SU1","actionId":"2019102800001"}}}}`,
		`{ "sn_responseContent": { "sn_body": { "createAppoint": { "resultCode": "1", "actionId": "201911260077", "enrollInfoCode": "1314520", "resultMsg": "系统错误" } } } }`,
		`{"sn_responseContent":{"sn_error":{"error_code":"biz.custom.createappoint.missing-parameter:actionName","error_msg":"参数必填"}}}`,
		`{"sn_responseContent":{"sn_head":{},"sn_body":{"queryAppoint":{"resultFlag":"true","actionStartTime":"2024-06-01 00:00:00"}}}}`,
		`{"sn_responseContent":{"sn_head":{},"sn_body":{"queryAppoint":{"resultFlag":"true","actionId":"2019102800001","actionStartTime":"2024-06-01 00:00:00"}}}}`,
		`{"sn_responseContent":{"sn_body":{"queryAppoint":{"resultFlag":false,"resultCode":1}}}}`,
		`{"sn_responseContent":{"sn_body":{"createGotoappoint":{"resultCode":0},"queryBookinginfo":{"resultFlag":"TRUE"}}}}`,
		`{"SN_RESPONSECONTENT":{"Sn_Body":{"createappoint":{"resultCode":"0","actionId":"1"}}}}`,
		`{"sn_responseContent":null}`,
		`{"sn_responseContent":{"sn_error":null,"sn_body":"x"}}`,
		`[]`,
		`<html>502</html>`,
		``,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	const asked = "2019102800001"
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := suning.NewClient(suning.Config{AppKey: "k", AppSecret: "s"},
			couponkit.WithTransport(&answering{body: body}), couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 1}))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		ctx := context.Background()
		create := createRequest(t)
		create.EnrollInfoCode = "SU-FUZZ"
		if res, err := c.Create(ctx, create); err != nil {
			checkErr(t, err)
		} else if res.ResultCode != suning.ResultSuccess || res.ActionID == "" {
			t.Fatalf("create: success with resultCode %q, actionId %q", res.ResultCode, res.ActionID)
		}
		modify := goldenRequest(t)
		if res, err := c.Modify(ctx, modify); err != nil {
			checkErr(t, err)
		} else if res.ResultCode != suning.ResultSuccess || (res.ActionID != "" && res.ActionID != modify.ActionID) {
			t.Fatalf("modify: success with resultCode %q, actionId %q", res.ResultCode, res.ActionID)
		}
		if res, err := c.Query(ctx, &suning.QueryRequest{ActionID: asked, PartNumber: "1", VendorID: "2"}); err != nil {
			checkErr(t, err)
		} else if len(res.Node) == 0 || res.ActionID != asked {
			t.Fatalf("query: success without the node or the activity: %q", res.ActionID)
		}
		if res, err := c.BookingInfo(ctx, &suning.BookingInfoRequest{ActionID: asked, SNUnionID: "7"}); err != nil {
			checkErr(t, err)
		} else if !bytes.Contains(bytes.ToLower(res.Node), []byte(`"result`)) {
			t.Fatalf("booking info: success without a result field: %s", res.Node)
		}
	})
}

func checkErr(t *testing.T, err error) {
	t.Helper()
	var e *couponkit.Error
	var u *couponkit.UnknownOutcomeError
	if !errors.As(err, &e) && !errors.As(err, &u) {
		t.Fatalf("error %T is neither a *couponkit.Error nor an unknown outcome: %v", err, err)
	}
	if err.Error() == "" {
		t.Fatal("empty error text")
	}
}
