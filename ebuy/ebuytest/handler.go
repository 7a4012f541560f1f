package ebuytest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/internal/wire"
	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/sign"
)

const apiPrefix = "/paas/micro/ecoupon/"

// request is a verified request.
type request struct {
	api, action, uuid string
	content           []byte
}

// apiError is a refusal, answered as an e-Buy error envelope.
type apiError struct{ code, msg string }

func fail(code, format string, args ...any) *apiError {
	return &apiError{code: code, msg: fmt.Sprintf(format, args...)}
}

// handler is one API of the fake: what it does with a verified request,
// and for a write how a repeat of it is recognised.
type handler struct {
	// do acts on the request and returns the answer's content, or a
	// refusal.
	do func(*Server, *request) (any, *apiError)
	// repeat, for a write, returns the key a repeat of the request is
	// recognised by (its stored answer is sent again, nothing is done
	// twice; an empty key is not de-duplicated), and whether that answer is
	// addressed anew to the repeat's own uuid (when the key is not the
	// uuid). Nil for a read.
	repeat func(*Server, *request) (key string, readdress bool)
}

// route is one API the fake serves.
type route = fakekit.Route[handler]

// at returns the route of the API api served at its own path, /paas/micro/ecoupon/api.
func at(api string, h handler) route { return route{API: api, Path: apiPrefix + api, Handler: h} }

// areas are the route lists of the fake's area files, each added by its
// file beside the function that lists them.
var areas fakekit.Areas[Config, handler]

// newRoutes is the table of every API the fake serves, from each area's
// routes for cfg.
func newRoutes(cfg Config) *fakekit.Routes[handler] { return areas.Routes(cfg) }

// byUUID recognises a repeated write by its uuid: e-Buy's de-duplication of
// a write repeated with the same uuid (assumed, as package ebuy assumes it).
// With Config.IgnoreUUID there is no such rule: every write runs anew.
func byUUID(s *Server, req *request) (string, bool) {
	if s.cfg.IgnoreUUID {
		return "", false
	}
	return req.uuid, false
}

// byMember returns a repeat rule keyed on the content member name (a
// request without it falls back to its uuid), prefixed with prefix(s).
func byMember(name string, prefix func(*Server) string) func(*Server, *request) (string, bool) {
	return func(s *Server, req *request) (string, bool) {
		key := wire.ScalarMember(req.content, name)
		if key == "" {
			key = req.uuid
		}
		return prefix(s) + name + "|" + key, true
	}
}

// noPrefix is a byMember prefix for a key that holds forever.
func noPrefix(*Server) string { return "" }

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	if r.Method != http.MethodPost {
		w.WriteHeader(http.StatusMethodNotAllowed)
		_, _ = w.Write(unsignedFailure("", "", ebuy.ErrCodeParamInvalid, "POST only"))
		return
	}
	rt, ok := s.routes.ByPath(r.URL.Path)
	if !ok {
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write(unsignedFailure("", "", ebuy.ErrCodeParamInvalid, "no such API: "+r.URL.Path))
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	req, refusal := s.verify(rt.API, body)
	if refusal != nil {
		_, _ = w.Write(refusal)
		return
	}
	h := rt.Handler
	run := func() ([]byte, bool) {
		content, e := h.do(s, req)
		return s.answerFor(req, content, e), e == nil
	}
	var (
		answer    []byte
		key       string
		readdress bool
	)
	if h.repeat != nil {
		key, readdress = h.repeat(s, req)
	}
	if key == "" {
		answer, _ = run()
	} else {
		var replayed bool
		answer, replayed = s.replay.DoAPI(req.api, key, run)
		if replayed && readdress {
			// The stored answer, addressed to this request: the envelope is
			// per request even when its content is de-duplicated.
			answer = s.readdress(answer, req.uuid)
		}
	}
	_, _ = w.Write(answer)
}

// verify checks the envelope: appId, signType, sign (over the fields as
// received, content as its exact text), uuid, timestamp, content. It returns
// the request, or the refusal to answer with.
func (s *Server) verify(api string, body []byte) (*request, []byte) {
	fields, err := wire.Fields(body)
	if err != nil {
		return nil, unsignedFailure("", "", ebuy.ErrCodeParamInvalid, "body is not a JSON object")
	}
	action, uuid := wire.String(fields, "action"), wire.String(fields, "uuid")
	if wire.String(fields, "appId") != s.cfg.AppID {
		return nil, unsignedFailure(action, uuid, ebuy.ErrCodeAppIDInvalid, "unknown appId")
	}
	if wire.String(fields, "signType") != wire.SignType {
		return nil, unsignedFailure(action, uuid, ebuy.ErrCodeSignInvalid, "signType must be sha256")
	}
	got := wire.String(fields, "sign")
	ps, err := wire.Params(fields)
	if got == "" || err != nil || !sign.Equal(sign.EbuySign(ps, s.cfg.AppSecret), got) {
		return nil, unsignedFailure(action, uuid, ebuy.ErrCodeSignInvalid, "sign check failed")
	}
	ts := wire.Get(fields, "timestamp")
	content := wire.Get(fields, "content")
	switch {
	case action == "":
		return nil, s.failure(action, uuid, ebuy.ErrCodeParamInvalid, "action is required")
	case uuid == "" || len(uuid) > 50:
		return nil, s.failure(action, uuid, ebuy.ErrCodeParamInvalid, "uuid is required, at most 50 characters")
	case len(ts) == 0 || ts[0] < '0' || ts[0] > '9':
		return nil, s.failure(action, uuid, ebuy.ErrCodeParamInvalid, "timestamp must be a number of milliseconds")
	case len(content) == 0 || content[0] != '{':
		return nil, s.failure(action, uuid, ebuy.ErrCodeParamInvalid, "content must be an object")
	}
	return &request{api: api, action: action, uuid: uuid, content: content}, nil
}

