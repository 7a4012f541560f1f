package suningtest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/sign"
	"github.com/couponkit/couponkit/suning"
)

// snError is the vendor's error node.
type snError struct {
	Code    string `json:"error_code"`
	Message string `json:"error_msg"`
}

func errorEnvelope(code, msg string) any {
	return map[string]any{"sn_responseContent": map[string]any{"sn_error": snError{code, msg}}}
}

func bodyEnvelope(node string, v any) any {
	return map[string]any{"sn_responseContent": map[string]any{"sn_body": map[string]any{node: v}}}
}

func writeJSON(w http.ResponseWriter, v any) {
	b, err := jsonx.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	_, _ = w.Write(b)
}

// method is how the fake serves one Suning method: its business node, and
// the handler that answers the node's value with the answer's node (or a
// whole answer body as a json.RawMessage) or the vendor error found.
type method struct {
	node  string
	serve func(s *Server, node json.RawMessage) (any, *fail)
}

// route is one method the fake serves, by its name (the AppMethod header):
// the gateway takes every method on one URL, so routes have no path.
type route = fakekit.Route[method]

// areas are the fake's route lists: each area file adds its own.
var areas fakekit.Areas[Config, method]

// newRoutes returns the fake's route table for cfg, from each area file's
// list.
func newRoutes(cfg Config) *fakekit.Routes[method] { return areas.Routes(cfg) }

// fail is a vendor error found while serving a request.
type fail struct{ code, msg string }

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if r.URL.Path == OAuthTokenPath {
		s.oauthToken(w, r)
		return
	}
	name := r.Header.Get(suning.HeaderAppMethod)
	if r.URL.Path != GatewayPath && r.URL.Path != GatewayPath+"/"+name {
		http.NotFound(w, r)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read error", http.StatusBadRequest)
		return
	}
	if f := s.checkHeaders(r.Header, body); f != nil {
		writeJSON(w, errorEnvelope(f.code, f.msg))
		return
	}
	rt, ok := s.routes.ByAPI(name)
	if !ok {
		writeJSON(w, errorEnvelope(suning.CodeAPIInexistence, "Api方法不存在"))
		return
	}
	node, f := parseRequest(body, rt.Handler.node)
	if f == nil {
		var answer any
		if answer, f = rt.Handler.serve(s, node); f == nil {
			if raw, ok := answer.(json.RawMessage); ok {
				w.Header().Set("Content-Type", "application/json;charset=UTF-8")
				_, _ = w.Write(raw)
				return
			}
			writeJSON(w, bodyEnvelope(rt.Handler.node, answer))
			return
		}
	}
	writeJSON(w, errorEnvelope(f.code, f.msg))
}

// checkHeaders verifies the common parameters and the signature, in the order
// a gateway would: presence, app key, time, signature, token, format, version.
func (s *Server) checkHeaders(h http.Header, body []byte) *fail {
	method, appKey := h.Get(suning.HeaderAppMethod), h.Get(suning.HeaderAppKey)
	ts, version, sig := h.Get(suning.HeaderAppRequestTime), h.Get(suning.HeaderVersionNo), h.Get(suning.HeaderSignInfo)
	switch {
	case method == "" || appKey == "":
		return &fail{suning.CodeHeaderParamNull, "header参数为空"}
	case ts == "":
		return &fail{suning.CodeMissingRequestTime, "请求时间丢失"}
	case version == "":
		return &fail{suning.CodeMissingAPIVersion, "API版本号未指定"}
	case sig == "":
		return &fail{suning.CodeSignNull, "签名信息为空"}
	case appKey != s.cfg.AppKey:
		return &fail{suning.CodeUserInexistence, "用户key不存在"}
	}
	t, err := cntime.Parse(ts)
	if err != nil || cntime.Skew(t, s.Clock().Now()) > s.cfg.MaxSkew {
		return &fail{suning.CodeAppTime, "请求参数错误api请求时间误差大"}
	}
	want := sign.SuningSignInfo(s.cfg.AppSecret, method, ts, appKey, version, body)
	if !sign.Equal(sig, want) {
		return &fail{suning.CodeSignError, "签名信息错误"}
	}
	if f := s.checkToken(h.Get(suning.HeaderAccessToken)); f != nil {
		return f
	}
	if !strings.EqualFold(h.Get(suning.HeaderFormat), "json") {
		// The vendor's default format is XML: a JSON body read as XML is a
		// malformed request.
		return &fail{suning.CodeRequestParams, "请求报文结构错误"}
	}
	if version != s.cfg.VersionNo {
		return &fail{suning.CodeAPIInexistence, "Api方法不存在"}
	}
	return nil
}

// parseRequest returns the business node of a request body.
func parseRequest(body []byte, node string) (json.RawMessage, *fail) {
	var req struct {
		Request *struct {
			Body map[string]json.RawMessage `json:"sn_body"`
		} `json:"sn_request"`
	}
	if err := json.Unmarshal(body, &req); err != nil || req.Request == nil {
		return nil, &fail{suning.CodeRequestParams, "请求报文结构错误"}
	}
	if req.Request.Body == nil {
		return nil, &fail{suning.CodeMissingSnBody, "缺少sn_body节点"}
	}
	raw, ok := req.Request.Body[node]
	if !ok || len(req.Request.Body) != 1 {
		return nil, &fail{suning.CodeRequestParams, "请求报文结构错误"}
	}
	return raw, nil
}
