package taobaofilmtest

import (
	"encoding/json"
	"net/http"

	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/taobaofilm"
)

// The issue methods. Codes issued are appended to the batch (its Count and
// total_count grow) as normal codes bound at the fake's time, so they appear
// in the batch's export after the codes it was seeded with.
const (
	sendMethod     = taobaofilm.MethodSendCodes
	merchantMethod = taobaofilm.MethodMerchantSend
	sendParam      = taobaofilm.SendParam
)

// issueRoutes are the routes of this file's methods.
func issueRoutes(Config) []fakekit.Route[handler] {
	return []fakekit.Route[handler]{
		{API: sendMethod, Handler: (*Server).issue},
		{API: merchantMethod, Handler: (*Server).issue},
	}
}

var _ = areas.Add(issueRoutes)

// issueRequest is what the fake reads of param_f_code_merchant_send_code_request.
type issueRequest struct {
	MixID        string `json:"mix_id"`
	ProductMixID string `json:"product_mix_id"`
	PartnerCode  string `json:"partner_code"`
	ExtOrderID   string `json:"ext_order_id"`
	Number       int64  `json:"number"`
	EachCount    *int64 `json:"each_num"`
}

// issue answers sendcode (the batch is mix_id; each_num is required, as
// apiId 37323 marks it; a repeated ext_order_id gets the first answer and
// issues nothing, the de-duplication SendCodes is Keyed on) and merchant.send
// (the batch is product_mix_id; every request issues, as nothing documents
// de-duplication for it). sendcode answers in result, merchant.send flat in
// the response object (see renderIssue). A missing each_num is code 40
// (isv.missing-parameter), an each_num outside 1..number code 41: the fake's
// choice, as TOP documents no code for a member of a struct parameter.
func (s *Server) issue(w http.ResponseWriter, q *request) {
	p, method, simplify := q.params, q.method, q.simplify
	raw := p.Get(sendParam)
	if raw == "" {
		s.writeError(w, Error{Code: 40, Message: "Missing required arguments:" + sendParam, SubCode: "isv.missing-parameter", SubMessage: sendParam})
		return
	}
	var req issueRequest
	if err := json.Unmarshal([]byte(raw), &req); err != nil {
		s.writeError(w, Error{Code: 41, Message: "Invalid Arguments", SubCode: "isv.invalid-parameter", SubMessage: sendParam + " is not a JSON object"})
		return
	}
	mix := req.MixID
	if method == merchantMethod {
		mix = req.ProductMixID
	}
	if method == sendMethod && req.EachCount == nil {
		// apiId 37323 marks each_num required; 24722 leaves it optional.
		s.writeError(w, Error{Code: 40, Message: "Missing required arguments:each_num", SubCode: "isv.missing-parameter", SubMessage: "each_num"})
		return
	}
	for _, c := range []struct {
		name string
		bad  bool
	}{
		{"ext_order_id", req.ExtOrderID == ""}, {"partner_code", req.PartnerCode == ""}, {"number", req.Number <= 0 || req.Number > 10_000},
		{"each_num", req.EachCount != nil && (*req.EachCount <= 0 || *req.EachCount > req.Number)},
	} {
		if c.bad {
			s.writeError(w, Error{Code: 41, Message: "Invalid Arguments", SubCode: "isv.invalid-parameter", SubMessage: c.name})
			return
		}
	}
	run := func() ([]byte, bool) { return s.issueCodes(method, simplify, mix, &req) }
	var body []byte
	if method == sendMethod {
		body, _ = s.replay.DoAPI(method, req.ExtOrderID, run)
	} else {
		body, _ = run()
	}
	writeJSON(w, body)
}

// issueCodes appends req.Number codes to batch mix and renders the answer;
// ok is false for a business failure (nothing issued).
func (s *Server) issueCodes(method string, simplify bool, mix string, req *issueRequest) (answer []byte, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, found := s.batches[mix]
	switch {
	case !found:
		return s.renderIssue(method, simplify, ReturnCodeMixIDNotFound, "码商品不存在", nil), false
	case b.PartnerCode != req.PartnerCode:
		return s.renderIssue(method, simplify, ReturnCodePartnerMismatch, "渠道编码不匹配", nil), false
	}
	now := s.Clock().Now()
	s.tasks++
	codes := make([]map[string]any, 0, req.Number)
	for range req.Number {
		b.Count++
		b.issued++
		b.overrides[b.Count] = codeState{status: statusNormal, bind: bindBound, modified: now}
		codes = append(codes, map[string]any{
			"code": string(b.appendCode(nil, b.Count)), "cost_price": int64(b.Denomination),
			"gen_task_id": s.tasks, "gmt_expire": cntime.Format(b.Expire),
		})
	}
	if basic, err := renderBasic(&b.Batch); err == nil {
		b.basic = basic
	}
	s.codesSent(method, req.ExtOrderID, mix, codes, now)
	return s.renderIssue(method, simplify, "0", "success", codes), true
}

// renderIssue renders an issue answer as each method's page prints it.
// sendcode (apiId 37323): in result, f_code_merchant_info_list a list of
// FCodeMerchantVo, wrapped in {"f_code_merchant_vo":[…]} unless simplify.
// merchant.send (apiId 24722): flat in the response object, each element an
// Fcodemerchantinfolist holding the code in fcode_merchant_info, the list
// wrapped in {"fcodemerchantinfolist":[…]} unless simplify.
func (s *Server) renderIssue(method string, simplify bool, code, message string, codes []map[string]any) []byte {
	res := map[string]any{"return_code": code, "return_message": message}
	if code == "0" {
		var list any = codes
		wrapper := "f_code_merchant_vo"
		if method == merchantMethod {
			infos := make([]map[string]any, len(codes))
			for i, c := range codes {
				infos[i] = map[string]any{"fcode_merchant_info": c}
			}
			list, wrapper = infos, "fcodemerchantinfolist"
		}
		if !simplify {
			list = map[string]any{wrapper: list}
		}
		res["return_value"] = map[string]any{"f_code_merchant_info_list": list}
	}
	payload := res
	if method == sendMethod {
		payload = map[string]any{"result": res}
	}
	payload["request_id"] = s.nextID()
	body, _ := json.Marshal(payload)
	if !simplify {
		key, _ := json.Marshal(taobaofilm.ResponseKey(method))
		body = append(append(append([]byte{'{'}, key...), ':'), append(body, '}')...)
	}
	return body
}

// Issued returns how many codes the issue methods have added to batch mixID.
func (s *Server) Issued(mixID string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b, ok := s.batches[mixID]; ok {
		return b.issued
	}
	return 0
}
