package houcallertest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// The fake's error codes, as [Server.FailNext] takes them: strings holding
// integers, written on the wire as JSON numbers (as JSON strings with
// Config.CodeAsString) and reported by the client as couponkit.Error.Code. The
// vendor documents none but 0 [open]; the others are the fake's own, answered
// with HTTP 200 as such gateways usually do (CodeNoEndpoint with 404).
const (
	// CodeOK is success.
	CodeOK = "0"
	// CodeBadRequest: the body is not the {channel, timestamp, param} JSON,
	// the timestamp is not 13 digits, or the method is not POST.
	CodeBadRequest = "1001"
	// CodeUnknownChannel: the channel is not the server's.
	CodeUnknownChannel = "1002"
	// CodeDecryptFailed: param is not hex, does not decrypt with the
	// channel's key, or is not a JSON object once decrypted.
	CodeDecryptFailed = "1003"
	// CodeBadParam: a business parameter is missing or malformed.
	CodeBadParam = "1004"
	// CodeCardNotFound: cardInfoId names no card on sale.
	CodeCardNotFound = "2001"
	// CodeDuplicateSerial: a consumption's serialCode was recorded before
	// (unless Config.DedupConsumptions).
	CodeDuplicateSerial = "2002"
	// CodeNoEndpoint: the endpoint does not exist (with HTTP 404).
	CodeNoEndpoint = "404"
)

// handler answers one API's requests with the decrypted business JSON.
type handler = func(*Server, http.ResponseWriter, []byte)

// route is the route of api at GatewayPath + "/" + api, as on the vendor's
// test gateway.
func route(api string, h handler) fakekit.Route[handler] {
	return fakekit.Route[handler]{API: api, Path: GatewayPath + "/" + api, Handler: h}
}

// areas are the fake's route lists: each area file adds the function that
// lists its routes, beside it.
var areas fakekit.Areas[Config, handler]

// newRoutes is the fake's route table for cfg, from the routes each area
// file adds.
func newRoutes(cfg Config) *fakekit.Routes[handler] { return areas.Routes(cfg) }

// requestEnvelope is what every request carries.
type requestEnvelope struct {
	Channel   string `json:"channel"`
	Timestamp string `json:"timestamp"`
	Param     string `json:"param"`
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	rt, ok := s.routes.ByPath(r.URL.Path)
	if !ok {
		writeJSON(w, http.StatusNotFound, s.envelope(CodeNoEndpoint, "接口不存在: "+endpointOf(r), nil))
		return
	}
	if r.Method != http.MethodPost {
		writeJSON(w, http.StatusMethodNotAllowed, s.envelope(CodeBadRequest, "请使用POST", nil))
		return
	}
	plain, code, msg := s.open(r)
	if code != CodeOK {
		s.reply(w, code, msg, nil)
		return
	}
	rt.Handler(s, w, plain)
}

// endpointOf is the last path element, such as "sendMncardForSale".
func endpointOf(r *http.Request) string {
	return r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
}

// open checks the request envelope and decrypts param.
func (s *Server) open(r *http.Request) (plain []byte, code, msg string) {
	var env requestEnvelope
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(&env); err != nil {
		return nil, CodeBadRequest, "请求体不是合法的JSON"
	}
	switch {
	case env.Channel == "":
		return nil, CodeBadRequest, "缺少参数: channel"
	case env.Timestamp == "":
		return nil, CodeBadRequest, "缺少参数: timestamp"
	case env.Param == "":
		return nil, CodeBadRequest, "缺少参数: param"
	case env.Channel != s.cfg.Channel:
		return nil, CodeUnknownChannel, "渠道不存在: " + env.Channel
	case !isMillis(env.Timestamp):
		return nil, CodeBadRequest, "timestamp应为13位毫秒时间戳"
	}
	plain, err := s.cipher.DecryptHex(env.Param)
	if err != nil {
		return nil, CodeDecryptFailed, "参数解密失败"
	}
	plain = bytes.TrimSpace(plain)
	if len(plain) == 0 || plain[0] != '{' || !json.Valid(plain) {
		return nil, CodeDecryptFailed, "参数解密失败"
	}
	return plain, CodeOK, ""
}

// decodeParam decodes the business JSON plain into v, or answers
// CodeBadParam and reports false when it does not fit.
func (s *Server) decodeParam(w http.ResponseWriter, plain []byte, v any) bool {
	if err := json.Unmarshal(plain, v); err != nil {
		s.reply(w, CodeBadParam, "参数格式错误", nil)
		return false
	}
	return true
}

// amount reads a yuan amount as the client sends it (a JSON string or
// number with at most two decimals, not negative); absent, null, "" and
// anything else are not an amount.
func amount(v jsonx.Flex) (couponkit.Fen, bool) {
	var y wiretype.Yuan
	if v == "" || y.UnmarshalText([]byte(v)) != nil || y < 0 {
		return 0, false
	}
	return couponkit.Fen(y), true
}

// isMillis reports whether ts is 13 digits, epoch milliseconds as the vendor
// sends them.
func isMillis(ts string) bool {
	_, err := strconv.ParseUint(ts, 10, 64)
	return len(ts) == 13 && err == nil
}

// envelope is a response body: {"code":…, "data":…, "msg":…} ("smg" with
// Config.MisspellMsg). A code holding an integer is written as a JSON number
// unless Config.CodeAsString; any other code as a JSON string.
func (s *Server) envelope(code, msg string, data any) []byte {
	m := make(map[string]any, 3)
	m["code"] = code
	if n, err := strconv.Atoi(code); err == nil && !s.cfg.CodeAsString {
		m["code"] = n
	}
	if s.cfg.MisspellMsg {
		m["smg"] = msg
	} else {
		m["msg"] = msg
	}
	m["data"] = data
	b, err := jsonx.Marshal(m)
	if err != nil {
		panic("houcallertest: " + err.Error())
	}
	return b
}

func (s *Server) reply(w http.ResponseWriter, code, msg string, data any) {
	writeJSON(w, http.StatusOK, s.envelope(code, msg, data))
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
