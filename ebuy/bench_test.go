package ebuy_test

// The benchmarks of this file pair one typed call with the same request
// written by hand, as a developer outside this project would write it with
// the standard library only (net/http, encoding/json, crypto/sha256): sign
// the request, send it with the same headers and per-attempt timeout, verify
// the answer's sign and uuid, check success and decode content. Nothing here
// comes from couponkit's internal packages; TestHandwrittenSendsTheSDKRequest
// checks that both sides send the same bytes.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/internal/benchkit"
)

const benchBrand = "4339"

// hwSign is e-Buy's sign written with the standard library: the fields
// sorted by key, joined as k=v with '&', then '&' and the secret, SHA-256,
// lowercase hex.
func hwSign(fields map[string]string, secret string) string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	h := sha256.New()
	for i, k := range keys {
		if i > 0 {
			io.WriteString(h, "&")
		}
		io.WriteString(h, k)
		io.WriteString(h, "=")
		io.WriteString(h, fields[k])
	}
	io.WriteString(h, "&")
	io.WriteString(h, secret)
	return hex.EncodeToString(h.Sum(nil))
}

// hwAnswer is a signed success envelope with content for uuid, signed by
// hwSign: the canned answer of the benchmarks.
func hwAnswer(action, uuid string, content any) []byte {
	c, err := json.Marshal(content)
	if err != nil {
		panic(err)
	}
	f := map[string]string{"action": action, "content": string(c), "signType": "sha256", "success": "true", "timestamp": "1715911200456", "uuid": uuid}
	body, err := json.Marshal(map[string]any{
		"action": action, "content": json.RawMessage(c), "sign": hwSign(f, vecKey), "signType": "sha256",
		"success": true, "timestamp": json.Number("1715911200456"), "uuid": uuid,
	})
	if err != nil {
		panic(err)
	}
	return body
}

// hwClient is the hand-written client: post sends one body and returns the
// answer's bytes (net/http or resty underneath).
type hwClient struct {
	base string
	now  func() time.Time
	post func(ctx context.Context, url string, body []byte) ([]byte, error)
}

func newHWClient(hc *http.Client, base string) *hwClient {
	return &hwClient{base: base, now: time.Now, post: func(ctx context.Context, url string, body []byte) ([]byte, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json")
		req.Header.Set("User-Agent", couponkit.DefaultUserAgent)
		resp, err := hc.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		return io.ReadAll(resp.Body)
	}}
}

func newRestyClient(hc *http.Client, base string) *hwClient {
	rc := resty.NewWithClient(hc).SetHeader("User-Agent", couponkit.DefaultUserAgent).SetHeader("Accept", "application/json")
	return &hwClient{base: base, now: time.Now, post: func(ctx context.Context, url string, body []byte) ([]byte, error) {
		r, err := rc.R().SetContext(ctx).SetHeader("Content-Type", "application/json").SetBody(body).Post(url)
		if err != nil {
			return nil, err
		}
		return r.Body(), nil
	}}
}

// body returns the signed request envelope.
func (h *hwClient) body(action, uuid string, content []byte) []byte {
	ts := strconv.FormatInt(h.now().UnixMilli(), 10)
	const headers = `{"paas-version":"1.1.0"}`
	sig := hwSign(map[string]string{
		"action": action, "appId": vecApp, "content": string(content), "headers": headers,
		"lang": "zh_CN", "signType": "sha256", "timestamp": ts, "uuid": uuid,
	}, vecKey)
	body, err := json.Marshal(map[string]any{
		"action": action, "appId": vecApp, "content": json.RawMessage(content), "headers": json.RawMessage(headers),
		"lang": "zh_CN", "sign": sig, "signType": "sha256", "timestamp": json.Number(ts), "uuid": uuid,
	})
	if err != nil {
		panic(err)
	}
	return body
}

// call sends content to api (whose action is its path) and decodes the
// answer's content into out.
func (h *hwClient) call(ctx context.Context, api, uuid string, content any, out any) error {
	return h.callAction(ctx, api, api, uuid, content, out)
}

