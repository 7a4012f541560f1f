package suning_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/sign"
	"github.com/couponkit/couponkit/suning"
)

// BenchmarkCreate compares one Create through the client with the same signed
// request built and sent by hand with net/http and encoding/json, against the
// same loopback server answering a successful createAppoint.
func BenchmarkCreate(b *testing.B) {
	const key, secret = "bench-app-key", "bench-app-secret"
	var (
		mu   sync.Mutex
		last []byte
	)
	answer := []byte(okCreate)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		last = body
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		_, _ = w.Write(answer)
	}))
	defer srv.Close()
	ctx := context.Background()
	req := createRequest(b)
	req.EnrollInfoCode = "SU191028101810140135" // both sides send the same key
	lastBody := func() []byte { mu.Lock(); defer mu.Unlock(); return last }

	var sdkBody, handBody []byte
	b.Run("sdk", func(b *testing.B) {
		c, err := suning.NewClient(suning.Config{Gateway: srv.URL, AppKey: key, AppSecret: secret})
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		b.ReportAllocs()
		for b.Loop() {
			res, err := c.Create(ctx, req)
			if err != nil || res.ActionID == "" {
				b.Fatal(res, err)
			}
		}
		sdkBody = lastBody()
	})
	b.Run("handwritten", func(b *testing.B) {
		hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
		defer hc.CloseIdleConnections()
		b.ReportAllocs()
		for b.Loop() {
			id, err := handCreate(ctx, hc, srv.URL, key, secret, req)
			if err != nil || id == "" {
				b.Fatal(id, err)
			}
		}
		handBody = lastBody()
	})
	if sdkBody != nil && handBody != nil && !bytes.Equal(sdkBody, handBody) {
		b.Fatalf("the two sides sent different bodies:\n%s\n%s", sdkBody, handBody)
	}
}

