package taobaofilm

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/benchkit"
	"github.com/couponkit/couponkit/internal/transport"
)

// benchPage renders a wrapped export page of n codes as TOP sends it.
func benchPage(n int) []byte {
	b := []byte(`{"film_fcode_export_query_response":{"result":{"return_code":"0","return_message":"","return_value":{"basic":` +
		`{"bind_begin_time":"2019-12-01 00:00:00","coupon_expire_time":"2019-12-02 23:59:59","denomination":400,"max_bind_count":4,` +
		`"mix_id":"code_8ebc4e741689bbc1","name":"淘票票示例活动","total_count":250,"valid_days":1,"valid_duration_type":"DAY","description":"券码描述"},` +
		`"coupon_list":{"f_code_info":[`)
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"code":"2X2QF`...)
		b = strconv.AppendInt(b, int64(100000+i), 10)
		b = append(b, `","code_status":`...)
		b = strconv.AppendInt(b, int64(i%3), 10)
		b = append(b, `,"gmt_modified":"2019-12-01 `...)
		b = fmt.Appendf(b, "%02d:%02d:%02d", i/3600%24, i/60%60, i%60)
		b = append(b, `","bind_status":-1}`...)
	}
	b = append(b, `]},"has_next":true,"last_sequence":`...)
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, `,"current_rows":`...)
	b = strconv.AppendInt(b, int64(n), 10)
	return append(b, `}},"request_id":"bench"}}`...)
}

// reflectPage is the page declared for plain encoding/json.
type reflectPage struct {
	Response struct {
		Result struct {
			ReturnCode  string `json:"return_code"`
			ReturnValue struct {
				Basic struct {
					BindBeginTime     string `json:"bind_begin_time"`
					CouponExpireTime  string `json:"coupon_expire_time"`
					Denomination      int64  `json:"denomination"`
					MaxBindCount      int64  `json:"max_bind_count"`
					MixID             string `json:"mix_id"`
					Name              string `json:"name"`
					TotalCount        int64  `json:"total_count"`
					ValidDays         int64  `json:"valid_days"`
					ValidDurationType string `json:"valid_duration_type"`
					Description       string `json:"description"`
				} `json:"basic"`
				CouponList struct {
					FCodeInfo []struct {
						Code        string `json:"code"`
						CodeStatus  int    `json:"code_status"`
						GmtModified string `json:"gmt_modified"`
						BindStatus  int    `json:"bind_status"`
					} `json:"f_code_info"`
				} `json:"coupon_list"`
				HasNext      bool  `json:"has_next"`
				LastSequence int64 `json:"last_sequence"`
				CurrentRows  int64 `json:"current_rows"`
			} `json:"return_value"`
		} `json:"result"`
		RequestID string `json:"request_id"`
	} `json:"film_fcode_export_query_response"`
}

var benchCST = time.FixedZone("CST", 8*3600)

// reflectDecode reads body with encoding/json alone into the public page.
func reflectDecode(body []byte) (*ExportPage, error) {
	var r reflectPage
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, err
	}
	v := &r.Response.Result.ReturnValue
	p := &ExportPage{HasNext: v.HasNext, LastSequence: v.LastSequence, CurrentRows: v.CurrentRows, Codes: make([]Code, len(v.CouponList.FCodeInfo))}
	b := &v.Basic
	p.Basic = Basic{MixID: b.MixID, Name: b.Name, Description: b.Description, Denomination: couponkit.Fen(b.Denomination),
		MaxBindCount: b.MaxBindCount, TotalCount: b.TotalCount, ValidDays: b.ValidDays, ValidDurationType: ValidDurationType(b.ValidDurationType)}
	var err error
	if p.Basic.BindBeginTime, err = time.ParseInLocation(time.DateTime, b.BindBeginTime, benchCST); err != nil {
		return nil, err
	}
	if p.Basic.CouponExpireTime, err = time.ParseInLocation(time.DateTime, b.CouponExpireTime, benchCST); err != nil {
		return nil, err
	}
	for i, c := range v.CouponList.FCodeInfo {
		t, err := time.ParseInLocation(time.DateTime, c.GmtModified, benchCST)
		if err != nil {
			return nil, err
		}
		p.Codes[i] = Code{Code: c.Code, Status: CodeStatus(c.CodeStatus), Modified: t, Bind: BindStatus(c.BindStatus)}
	}
	return p, nil
}

