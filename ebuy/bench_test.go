package ebuy_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/internal/sign"
)

// BenchmarkDeactivateCodes compares one typed call (batchUnActivateCode with
// two codes) with the same signed request built and sent with plain net/http
// and encoding/json, answer sign verified and content decoded the same way,
// against the same loopback server answering a signed envelope.
func BenchmarkDeactivateCodes(b *testing.B) {
	answer, err := os.ReadFile("testdata/responses/deactivate_ok.json")
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		_, _ = w.Write(answer)
	}))
	defer srv.Close()
	ctx := context.Background()
	codes := []string{"1031000000000000001", "1031000000000000002"}

	b.Run("sdk", func(b *testing.B) {
		c, err := ebuy.NewClient(ebuy.Config{Gateway: srv.URL, AppID: vecApp, AppSecret: vecKey, BrandID: "4339", NewKey: vecKeyFunc})
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		req := &ebuy.DeactivateCodesRequest{Codes: codes}
		b.ReportAllocs()
		for b.Loop() {
			res, err := c.DeactivateCodes(ctx, req)
			if err != nil || len(res.Codes) != 2 || res.Codes[1].TicketID != 1031000000010742 {
				b.Fatal("bad answer", err)
			}
		}
	})

	b.Run("handwritten", func(b *testing.B) {
		hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
		defer hc.CloseIdleConnections()
		url := srv.URL + "/paas/micro/ecoupon/batchUnActivateCode"
		loc := time.FixedZone("CST", 8*3600)
		b.ReportAllocs()
		for b.Loop() {
			res, err := handwrittenDeactivate(ctx, hc, url, loc, codes)
			if err != nil || len(res.Details) != 2 || res.Details[1].TicketID.String() != "1031000000010742" {
				b.Fatal("bad answer", err)
			}
		}
	})
}

type hwContent struct {
	BrandID   string   `json:"brandId"`
	CodeArray []string `json:"codeArray"`
}

type hwResult struct {
	CodeNum    int64 `json:"codeNum"`
	CreateDate int64 `json:"createDate"`
	Details    []struct {
		CodeSecret     string      `json:"codeSecret"`
		CodeSearch     string      `json:"codeSearch"`
		ResultCode     string      `json:"resultCode"`
		ResultMessage  string      `json:"resultMessage"`
		CodeStatus     string      `json:"codeStatus"`
		CodeStatusDesc string      `json:"codeStatusDesc"`
		UseTimes       json.Number `json:"useTimes"`
		TicketID       json.Number `json:"ticketId"`
		TicketName     string      `json:"ticketName"`
		OuterOrderID   string      `json:"outerOrderId"`
	} `json:"activeCodeDetails"`
}

type hwError string

func (e hwError) Error() string { return string(e) }

// handwrittenDeactivate is the call written by hand: the minimum a careful
// program does (sign the request, verify the answer's sign, check success,
// decode content).
func handwrittenDeactivate(ctx context.Context, hc *http.Client, url string, loc *time.Location, codes []string) (*hwResult, error) {
	content, err := json.Marshal(hwContent{BrandID: "4339", CodeArray: codes})
	if err != nil {
		return nil, err
	}
	var rnd [16]byte
	_, _ = rand.Read(rnd[:])
	now := time.Now()
	uuid := now.In(loc).Format("20060102") + "-" + hex.EncodeToString(rnd[:])
	ts := strconv.FormatInt(now.UnixMilli(), 10)
	const headers = `{"paas-version":"1.1.0"}`
	sig := sign.EbuySign([]sign.Param{
		{Key: "action", Value: "batchUnActivateCode"}, {Key: "appId", Value: vecApp}, {Key: "content", Value: string(content)},
		{Key: "headers", Value: headers}, {Key: "lang", Value: "zh_CN"}, {Key: "signType", Value: "sha256"},
		{Key: "timestamp", Value: ts}, {Key: "uuid", Value: uuid},
	}, vecKey)
	body, err := json.Marshal(map[string]any{
		"action": "batchUnActivateCode", "appId": vecApp, "content": json.RawMessage(content),
		"headers": json.RawMessage(headers), "lang": "zh_CN", "sign": sig, "signType": "sha256",
		"timestamp": json.Number(ts), "uuid": uuid,
	})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	var env map[string]json.RawMessage
	if err := json.Unmarshal(raw, &env); err != nil {
		return nil, err
	}
	var got string
	params := make([]sign.Param, 0, len(env))
	for k, v := range env {
		switch {
		case k == "sign":
			if err := json.Unmarshal(v, &got); err != nil {
				return nil, err
			}
		case string(v) == "null":
		case v[0] == '"':
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				return nil, err
			}
			params = append(params, sign.Param{Key: k, Value: s})
		default:
			params = append(params, sign.Param{Key: k, Value: string(v)})
		}
	}
	if !sign.Equal(sign.EbuySign(params, vecKey), got) {
		return nil, hwError("bad sign")
	}
	if string(env["success"]) != "true" {
		return nil, hwError("failure")
	}
	var res hwResult
	if err := json.Unmarshal(env["content"], &res); err != nil {
		return nil, err
	}
	return &res, nil
}