// callAction sends content to api with action and decodes the answer's
// content into out.
func (h *hwClient) callAction(ctx context.Context, api, action, uuid string, content any, out any) error {
	c, err := json.Marshal(content)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	raw, err := h.post(ctx, h.base+"/paas/micro/ecoupon/"+api, h.body(action, uuid, c))
	if err != nil {
		return err
	}
	var env map[string]json.RawMessage
	if err := json.Unmarshal(raw, &env); err != nil {
		return err
	}
	var got string
	fields := make(map[string]string, len(env))
	for k, v := range env {
		switch {
		case k == "sign":
			if err := json.Unmarshal(v, &got); err != nil {
				return err
			}
		case string(v) == "null":
		case v[0] == '"':
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				return err
			}
			fields[k] = s
		default:
			fields[k] = string(v)
		}
	}
	if subtle.ConstantTimeCompare([]byte(hwSign(fields, vecKey)), []byte(strings.ToLower(got))) != 1 {
		return errors.New("bad sign")
	}
	if fields["success"] != "true" {
		return errors.New("failure: " + fields["errorCode"])
	}
	if fields["uuid"] != uuid {
		return errors.New("answer for another uuid")
	}
	return json.Unmarshal(env["content"], out)
}

// The hand-written side's request and answer types.
type (
	hwDetail struct {
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
	}
	hwBatch struct {
		CodeNum    int64      `json:"codeNum"`
		CreateDate int64      `json:"createDate"`
		Details    []hwDetail `json:"activeCodeDetails"`
	}
	hwStatus struct {
		Code            string      `json:"code"`
		CurrentStatus   string      `json:"currentStatus"`
		StatusDesc      string      `json:"statusDesc"`
		SaleChannelID   string      `json:"saleChannelId"`
		SaleChannelCode string      `json:"saleChannelCode"`
		TicketID        json.Number `json:"ticketId"`
		TicketName      string      `json:"ticketName"`
		ValidStart      string      `json:"validStart"`
		ValidEnd        string      `json:"validEnd"`
	}
	hwStatusList struct {
		List []hwStatus `json:"codeStatusList"`
	}
	hwRecord struct {
		DateTime   string `json:"dateTime"`
		ReturnCode string `json:"returnCode"`
		ReturnMsg  string `json:"returnMsg"`
		Code       string `json:"code"`
		Mid        string `json:"mid"`
		ShopName   string `json:"shopName"`
		Type       string `json:"type"`
		ShopNo     string `json:"shopNo"`
		Tid        string `json:"tid"`
		Swift      string `json:"swift"`
	}
	hwHistory struct {
		ReturnCode string     `json:"returnCode"`
		ReturnMsg  string     `json:"returnMsg"`
		ReturnData []hwRecord `json:"returnData"`
	}
)

// The requests, fields in the order e-Buy's pages list them (encoding/json
// keeps declaration order; the canonical order is ASCII, so they are
// declared sorted to send the same bytes as the SDK).
type (
	hwActivateReq struct {
		CodeArray []string `json:"codeArray"`
	}
	hwDeactivateReq struct {
		BrandID   string   `json:"brandId"`
		CodeArray []string `json:"codeArray"`
	}
	hwUpdateReq struct {
		BrandID    json.Number `json:"brandId"`
		Codes      []string    `json:"codes"`
		UpdateType string      `json:"updateType"`
	}
	hwHistoryReq struct {
		Code string `json:"code"`
	}
	hwProductReq struct {
		ProductID int64 `json:"productId"`
	}
	hwThirdMakeReq struct {
		SaleChannelOrderID string `json:"saleChannelOrderId"`
		TotalCount         string `json:"totalCount"`
		TransDate          string `json:"transDate"`
		TransTime          string `json:"transTime"`
		WhaleTicketID      string `json:"whaleTicketId"`
	}
	hwMakeItemReq struct {
		CodeCount        int    `json:"codeCount"`
		OuterOrderItemID string `json:"outerOrderItemId"`
		TicketID         int64  `json:"ticketId"`
	}
	hwMakeCodesReq struct {
		Item         hwMakeItemReq `json:"item"`
		OuterOrderID string        `json:"outerOrderId"`
	}
	hwCancelReq struct {
		OriginalUUID string `json:"originalUuid"`
	}
	hwStoreReq struct {
		ShopName string `json:"shopName"`
		ShopNo   string `json:"shopNo"`
	}
	hwSyncReq struct {
		BrandID        string     `json:"brandId"`
		CashierTransNo string     `json:"cashierTransNo"`
		CodeList       []string   `json:"codeList"`
		StoreInfo      hwStoreReq `json:"storeInfo"`
		VerifyScene    string     `json:"verifyScene"`
	}
	hwCancelSyncedReq struct {
		BranID       string `json:"branId"`
		OriginalUUID string `json:"originalUuid"`
	}
	hwVoidReq struct {
		Code      string `json:"code"`
		RequestID string `json:"requestId"`
		VoidTime  string `json:"voidTime"`
	}
)

