package taobaofilmtest

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/taobaofilm"
)

// renderBasic renders a batch's "basic" object once.
func renderBasic(b *Batch) ([]byte, error) {
	return json.Marshal(struct {
		BindBeginTime     string `json:"bind_begin_time"`
		CouponExpireTime  string `json:"coupon_expire_time"`
		Denomination      int64  `json:"denomination"`
		MaxBindCount      int64  `json:"max_bind_count,omitempty"`
		MixID             string `json:"mix_id"`
		Name              string `json:"name"`
		TotalCount        int64  `json:"total_count"`
		ValidDays         int64  `json:"valid_days"`
		ValidDurationType string `json:"valid_duration_type"`
		Description       string `json:"description"`
	}{
		BindBeginTime: cntime.Format(b.BindBegin), CouponExpireTime: cntime.Format(b.Expire),
		Denomination: int64(b.Denomination), MaxBindCount: b.MaxBindCount, MixID: b.MixID, Name: b.Name,
		TotalCount: b.Count, ValidDays: b.ValidDays, ValidDurationType: b.ValidDurationType,
		Description: b.Description,
	})
}

// writePage renders one page of codes after sequence after, straight into a
// pooled buffer: codes are computed as they are written, never stored.
// s.mu is held.
func (s *Server) writePage(w http.ResponseWriter, b *batchState, consume bool, after int64, simplify bool) {
	bufp := s.pool.Get().(*[]byte)
	buf := (*bufp)[:0]
	if !simplify {
		buf = append(buf, `{"`+exportResponseKey+`":`...)
	}
	buf = append(buf, `{"result":{"return_code":"0","return_message":"","return_value":{"basic":`...)
	buf = append(buf, b.basic...)
	buf = append(buf, `,"coupon_list":`...)
	if !simplify {
		buf = append(buf, `{"f_code_info":`...)
	}
	buf = append(buf, '[')
	rows, last, n := 0, after, after+1
	for ; n <= b.Count && rows < s.cfg.PageSize; n++ {
		st := b.state(n)
		if consume && st.status != statusRedeemed {
			continue
		}
		if rows > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, `{"code":"`...)
		buf = b.appendCode(buf, n)
		buf = append(buf, `","code_status":`...)
		buf = strconv.AppendInt(buf, int64(st.status), 10)
		buf = append(buf, `,"gmt_modified":"`...)
		buf = cntime.AppendFormat(buf, st.modified)
		buf = append(buf, `","bind_status":`...)
		buf = strconv.AppendInt(buf, int64(st.bind), 10)
		buf = append(buf, '}')
		rows++
		last = n
	}
	hasNext := false
	for m := n; m <= b.Count; m++ {
		if !consume || b.state(m).status == statusRedeemed {
			hasNext = true
			break
		}
	}
	buf = append(buf, ']')
	if !simplify {
		buf = append(buf, '}')
	}
	buf = append(buf, `,"has_next":`...)
	buf = strconv.AppendBool(buf, hasNext)
	buf = append(buf, `,"last_sequence":`...)
	buf = strconv.AppendInt(buf, last, 10)
	buf = append(buf, `,"current_rows":`...)
	buf = strconv.AppendInt(buf, int64(rows), 10)
	buf = append(buf, `}},"request_id":"`...)
	buf = append(buf, s.nextID()...)
	buf = append(buf, `"}`...)
	if !simplify {
		buf = append(buf, '}')
	}
	writeJSON(w, buf)
	*bufp = buf
	s.pool.Put(bufp)
}

// writeBusiness answers a result whose return_code is not "0".
func (s *Server) writeBusiness(w http.ResponseWriter, simplify bool, code, message string) {
	res := map[string]any{"result": map[string]any{"return_code": code, "return_message": message}}
	s.writeResult(w, taobaofilm.MethodExportQuery, simplify, res)
}

// writeResult answers res inside "<method>_response", or at the top level
// with simplify, with a request_id added when res is a JSON object.
func (s *Server) writeResult(w http.ResponseWriter, method string, simplify bool, res any) {
	body, err := json.Marshal(res)
	if err != nil {
		s.writeError(w, Error{Code: 15, Message: "Remote service error", SubCode: "isp.unknown-error", SubMessage: "handler result does not encode"})
		return
	}
	if len(body) >= 2 && body[0] == '{' {
		id := `"request_id":"` + s.nextID() + `"`
		if len(body) > 2 {
			id = "," + id
		}
		body = append(body[:len(body)-1], id+"}"...)
	}
	if !simplify {
		key, _ := json.Marshal(taobaofilm.ResponseKey(method))
		body = append(append(append([]byte{'{'}, key...), ':'), append(body, '}')...)
	}
	writeJSON(w, body)
}

// writeError answers a TOP error_response with HTTP 200, as TOP does.
func (s *Server) writeError(w http.ResponseWriter, e Error) {
	body, _ := json.Marshal(map[string]any{"error_response": struct {
		Code      int    `json:"code"`
		Msg       string `json:"msg"`
		SubCode   string `json:"sub_code,omitempty"`
		SubMsg    string `json:"sub_msg,omitempty"`
		RequestID string `json:"request_id"`
	}{e.Code, e.Message, e.SubCode, e.SubMessage, s.nextID()}})
	writeJSON(w, body)
}

func writeJSON(w http.ResponseWriter, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json;charset=UTF-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}