// decodePage reads an export answer as ExportCodes does: open checks it
// and returns its payload, which transport.Send hands to the wire answer's
// codec (exportAnswer.UnmarshalJSON) and holds to its Complete; then the
// public page.
func decodePage(c *Client, body []byte) (*ExportPage, error) {
	resp := &transport.Response{StatusCode: 200, Body: body}
	data, err := c.open(opExport, "", &topRequest{key: ResponseKey(MethodExportQuery)}, resp)
	if err != nil {
		return nil, err
	}
	var a exportAnswer
	if err := a.UnmarshalJSON(data); err != nil {
		return nil, err
	}
	if err := a.Complete(); err != nil {
		return nil, err
	}
	return a.page(couponkit.Meta{RequestID: resp.RequestID}), nil
}

// declaredPage reads an export answer as ExportCodes would without the
// codec: open, then encoding/json reading the declared wire answer.
func declaredPage(c *Client, body []byte) (*ExportPage, error) {
	resp := &transport.Response{StatusCode: 200, Body: body}
	data, err := c.open(opExport, "", &topRequest{key: ResponseKey(MethodExportQuery)}, resp)
	if err != nil {
		return nil, err
	}
	var a exportAnswer
	if err := json.Unmarshal(data, (*exportAnswerJSON)(&a)); err != nil {
		return nil, err
	}
	if err := a.Complete(); err != nil {
		return nil, err
	}
	return a.page(couponkit.Meta{RequestID: resp.RequestID}), nil
}

// BenchmarkDecodePage pairs the package's export decoding (decodePage),
// decoding alone, no request, on the same answer, with:
//   - vs=encoding-json: plain encoding/json reflection into a struct declared
//     for the wrapped shape alone, and the same public page (reflectDecode);
//   - vs=declared: the same typed call without its codec, encoding/json
//     reading the declared wire answer (declaredPage): what keeping the
//     codec saves.
func BenchmarkDecodePage(b *testing.B) {
	c := &Client{}
	for _, n := range []int{10, 100, 1000} {
		body := benchPage(n)
		check := func(p *ExportPage, err error) error {
			if err == nil && len(p.Codes) != n {
				err = fmt.Errorf("%d codes", len(p.Codes))
			}
			return err
		}
		sdk := func() error { return check(decodePage(c, body)) }
		b.Run("codes="+strconv.Itoa(n)+"/vs=encoding-json", func(b *testing.B) {
			benchkit.Paired(b, sdk, func() error { return check(reflectDecode(body)) })
		})
		b.Run("codes="+strconv.Itoa(n)+"/vs=declared", func(b *testing.B) {
			benchkit.Paired(b, sdk, func() error { return check(declaredPage(c, body)) })
		})
	}
}

// TestDecodePageAgreesWithEncodingJSON checks that the benchmark's sides
// read the same page.
func TestDecodePageAgreesWithEncodingJSON(t *testing.T) {
	body := benchPage(50)
	got, err := decodePage(&Client{}, body)
	if err != nil {
		t.Fatal(err)
	}
	want, err := reflectDecode(body)
	if err != nil {
		t.Fatal(err)
	}
	declared, err := declaredPage(&Client{}, body)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, declared) {
		t.Fatalf("the codec and encoding/json read different pages:\n%+v\n%+v", got, declared)
	}
	if len(got.Codes) != len(want.Codes) || got.HasNext != want.HasNext || got.LastSequence != want.LastSequence || got.CurrentRows != want.CurrentRows ||
		!got.Basic.BindBeginTime.Equal(want.Basic.BindBeginTime) || got.Basic.Name != want.Basic.Name || got.Basic.Denomination != want.Basic.Denomination {
		t.Fatalf("pages differ:\n%+v\n%+v", got, want)
	}
	for i := range got.Codes {
		g, w := got.Codes[i], want.Codes[i]
		if g.Code != w.Code || g.Status != w.Status || g.Bind != w.Bind || !g.Modified.Equal(w.Modified) {
			t.Fatalf("code %d: %+v, want %+v", i, g, w)
		}
	}
}