// The hand-written side's answers of the other calls.
type (
	hwProduct struct {
		ProductID     json.Number `json:"productId"`
		ProductName   string      `json:"productName"`
		ProductType   string      `json:"productType"`
		UseTimes      json.Number `json:"useTimes"`
		BrandID       string      `json:"brandId"`
		BrandName     string      `json:"brandName"`
		SendChannelID string      `json:"sendChannelId"`
	}
	hwMadeCode struct {
		Code               string `json:"code"`
		Password           string `json:"password"`
		SendChannelOrderID string `json:"sendChannelOrderId"`
		ExchangeURL        string `json:"exchangeUrl"`
	}
	hwThirdMake struct {
		ReturnCode         string       `json:"returnCode"`
		ReturnMsg          string       `json:"returnMsg"`
		RequestID          string       `json:"requestId"`
		ThirdCodeFamilySet []hwMadeCode `json:"thirdCodeFamilySet"`
	}
	hwIssued struct {
		Code       string `json:"code"`
		CodeSearch string `json:"codeSearch"`
		Password   string `json:"password"`
	}
	hwMakeItem struct {
		OuterOrderItemID string     `json:"outerOrderItemId"`
		TicketID         int64      `json:"ticketId"`
		ValidStart       string     `json:"validStart"`
		ValidEnd         string     `json:"validEnd"`
		CodeDetail       []hwIssued `json:"codeDetail"`
	}
	hwMakeCodes struct {
		OuterOrderID string     `json:"outerOrderId"`
		Item         hwMakeItem `json:"item"`
	}
	hwOrderTime struct {
		OuterOrderID string `json:"outerOrderId"`
		CreateTime   int64  `json:"createTime"`
	}
	hwRedeemed struct {
		Code       string `json:"code"`
		TicketID   int64  `json:"ticketId"`
		TicketName string `json:"ticketName"`
		Amount     int64  `json:"amount"`
		Status     string `json:"status"`
		StatusDesc string `json:"statusDesc"`
	}
	hwSync struct {
		VerifyCodeList []hwRedeemed `json:"verifyCodeList"`
	}
	hwCancelSynced struct {
		VoidNotifyResultBOList []hwRedeemed `json:"voidNotifyResultBOList"`
		OuterOrderID           string       `json:"outerOrderId"`
		CreateTime             int64        `json:"createTime"`
	}
	hwVoid struct {
		OrderRemarks string `json:"orderRemarks"`
		Status       string `json:"status"`
		StatusDesc   string `json:"statusDesc"`
	}
)

// beijingTime formats now in Beijing time with layout, as the hand-written
// side writes e-Buy's times.
func beijingTime(now time.Time, layout string) string {
	return now.In(time.FixedZone("CST", 8*3600)).Format(layout)
}

func (h *hwClient) activate(ctx context.Context, codes []string) (*hwBatch, error) {
	var out hwBatch
	return &out, h.call(ctx, "batchActivateCode", vecUUID, hwActivateReq{CodeArray: codes}, &out)
}

func (h *hwClient) deactivate(ctx context.Context, codes []string) (*hwBatch, error) {
	var out hwBatch
	return &out, h.call(ctx, "batchUnActivateCode", vecUUID, hwDeactivateReq{BrandID: benchBrand, CodeArray: codes}, &out)
}