// answer is the signed envelope for a handler's result.
func (s *Server) answer(req *request, content any, e *apiError) []byte {
	if e != nil {
		return s.failure(req.action, req.uuid, e.code, e.msg)
	}
	c, err := jsonx.Canonical(content)
	if err != nil {
		return s.failure(req.action, req.uuid, ebuy.ErrCodeSystem, "cannot encode answer")
	}
	b, _ := wire.Signed([]wire.Field{
		wire.Str("action", req.action), wire.Raw("content", c), wire.Str("errorCode", ""), wire.Str("errorMessage", ""),
		wire.Str("signType", wire.SignType), wire.Raw("success", []byte("true")), s.timestamp(), wire.Str("uuid", req.uuid),
	}, s.cfg.AppSecret)
	return b
}

// failure is a signed error envelope.
func (s *Server) failure(action, uuid, code, msg string) []byte {
	b, _ := wire.Signed([]wire.Field{
		wire.Str("action", action), wire.Str("errorCode", code), wire.Str("errorMessage", msg),
		wire.Str("signType", wire.SignType), wire.Raw("success", []byte("false")), s.timestamp(), wire.Str("uuid", uuid),
	}, s.cfg.AppSecret)
	return b
}

// unsignedFailure is an error envelope without a sign, as a gateway answers
// requests it cannot authenticate.
func unsignedFailure(action, uuid, code, msg string) []byte {
	b := []byte(`{"action":`)
	b = jsonx.AppendString(b, action)
	b = append(b, `,"errorCode":`...)
	b = jsonx.AppendString(b, code)
	b = append(b, `,"errorMessage":`...)
	b = jsonx.AppendString(b, msg)
	b = append(b, `,"success":false,"uuid":`...)
	b = jsonx.AppendString(b, uuid)
	return append(b, '}')
}

// writeFailure answers r with a signed error envelope (FailNext).
func (s *Server) writeFailure(w http.ResponseWriter, r *http.Request, code, msg string) {
	body, _ := io.ReadAll(r.Body)
	var action, uuid string
	if fields, err := wire.Fields(body); err == nil {
		action, uuid = wire.String(fields, "action"), wire.String(fields, "uuid")
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	_, _ = w.Write(s.failure(action, uuid, code, msg))
}

func (s *Server) timestamp() wire.Field {
	return wire.Raw("timestamp", strconv.AppendInt(nil, s.Clock().Now().UnixMilli(), 10))
}

// readdress returns answer with its uuid set to uuid (added where the
// answer has none) and signed again.
func (s *Server) readdress(answer []byte, uuid string) []byte {
	fields, err := wire.Fields(answer)
	if err != nil {
		return answer
	}
	out := make([]wire.Field, 0, len(fields)+1)
	for _, f := range fields {
		switch f.Key {
		case "sign", "uuid":
		default:
			out = append(out, f)
		}
	}
	out = append(out, wire.Str("uuid", uuid))
	b, err := wire.Signed(out, s.cfg.AppSecret)
	if err != nil {
		return answer
	}
	return b
}

// unsignedObject writes fields as a JSON object, in their order.
func unsignedObject(fields []wire.Field) []byte {
	b := []byte{'{'}
	for i, f := range fields {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonx.AppendString(b, f.Key)
		b = append(b, ':')
		b = append(b, f.Value...)
	}
	return append(b, '}')
}

// tamperSign changes one hex digit of an answer's sign.
func tamperSign(body []byte) []byte {
	i := bytes.Index(body, []byte(`"sign":"`))
	if i < 0 {
		return append(body[:len(body):len(body)], ' ')
	}
	out := bytes.Clone(body)
	j := i + len(`"sign":"`)
	if out[j] == '0' {
		out[j] = '1'
	} else {
		out[j] = '0'
	}
	return out
}

// decode unmarshals a request's content, or refuses it.
func decode(req *request, v any) *apiError {
	if err := json.Unmarshal(req.content, v); err != nil {
		return fail(ebuy.ErrCodeParamInvalid, "content does not decode: %v", err)
	}
	return nil
}
