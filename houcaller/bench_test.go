package houcaller_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/internal/sign"
)

// BenchmarkSellCard compares one sale through the SDK with the same encrypted
// request built and sent by hand with net/http and encoding/json, against the
// same loopback server answering the vendor's response example.
func BenchmarkSellCard(b *testing.B) {
	answer := []byte(listAnswer)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(answer)
	}))
	defer srv.Close()
	gateway := srv.URL + "/htest/openapi/v1"
	ctx := context.Background()
	sale := exampleSale()

	b.Run("sdk", func(b *testing.B) {
		c, err := houcaller.NewClient(houcaller.Config{Gateway: gateway, Channel: "hkl-test", DESKey: testKey})
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		b.ReportAllocs()
		for b.Loop() {
			res, err := c.SellCard(ctx, sale)
			if err != nil {
				b.Fatal(err)
			}
			if len(res.Coupons) != 1 || len(res.Coupons[0].Codes) != 3 {
				b.Fatal("unexpected result")
			}
		}
	})

	b.Run("handwritten", func(b *testing.B) {
		ciph, err := sign.NewDES([]byte(testKey), sign.DESECB, nil, sign.PKCS5)
		if err != nil {
			b.Fatal(err)
		}
		hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
		defer hc.CloseIdleConnections()
		bj := time.FixedZone("CST", 8*3600)
		url := gateway + "/sendMncardForSale"
		type param struct {
			CardInfoID  string `json:"cardInfoId"`
			SaleTime    string `json:"saleTime"`
			SaleUser    string `json:"saleUser,omitempty"`
			Num         string `json:"num"`
			SaleOrgCode string `json:"saleOrgCode,omitempty"`
			PayAmt      string `json:"payAmt"`
			SaleNo      string `json:"saleNo"`
			MemberID    string `json:"memberId"`
		}
		type envelope struct {
			Channel   string `json:"channel"`
			Timestamp string `json:"timestamp"`
			Param     string `json:"param"`
		}
		type response struct {
			Code int    `json:"code"`
			Msg  string `json:"msg"`
			Data struct {
				List []struct {
					CpnID    string   `json:"cpnId"`
					CpnCodes []string `json:"cpnCodes"`
				} `json:"list"`
			} `json:"data"`
		}
		b.ReportAllocs()
		for b.Loop() {
			plain, err := json.Marshal(param{
				CardInfoID: sale.CardInfoID, SaleTime: sale.SaleTime.In(bj).Format("2006-01-02 15:04:05"),
				SaleUser: sale.SaleUser, Num: strconv.Itoa(sale.Count), SaleOrgCode: sale.SaleOrgCode,
				PayAmt: sale.PayAmount.String(), SaleNo: sale.SaleNo, MemberID: sale.MemberID,
			})
			if err != nil {
				b.Fatal(err)
			}
			body, err := json.Marshal(envelope{Channel: "hkl-test", Timestamp: strconv.FormatInt(time.Now().UnixMilli(), 10), Param: ciph.EncryptHex(plain)})
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
			got, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				b.Fatal(err)
			}
			var out response
			if err := json.Unmarshal(got, &out); err != nil {
				b.Fatal(err)
			}
			if out.Code != 0 || len(out.Data.List) != 1 || len(out.Data.List[0].CpnCodes) != 3 {
				b.Fatal("unexpected result")
			}
		}
	})
}