// handCreate is suning.custom.appoint.create written by hand: the node
// marshalled with encoding/json, signed with the signInfo primitive, sent
// with net/http, and the answer decoded with encoding/json.
func handCreate(ctx context.Context, hc *http.Client, url, key, secret string, r *suning.AppointRequest) (string, error) {
	bj := time.FixedZone("CST", 8*3600)
	tf := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(bj).Format(time.DateTime)
	}
	price := func(y couponkit.Fen) string {
		if y%100 == 0 {
			return strconv.FormatInt(int64(y/100), 10)
		}
		return y.String()
	}
	type goods struct {
		TotalLimit        string `json:"totalLimit"`
		PersonBuyLimit    string `json:"personBuyLimit"`
		Partnumber        string `json:"partnumber"`
		PartName          string `json:"partName"`
		AppointPrice      string `json:"appointPrice"`
		PriceLabel        string `json:"priceLabel"`
		Price             string `json:"price"`
		Standard          string `json:"standard,omitempty"`
		Color             string `json:"color,omitempty"`
		DefaultGoodsFlags string `json:"defaultGoodsFlags"`
		MsgContent        string `json:"msgContent"`
		CatengrpCode      string `json:"catengrpCode"`
	}
	type subGoods struct {
		SubPartName     string `json:"subPartName"`
		SubPartNumber   string `json:"subPartNumber"`
		Count           string `json:"count"`
		SubAppointPrice string `json:"subAppointPrice"`
		SubPrice        string `json:"subPrice"`
		SubTextPrice    string `json:"subTextPrice"`
	}
	type node struct {
		EnrollInfoCode            string     `json:"enrollInfoCode"`
		VersionNumber             string     `json:"versionNumber"`
		ActionID                  string     `json:"actionId,omitempty"`
		ActionType                string     `json:"actionType"`
		ActionName                string     `json:"actionName"`
		OperateType               string     `json:"operateType"`
		AdapteTerminal            string     `json:"adapteTerminal"`
		ActionStartTime           string     `json:"actionStartTime"`
		ScheduleStartTime         string     `json:"scheduleStartTime"`
		ScheduleEndTime           string     `json:"scheduleEndTime"`
		SupervipPurchaseStartTime string     `json:"supervipPurchaseStartTime,omitempty"`
		PurchaseStartTime         string     `json:"purchaseStartTime"`
		TicketResaleStartTime     string     `json:"ticketResaleStartTime"`
		PurchaseEndTime           string     `json:"purchaseEndTime"`
		ActionEndTime             string     `json:"actionEndTime"`
		SendUserMsg               string     `json:"sendUserMsg"`
		SendScalperMsg            string     `json:"sendScalperMsg"`
		ExcludeCitys              string     `json:"excludeCitys"`
		VendorType                string     `json:"vendorType"`
		VendorCode                string     `json:"vendorCode"`
		VendorName                string     `json:"vendorName"`
		TransitFlag               string     `json:"transitFlag"`
		TransitDate               string     `json:"transitDate,omitempty"`
		NoticePhone               string     `json:"noticePhone"`
		OtherTerminalSale         string     `json:"otherTerminalSale"`
		PhoneShareImgURL          string     `json:"phoneShareImgUrl"`
		PhoneShareTitle           string     `json:"phoneShareTitle"`
		PhoneShareContent         string     `json:"phoneShareContent"`
		PhoneShareURL             string     `json:"phoneShareUrl"`
		ReceiveSys                string     `json:"receiveSys"`
		PartType                  string     `json:"partType"`
		OperateUser               string     `json:"operateUser"`
		GoodsList                 []goods    `json:"goodsList,omitempty"`
		GoodsSubList              []subGoods `json:"goodsSubList,omitempty"`
	}
	n := node{
		EnrollInfoCode: r.EnrollInfoCode, VersionNumber: "1", ActionType: string(r.ActionType), ActionName: r.ActionName,
		OperateType: "01", AdapteTerminal: string(r.Terminal),
		ActionStartTime: tf(r.ActionStart), ScheduleStartTime: tf(r.ScheduleStart), ScheduleEndTime: tf(r.ScheduleEnd),
		SupervipPurchaseStartTime: tf(r.SupervipPurchaseStart), PurchaseStartTime: tf(r.PurchaseStart),
		TicketResaleStartTime: tf(r.TicketResaleStart), PurchaseEndTime: tf(r.PurchaseEnd), ActionEndTime: tf(r.ActionEnd),
		SendUserMsg: string(r.SendUserMsg), SendScalperMsg: string(r.SendScalperMsg), ExcludeCitys: strings.Join(r.ExcludeCities, ","),
		VendorType: string(r.VendorType), VendorCode: r.VendorCode, VendorName: r.VendorName,
		TransitFlag: string(r.Transit), TransitDate: tf(r.TransitDate), NoticePhone: r.NoticePhone,
		OtherTerminalSale: string(r.OtherTerminalSale), PhoneShareImgURL: r.ShareImageURL, PhoneShareTitle: r.ShareTitle,
		PhoneShareContent: r.ShareContent, PhoneShareURL: r.ShareURL, ReceiveSys: r.ReceiveSys, PartType: string(r.PartType),
		OperateUser: r.OperateUser,
	}
	for _, g := range r.Goods {
		n.GoodsList = append(n.GoodsList, goods{strconv.Itoa(g.TotalLimit), strconv.Itoa(g.PersonBuyLimit), g.PartNumber, g.PartName,
			price(g.AppointPrice), g.PriceLabel, price(g.Price), g.Standard, g.Color, string(g.DefaultFlag), g.ReminderSMS, g.GeneralCode})
	}
	for _, s := range r.SubGoods {
		n.GoodsSubList = append(n.GoodsSubList, subGoods{s.Name, s.PartNumber, strconv.Itoa(s.Count), price(s.AppointPrice), price(s.Price), s.PriceLabel})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(map[string]any{"sn_request": map[string]any{"sn_body": map[string]any{"createAppoint": n}}}); err != nil {
		return "", err
	}
	body := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))

	ts := time.Now().In(bj).Format(time.DateTime)
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	hr.Header["AppMethod"] = []string{"suning.custom.appoint.create"}
	hr.Header["AppRequestTime"] = []string{ts}
	hr.Header["Format"] = []string{"json"}
	hr.Header["AppKey"] = []string{key}
	hr.Header["VersionNo"] = []string{"v1.2"}
	hr.Header["signInfo"] = []string{sign.SuningSignInfo(secret, "suning.custom.appoint.create", ts, key, "v1.2", body)}
	hr.Header.Set("Content-Type", "application/json;charset=UTF-8")
	resp, err := hc.Do(hr)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	var out struct {
		C struct {
			E *struct {
				Code string `json:"error_code"`
			} `json:"sn_error"`
			B struct {
				N struct {
					ResultCode string `json:"resultCode"`
					ActionID   string `json:"actionId"`
				} `json:"createAppoint"`
			} `json:"sn_body"`
		} `json:"sn_responseContent"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return "", err
	}
	if out.C.E != nil || out.C.B.N.ResultCode != "0" {
		return "", io.ErrUnexpectedEOF
	}
	return out.C.B.N.ActionID, nil
}
