package zvcms_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/sign"
	"github.com/couponkit/couponkit/zvcms"
)

// benchAnswer is a successful getCustomerCoupons answer with three coupons in
// the vendor page's spelling.
var benchAnswer = func() []byte {
	one := `{"beginAt":"2019-08-24 00:00:00","cardId":"39091344549820006#","channel":"naixue","couponId":"390913445519171584","couponType":"0","createdAt":"2019-10-15 17:10:28","customerId":"383933091455959041","title":"满50减10","updatedAt":"2019-10-15 17:10:2","useStatus":"0","templateId":"951","endAt":"2019-11-03 23:59:59","extra":""}`
	var b bytes.Buffer
	b.WriteString(`{"status":"true","code":"0","message":"成功","data":[`)
	for i := range 3 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strings.Replace(one, "#", strconv.Itoa(i), 1))
	}
	b.WriteString(`]}`)
	return b.Bytes()
}()

// BenchmarkGetCustomerCoupons compares one typed query through the client
// with the same signed request built, sent and decoded by hand with net/http
// and encoding/json, against the same loopback server.
func BenchmarkGetCustomerCoupons(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		_, _ = w.Write(benchAnswer)
	}))
	defer srv.Close()
	const openID, openKey, grantCode, customer = "6dc05b4ac175cf316d226252b05cf685", "bench-open-key", "782c281f62", "383933091455959041"
	ctx := context.Background()

	b.Run("sdk", func(b *testing.B) {
		c, err := zvcms.NewClient(zvcms.Config{Gateway: srv.URL, OpenID: openID, OpenKey: openKey, GrantCode: grantCode})
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		req := &zvcms.CustomerCouponsRequest{CustomerID: customer, UseStatus: zvcms.UseStatusUnused.Ptr()}
		b.ReportAllocs()
		for b.Loop() {
			got, err := c.GetCustomerCoupons(ctx, req)
			if err != nil || len(got.Coupons) != 3 {
				b.Fatal(err)
			}
		}
	})
	b.Run("handwritten", func(b *testing.B) {
		hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
		defer hc.CloseIdleConnections()
		url := srv.URL + "/v3/crm/coupon/getCustomerCoupons"
		status := 0
		b.ReportAllocs()
		for b.Loop() {
			params, err := json.Marshal(handParams{CustomerID: customer, UseStatus: &status})
			if err != nil {
				b.Fatal(err)
			}
			ts := strconv.FormatInt(time.Now().Unix(), 10)
			nonce := strconv.FormatInt(rand.Int64N(1<<31-1)+1, 10)
			body, err := json.Marshal(handBody{OpenID: openID, GrantCode: grantCode, Timestamp: ts, Nonce: nonce,
				Token: sign.ZvcmsToken(openKey, openID, grantCode, ts, nonce), Params: params})
			if err != nil {
				b.Fatal(err)
			}
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			raw, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil || resp.StatusCode != http.StatusOK {
				b.Fatal(err, resp.StatusCode)
			}
			coupons, err := handDecode(raw)
			if err != nil || len(coupons) != 3 {
				b.Fatal(err)
			}
		}
	})
}

type handParams struct {
	CustomerID string `json:"customerId"`
	UseStatus  *int   `json:"useStatus,omitempty"`
	CardID     string `json:"cardId,omitempty"`
}

type handBody struct {
	OpenID    string          `json:"openId"`
	GrantCode string          `json:"grantCode"`
	Timestamp string          `json:"timestamp"`
	Nonce     string          `json:"nonce"`
	Token     string          `json:"token"`
	Params    json.RawMessage `json:"params"`
}

type handCoupon struct {
	BeginAt, CardID, Channel, CouponID, CouponType, CreatedAt, CustomerID jsonx.Flex
	Title, UpdatedAt, UseStatus, TemplateID, EndAt                        jsonx.Flex
	Extra                                                                 json.RawMessage
}

var bjZone = time.FixedZone("CST", 8*3600)

// handDecode decodes the envelope and the coupons as a hand-written client
// would, into the same typed result.
func handDecode(raw []byte) ([]zvcms.Coupon, error) {
	var env struct {
		Status, Code, Message jsonx.Flex
		Data                  json.RawMessage
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		return nil, err
	}
	if !env.Status.Bool() || env.Code != "0" {
		return nil, &couponkit.Error{Code: string(env.Code), Message: string(env.Message)}
	}
	var wire []handCoupon
	if err := json.Unmarshal(env.Data, &wire); err != nil {
		return nil, err
	}
	out := make([]zvcms.Coupon, len(wire))
	for i, w := range wire {
		c := &out[i]
		c.CardID, c.CouponID, c.CustomerID, c.Channel, c.Title = string(w.CardID), string(w.CouponID), string(w.CustomerID), string(w.Channel), string(w.Title)
		if err := json.Unmarshal(w.Extra, &c.Extra); err != nil {
			return nil, err
		}
		n, err := strconv.Atoi(string(w.CouponType))
		if err != nil {
			return nil, err
		}
		c.Type = zvcms.CouponType(n)
		if n, err = strconv.Atoi(string(w.UseStatus)); err != nil {
			return nil, err
		}
		c.UseStatus = zvcms.UseStatus(n)
		if c.TemplateID, err = strconv.ParseInt(string(w.TemplateID), 10, 64); err != nil {
			return nil, err
		}
		for _, t := range []struct {
			in  jsonx.Flex
			out *time.Time
		}{{w.BeginAt, &c.BeginAt}, {w.EndAt, &c.EndAt}, {w.CreatedAt, &c.CreatedAt}, {w.UpdatedAt, &c.UpdatedAt}} {
			if *t.out, err = time.ParseInLocation("2006-1-2 15:4:5", string(t.in), bjZone); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}