// freeze sends codes in chunks of 20, four chunks at a time, and returns
// every chunk's answer in order (the first error wins).
func (h *hwClient) freeze(ctx context.Context, codes []string) ([]hwStatus, error) {
	n := (len(codes) + 19) / 20
	lists := make([][]hwStatus, n)
	errs := make([]error, n)
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for i := range n {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			var out hwStatusList
			errs[i] = h.call(ctx, "batchUpdateCodeStatus", vecUUID, hwUpdateReq{BrandID: benchBrand, Codes: codes[i*20 : min(i*20+20, len(codes))], UpdateType: "freeze"}, &out)
			lists[i] = out.List
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	var all []hwStatus
	for _, l := range lists {
		all = append(all, l...)
	}
	return all, nil
}

func (h *hwClient) history(ctx context.Context, code string) (*hwHistory, error) {
	var out hwHistory
	if err := h.call(ctx, "_queryCodeDetailList", vecUUID, hwHistoryReq{Code: code}, &out); err != nil {
		return nil, err
	}
	if out.ReturnCode != "00" {
		return nil, errors.New("returnCode " + out.ReturnCode)
	}
	return &out, nil
}

func benchCodes(n int) []string {
	codes := make([]string, n)
	for i := range codes {
		codes[i] = strconv.Itoa(1031000000000000000 + i)
	}
	return codes
}

func benchDetails(codes []string) []hwDetail {
	out := make([]hwDetail, len(codes))
	for i, c := range codes {
		out[i] = hwDetail{CodeSecret: c, CodeSearch: "Q" + c, ResultCode: "00", ResultMessage: "成功", CodeStatus: "03",
			CodeStatusDesc: "未激活", UseTimes: "1", TicketID: "1031000000010742", TicketName: "咖啡券 20 元", OuterOrderID: "OO20240517001"}
	}
	return out
}

func benchStatuses(codes []string) []hwStatus {
	out := make([]hwStatus, len(codes))
	for i, c := range codes {
		out[i] = hwStatus{Code: c, CurrentStatus: "04", StatusDesc: "冻结", SaleChannelID: "SC01", SaleChannelCode: "wx",
			TicketID: "1031000000010742", TicketName: "咖啡券 20 元", ValidStart: "20240501000000", ValidEnd: "20241231235959"}
	}
	return out
}

func benchRecords(n int) []hwRecord {
	out := make([]hwRecord, n)
	for i := range out {
		out[i] = hwRecord{DateTime: "20240517100000", ReturnCode: "00", ReturnMsg: "成功", Code: "1031000000000000001", Mid: "M001",
			ShopName: "南京西路店", Type: "2", ShopNo: "S" + strconv.Itoa(i), Tid: "T01", Swift: strconv.Itoa(900000 + i)}
	}
	return out
}

// benchCase is one operation at one size: its canned answer and the two
// sides' calls (each checking what it decoded).
type benchCase struct {
	name   string
	answer []byte
	sdk    func(c *ebuy.Client) func() error
	hand   func(h *hwClient) func() error
}

func benchCases() []benchCase {
	ctx := context.Background()
	var cases []benchCase
	for _, n := range []int{2, 200} {
		codes := benchCodes(n)
		cases = append(cases, benchCase{
			name:   fmt.Sprintf("op=DeactivateCodes/codes=%d", n),
			answer: hwAnswer("batchUnActivateCode", vecUUID, hwBatch{CodeNum: int64(n), CreateDate: 1715911200000, Details: benchDetails(codes)}),
			sdk: func(c *ebuy.Client) func() error {
				req := &ebuy.DeactivateCodesRequest{Codes: codes}
				return func() error {
					res, err := c.DeactivateCodes(ctx, req)
					if err == nil && (len(res.Codes) != n || res.Codes[n-1].TicketID != 1031000000010742) {
						err = errors.New("bad answer")
					}
					return err
				}
			},
			hand: func(h *hwClient) func() error {
				return func() error {
					res, err := h.deactivate(ctx, codes)
					if err == nil && (len(res.Details) != n || res.Details[n-1].TicketID != "1031000000010742") {
						err = errors.New("bad answer")
					}
					return err
				}
			},
		})
	}
	// activateCase is ActivateCodes with n codes: one request, any n.
	activateCase := func(n int) benchCase {
		codes := benchCodes(n)
		return benchCase{
			name:   fmt.Sprintf("op=ActivateCodes/codes=%d", n),
			answer: hwAnswer("batchActivateCode", vecUUID, hwBatch{CodeNum: int64(n), CreateDate: 1715911200000}),
			sdk: func(c *ebuy.Client) func() error {
				req := &ebuy.ActivateCodesRequest{Codes: codes}
				return func() error {
					res, err := c.ActivateCodes(ctx, req)
					if err == nil && res.Count != n {
						err = errors.New("bad answer")
					}
					return err
				}
			},
			hand: func(h *hwClient) func() error {
				return func() error {
					res, err := h.activate(ctx, codes)
					if err == nil && res.CodeNum != int64(n) {
						err = errors.New("bad answer")
					}
					return err
				}
			},
		}
	}
	for _, n := range []int{2, 200} {
		cases = append(cases, activateCase(n))
	}
	for _, n := range []int{20, 1000} {
		codes := benchCodes(n)
		// Every chunk gets the answer of the first: the same size as its own.
		cases = append(cases, benchCase{
			name:   fmt.Sprintf("op=UpdateCodeStatus/codes=%d", n),
			answer: hwAnswer("batchUpdateCodeStatus", vecUUID, hwStatusList{List: benchStatuses(codes[:20])}),
			sdk: func(c *ebuy.Client) func() error {
				req := &ebuy.UpdateCodeStatusRequest{Type: ebuy.UpdateFreeze, Codes: codes}
				return func() error {
					res, err := c.UpdateCodeStatus(ctx, req)
					if err == nil && (len(res.Codes) != n || res.Codes[0].Status != ebuy.StatusFrozen) {
						err = errors.New("bad answer")
					}
					return err
				}
			},
			hand: func(h *hwClient) func() error {
				return func() error {
					res, err := h.freeze(ctx, codes)
					if err == nil && (len(res) != 20*((n+19)/20) || res[0].CurrentStatus != "04") {
						err = errors.New("bad answer")
					}
					return err
				}
			},
		})
	}
	for _, n := range []int{3, 300} {
		cases = append(cases, benchCase{
			name:   fmt.Sprintf("op=CodeHistory/records=%d", n),
			answer: hwAnswer("_queryCodeDetailList", vecUUID, hwHistory{ReturnCode: "00", ReturnMsg: "成功", ReturnData: benchRecords(n)}),
			sdk: func(c *ebuy.Client) func() error {
				return func() error {
					res, err := c.CodeHistory(ctx, &ebuy.CodeHistoryRequest{Code: "1031000000000000001"})
					if err == nil && (len(res.Records) != n || res.Records[n-1].ShopNo != "S"+strconv.Itoa(n-1)) {
						err = errors.New("bad answer")
					}
					return err
				}
			},
			hand: func(h *hwClient) func() error {
				return func() error {
					res, err := h.history(ctx, "1031000000000000001")
					if err == nil && (len(res.ReturnData) != n || res.ReturnData[n-1].ShopNo != "S"+strconv.Itoa(n-1)) {
						err = errors.New("bad answer")
					}
					return err
				}
			},
		})
	}
	cases = append(cases, activateCase(10000))
	return append(cases, otherCases()...)
}

// otherCases are the single-request calls, one size each: their answers as
// e-Buy's pages print them.
func otherCases() []benchCase {
	ctx := context.Background()
	const product = 1031000000010742
	redeemed := []hwRedeemed{{Code: "1031000000000000001", TicketID: product, TicketName: "咖啡券 20 元", Amount: 2000, Status: "00", StatusDesc: "成功"}}
	return []benchCase{
		{
			name:   "op=ProductDetail",
			answer: hwAnswer("_getBrandProductDetailDirect", vecUUID, hwProduct{ProductID: "1031000000010742", ProductName: "咖啡券 20 元", ProductType: "cashCoupon", UseTimes: "1", BrandID: benchBrand, BrandName: "咖啡", SendChannelID: "SC01"}),
			sdk: func(c *ebuy.Client) func() error {
				return func() error {
					res, err := c.ProductDetail(ctx, &ebuy.ProductDetailRequest{ProductID: product})
					if err == nil && res.ProductName != "咖啡券 20 元" {
						err = errors.New("bad answer")
					}
					return err
				}
			},
			hand: func(h *hwClient) func() error {
				return func() error {
					var out hwProduct
					err := h.call(ctx, "_getBrandProductDetailDirect", vecUUID, hwProductReq{ProductID: product}, &out)
					if err == nil && (out.ProductID != "1031000000010742" || out.ProductName != "咖啡券 20 元") {
						err = errors.New("bad answer")
					}
					return err
				}
			},
		},
		{
			name: "op=ThirdBatchMake/codes=20",
			answer: hwAnswer("thirdBatchMake", vecUUID, hwThirdMake{ReturnCode: "00", ReturnMsg: "SUCCESS", RequestID: "R-1", ThirdCodeFamilySet: func() []hwMadeCode {
				out := make([]hwMadeCode, 20)
				for i, c := range benchCodes(20) {
					out[i] = hwMadeCode{Code: c, Password: "P" + c[len(c)-6:], SendChannelOrderID: "SO-1", ExchangeURL: "https://x.invalid/" + c}
				}
				return out
			}()}),
			sdk: func(c *ebuy.Client) func() error {
				return func() error {
					res, err := c.ThirdBatchMake(ctx, &ebuy.ThirdBatchMakeRequest{SaleChannelOrderID: "SO-1", TicketID: product, Count: 20})
					if err == nil && len(res.Codes) != 20 {
						err = errors.New("bad answer")
					}
					return err
				}
			},
			hand: func(h *hwClient) func() error {
				return func() error {
					now := h.now()
					var out hwThirdMake
					err := h.call(ctx, "thirdBatchMake", vecUUID, hwThirdMakeReq{SaleChannelOrderID: "SO-1", TotalCount: "20",
						TransDate: beijingTime(now, "20060102"), TransTime: beijingTime(now, "150405"), WhaleTicketID: "1031000000010742"}, &out)
					if err == nil && (out.ReturnCode != "00" || len(out.ThirdCodeFamilySet) != 20) {
						err = errors.New("bad answer")
					}
					return err
				}
			},
		},
		{
			name: "op=MakeCodes/codes=20",
			answer: hwAnswer("makeCode", vecUUID, hwMakeCodes{OuterOrderID: "OO-1", Item: hwMakeItem{OuterOrderItemID: "OO-1", TicketID: product,
				ValidStart: "20240517000000", ValidEnd: "20240817235959", CodeDetail: func() []hwIssued {
					out := make([]hwIssued, 20)
					for i, c := range benchCodes(20) {
						out[i] = hwIssued{Code: c, CodeSearch: c[len(c)-8:], Password: "P" + c[len(c)-6:]}
					}
					return out
				}()}}),
			sdk: func(c *ebuy.Client) func() error {
				return func() error {
					res, err := c.MakeCodes(ctx, &ebuy.MakeCodesRequest{OuterOrderID: "OO-1", TicketID: product, Count: 20})
					if err == nil && len(res.Codes) != 20 {
						err = errors.New("bad answer")
					}
					return err
				}
			},
			hand: func(h *hwClient) func() error {
				return func() error {
					var out hwMakeCodes
					err := h.call(ctx, "makeCode", vecUUID, hwMakeCodesReq{Item: hwMakeItemReq{CodeCount: 20, OuterOrderItemID: "OO-1", TicketID: product}, OuterOrderID: "OO-1"}, &out)
					if err == nil && (out.OuterOrderID != "OO-1" || len(out.Item.CodeDetail) != 20) {
						err = errors.New("bad answer")
					}
					return err
				}
			},
		},
		{
			name:   "op=CancelRedemption",
			answer: hwAnswer("verifyCancel", vecUUID, hwOrderTime{OuterOrderID: "OO-1", CreateTime: 1715911200000}),
			sdk: func(c *ebuy.Client) func() error {
				return func() error {
					res, err := c.CancelRedemption(ctx, &ebuy.CancelRedemptionRequest{OriginalUUID: "20240517-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
					if err == nil && res.OuterOrderID != "OO-1" {
						err = errors.New("bad answer")
					}
					return err
				}
			},
			hand: func(h *hwClient) func() error {
				return func() error {
					var out hwOrderTime
					err := h.callAction(ctx, "verify-verifyCancel", "verifyCancel", vecUUID, hwCancelReq{OriginalUUID: "20240517-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}, &out)
					if err == nil && out.OuterOrderID != "OO-1" {
						err = errors.New("bad answer")
					}
					return err
				}
			},
		},
		{
			name:   "op=SyncRedemptions",
			answer: hwAnswer("codeVerifyNotify", vecUUID, hwSync{VerifyCodeList: redeemed}),
			sdk: func(c *ebuy.Client) func() error {
				return func() error {
					res, err := c.SyncRedemptions(ctx, &ebuy.SyncRedemptionsRequest{CashierTransNo: "T-1", Codes: []string{"1031000000000000001"}, Scene: "offline",
						Store: ebuy.StoreInfo{ShopNo: "1490", ShopName: "南京西路店"}})
					if err == nil && (len(res.Codes) != 1 || res.Codes[0].Amount != 2000) {
						err = errors.New("bad answer")
					}
					return err
				}
			},
			hand: func(h *hwClient) func() error {
				return func() error {
					var out hwSync
					err := h.callAction(ctx, "verify-syncVerifyNotify", "codeVerifyNotify", vecUUID, hwSyncReq{BrandID: benchBrand, CashierTransNo: "T-1",
						CodeList: []string{"1031000000000000001"}, StoreInfo: hwStoreReq{ShopName: "南京西路店", ShopNo: "1490"}, VerifyScene: "offline"}, &out)
					if err == nil && (len(out.VerifyCodeList) != 1 || out.VerifyCodeList[0].Amount != 2000) {
						err = errors.New("bad answer")
					}
					return err
				}
			},
		},
		{
			name:   "op=CancelSyncedRedemptions",
			answer: hwAnswer("codeVerifyVoidNotify", vecUUID, hwCancelSynced{VoidNotifyResultBOList: redeemed, OuterOrderID: "OO-1", CreateTime: 1715911200000}),
			sdk: func(c *ebuy.Client) func() error {
				return func() error {
					res, err := c.CancelSyncedRedemptions(ctx, &ebuy.CancelSyncedRedemptionsRequest{CashierTransNo: "T-1"})
					if err == nil && len(res.Codes) != 1 {
						err = errors.New("bad answer")
					}
					return err
				}
			},
			hand: func(h *hwClient) func() error {
				return func() error {
					var out hwCancelSynced
					err := h.callAction(ctx, "verify-syncVerifyVoidNotify", "codeVerifyVoidNotify", vecUUID, hwCancelSyncedReq{BranID: benchBrand, OriginalUUID: "T-1"}, &out)
					if err == nil && len(out.VoidNotifyResultBOList) != 1 {
						err = errors.New("bad answer")
					}
					return err
				}
			},
		},
		{
			name:   "op=VoidMerchantRedemption",
			answer: hwAnswer("codeVerifyVoidNotify", vecUUID, hwVoid{OrderRemarks: "OO-1", Status: "00", StatusDesc: "撤销成功"}),
			sdk: func(c *ebuy.Client) func() error {
				return func() error {
					res, err := c.VoidMerchantRedemption(ctx, &ebuy.VoidMerchantRedemptionRequest{Code: "1031000000000000001"})
					if err == nil && res.Status != "00" {
						err = errors.New("bad answer")
					}
					return err
				}
			},
			hand: func(h *hwClient) func() error {
				return func() error {
					var out hwVoid
					err := h.callAction(ctx, "verify-codeVerifyVoidNotify", "codeVerifyVoidNotify", vecUUID,
						hwVoidReq{Code: "1031000000000000001", RequestID: vecUUID, VoidTime: beijingTime(h.now(), "20060102150405")}, &out)
					if err == nil && out.Status != "00" {
						err = errors.New("bad answer")
					}
					return err
				}
			},
		},
	}
}

// benchSides returns a client and the two hand-written clients (net/http and
// resty) for base, all on rt (nil: a fresh net/http transport).
func benchSides(tb testing.TB, rt http.RoundTripper, base string, edit ...func(*ebuy.Config)) (*ebuy.Client, *hwClient, *hwClient) {
	tb.Helper()
	var opts []couponkit.Option
	hc := &http.Client{Transport: rt}
	if rt == nil {
		hc.Transport = http.DefaultTransport.(*http.Transport).Clone()
	} else {
		opts = append(opts, couponkit.WithTransport(rt))
	}
	tb.Cleanup(hc.CloseIdleConnections)
	cfg := ebuy.Config{Gateway: base, AppID: vecApp, AppSecret: vecKey, BrandID: benchBrand, NewKey: vecKeyFunc}
	for _, e := range edit {
		e(&cfg)
	}
	c, err := ebuy.NewClient(cfg, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = c.Close() })
	return c, newHWClient(hc, base), newRestyClient(hc, base)
}

// BenchmarkEbuy pairs each typed call with the hand-written call
// (vs=handwritten) and the same hand-written call over resty (vs=resty),
// interleaved in one loop (see benchkit.Paired for the metrics), through a
// loopback server and over an in-memory transport (net=memory: the
// client's own cost), for each framing of the answer and two sizes.
func BenchmarkEbuy(b *testing.B) {
	for _, bc := range benchCases() {
		for _, enc := range benchkit.Encodings {
			srv := httptest.NewServer(benchkit.Handler(bc.answer, enc))
			for _, net := range []string{"loopback", "memory"} {
				var rt http.RoundTripper
				base := srv.URL
				if net == "memory" {
					rt, base = benchkit.NewRoundTripper(bc.answer, enc), "http://bench.invalid"
				}
				c, hand, rst := benchSides(b, rt, base)
				sdk := bc.sdk(c)
				name := fmt.Sprintf("%s/net=%s/enc=%s", bc.name, net, enc)
				b.Run(name+"/vs=handwritten", func(b *testing.B) { benchkit.Paired(b, sdk, bc.hand(hand)) })
				b.Run(name+"/vs=resty", func(b *testing.B) { benchkit.Paired(b, sdk, bc.hand(rst)) })
			}
			srv.Close()
		}
	}
}

// BenchmarkBatchParallel is the throughput of the batch helpers with
// concurrent callers, each updating, activating and deactivating 200 codes
// over an in-memory transport, activation and deactivation split into
// chunks of 50 (Config.MaxCodesPerActivation) like status updates.
func BenchmarkBatchParallel(b *testing.B) {
	codes := benchCodes(200)
	ctx := context.Background()
	for _, bc := range []struct {
		name   string
		answer []byte
		call   func(c *ebuy.Client) error
	}{
		{"op=UpdateCodeStatus", hwAnswer("batchUpdateCodeStatus", vecUUID, hwStatusList{List: benchStatuses(codes[:20])}), func(c *ebuy.Client) error {
			_, err := c.UpdateCodeStatus(ctx, &ebuy.UpdateCodeStatusRequest{Type: ebuy.UpdateFreeze, Codes: codes})
			return err
		}},
		{"op=ActivateCodes", hwAnswer("batchActivateCode", vecUUID, hwBatch{CodeNum: 200, CreateDate: 1715911200000}), func(c *ebuy.Client) error {
			_, err := c.ActivateCodes(ctx, &ebuy.ActivateCodesRequest{Codes: codes})
			return err
		}},
		{"op=DeactivateCodes", hwAnswer("batchUnActivateCode", vecUUID, hwBatch{CodeNum: 200, CreateDate: 1715911200000, Details: benchDetails(codes)}), func(c *ebuy.Client) error {
			_, err := c.DeactivateCodes(ctx, &ebuy.DeactivateCodesRequest{Codes: codes})
			return err
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			c, _, _ := benchSides(b, benchkit.NewRoundTripper(bc.answer, benchkit.Fixed), "http://bench.invalid",
				func(cfg *ebuy.Config) { cfg.MaxCodesPerActivation = 50 })
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := bc.call(c); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(len(codes))*float64(b.N)/b.Elapsed().Seconds(), "codes/s")
		})
	}
}

// BenchmarkUpdateCodeStatusBulk is one UpdateCodeStatus of 10,000 codes (500
// chunks, four in flight) over an in-memory transport, paired with the
// hand-written freeze of the same codes (vs=handwritten; see benchkit.Paired);
// B/op and allocs/op are those of both sides together.
func BenchmarkUpdateCodeStatusBulk(b *testing.B) {
	codes := benchCodes(10000)
	c, hand, _ := benchSides(b, benchkit.NewRoundTripper(hwAnswer("batchUpdateCodeStatus", vecUUID, hwStatusList{List: benchStatuses(codes[:20])}), benchkit.Fixed), "http://bench.invalid")
	req := &ebuy.UpdateCodeStatusRequest{Type: ebuy.UpdateFreeze, Codes: codes}
	sdk := func() error {
		res, err := c.UpdateCodeStatus(context.Background(), req)
		if err == nil && len(res.Codes) != len(codes) {
			err = errors.New("bad answer")
		}
		return err
	}
	hw := func() error {
		res, err := hand.freeze(context.Background(), codes)
		if err == nil && len(res) != len(codes) {
			err = errors.New("bad answer")
		}
		return err
	}
	b.ReportAllocs()
	b.Run("vs=handwritten", func(b *testing.B) { benchkit.Paired(b, sdk, hw) })
}
