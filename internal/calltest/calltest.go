// Package calltest runs the checks every typed call of a vendor package is
// held to, from the package's registry entry (couponkit.API: Run, Request,
// Operation, Class, KeyName, Path) and one row of data per call, written
// from the vendor's page:
//
//   - wire: a sample request is sent once, to the call's path, with exactly
//     the params the row names (the page's spellings, byte for byte);
//   - answers: each success's data, as the page prints it, decodes to the
//     answer the row gives, with Meta describing the one exchange;
//   - the one rule: a success without what the call exists for is
//     unreadable. A read is retried to the budget and fails; a Keyed write is
//     retried with its key and ends as an unknown outcome with that key; an
//     Unsafe write is sent once and ends as an unknown outcome (with its key,
//     if it has one);
//   - refusals: a bad request is a *couponkit.ValidationError naming the Go
//     field (and, when the row gives one, with that reason), and nothing is
//     sent;
//   - the fake (when the row seeds one): the package's fake serves the call,
//     in each spelling it answers in, changes its state as the call should,
//     and refuses what it should.
//
// A vendor package keeps one table of rows (calls_test.go) and a [Vendor]
// that tells the kit how its client is built, where its params travel and
// what a success looks like. Test code only.
package calltest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/faulttest"
	"github.com/couponkit/couponkit/internal/transport"
)

// Attempts is the retry budget of the clients the kit asks for: a read or a
// Keyed write that meets an answer without what the call exists for is sent
// this many times.
const Attempts = 3

// Absent is the data of a success without a data member.
const Absent = ""

// Vendor is what the kit needs of a vendor package. F is the type of its
// fake (such as *zvcmstest.Server).
type Vendor[F any] struct {
	// Name is the vendor as errors report it (couponkit.Error.Vendor).
	Name string
	// APIs is the package's registry: the kit finds each row's call there.
	APIs []couponkit.API
	// Client returns a client of the package (its *Client) that sends every
	// request through rt, with attempts as its retry budget
	// (couponkit.WithRetry) and a clock whose waits take no real time.
	Client func(t *testing.T, rt http.RoundTripper, attempts int) any
	// Params returns the params a request carries, as sent, from its body
	// (zvcms: the params member; e-Buy: the signed content).
	Params func(t *testing.T, r *http.Request, body []byte) string
	// Success returns the body of a success of api whose data is data
	// (Absent: a success without data), such as zvcms's envelope or
	// Suning's node of the call's name.
	Success func(api couponkit.API, data string) string
	// Reply, when set, is used in place of Success, for a vendor whose
	// success answers the request itself (e-Buy's echoes its uuid, signed):
	// the body of a success of api whose data is data, to the request r
	// (body is its body), and the request id Meta then reports ("" for
	// none).
	Reply func(t *testing.T, api couponkit.API, r *http.Request, body []byte, data string) (answer, requestID string)
	// Fakes, when set, returns the package's fakes a row's Fake runs
	// against (one per spelling the fake answers in), each as the package's
	// test fixture F; FakeClient returns the fixture's client of its fake
	// (the package's *Client).
	Fakes      func(t *testing.T) []F
	FakeClient func(f F) any
}

// Call is one typed call's row: what its page says it sends and answers.
type Call[F any] struct {
	// Method is the call's registry entry (API.Method), such as
	// "GetCouponStatus".
	Method string
	// Name tells apart rows of one method (optional).
	Name string
	// Request is a sample request (a pointer to the call's request type),
	// and Wire the params it is sent with, byte for byte.
	Request any
	Wire    string
	// Answers are successes' data, as the page prints them, each with the
	// answer it decodes to (Meta is checked apart). The first one answers
	// the wire check. A row needs answers, a fake, or both.
	Answers []Answer
	// Missing are successes' data without what the call exists for: the
	// one rule makes each unreadable. Lacks, when set, is the member the
	// call's Complete names ("no <Lacks> in the answer") for the ones that
	// decode.
	Missing []string
	Lacks   string
	// Key is the key a write's unknown outcome reports: the request's own,
	// or "" for an Unsafe write without one. Ignored for a read.
	Key string
	// Invalid are requests refused before anything is sent. A nil request
	// of Request's type is one too, without a row: its error names the type.
	Invalid []Invalid
	// Fake, when set, seeds the fake and returns a request and the answer
	// the fake gives it (Meta not compared); After, when set, then checks
	// what the call did to the fake.
	Fake  func(t *testing.T, f F) (req, want any)
	After func(t *testing.T, f F)
	// FakeRefuses, when set, is a request the fake refuses, with the
	// vendor's code FakeCode.
	FakeRefuses any
	FakeCode    string
}

// Answer is a success's data and the answer it decodes to: a value of the
// call's answer type (not a pointer).
type Answer struct {
	Data string
	Want any
}

// Invalid is a request (a pointer to the call's request type) and the Go
// field its *couponkit.ValidationError must name. Reason, when set, is a
// part of the error's Reason (such as the vendor's code for the fault).
type Invalid struct {
	Field   string
	Request any
	Reason  string
}

// Run runs every check of every row, each row as its own parallel subtest.
func Run[F any](t *testing.T, v Vendor[F], calls []Call[F]) {
	t.Helper()
	for _, c := range calls {
		name := c.Method
		if c.Name != "" {
			name += "/" + c.Name
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			api, ok := find(v.APIs, c.Method)
			require.True(t, ok, "%s is not in the registry", c.Method)
			fake := c.Fake != nil || c.FakeRefuses != nil
			require.True(t, len(c.Answers) > 0 || fake, "a row needs an answer or a fake")
			if len(c.Answers) > 0 {
				t.Run("wire", func(t *testing.T) { t.Parallel(); checkWire(t, v, api, c) })
				t.Run("answers", func(t *testing.T) { t.Parallel(); checkAnswers(t, v, api, c) })
			}
			if len(c.Missing) > 0 {
				t.Run("missing", func(t *testing.T) { t.Parallel(); checkMissing(t, v, api, c) })
			}
			if len(c.Invalid) > 0 || c.Request != nil {
				t.Run("invalid", func(t *testing.T) { t.Parallel(); checkInvalid(t, v, api, c) })
			}
			if fake {
				require.NotNil(t, v.Fakes, "the row seeds a fake, the vendor has none")
				t.Run("fake", func(t *testing.T) { t.Parallel(); checkFake(t, v, api, c) })
			}
		})
	}
}

func find(apis []couponkit.API, method string) (couponkit.API, bool) {
	for _, a := range apis {
		if a.Method == method {
			return a, true
		}
	}
	return couponkit.API{}, false
}

// server answers every request with a success of one data and records what
// was sent and answered.
type server struct {
	t      *testing.T
	v      func(*testing.T, *http.Request, []byte) string
	reply  func(r *http.Request, body []byte) (answer, requestID string)
	mu     sync.Mutex
	paths  []string
	params []string
	// answer and requestID are the last answer's.
	answer    []byte
	requestID string
}

func newServer[F any](t *testing.T, v Vendor[F], api couponkit.API, data string) *server {
	reply := func(*http.Request, []byte) (string, string) { return v.Success(api, data), "" }
	if v.Reply != nil {
		reply = func(r *http.Request, body []byte) (string, string) { return v.Reply(t, api, r, body, data) }
	}
	return &server{t: t, v: v.Params, reply: reply}
}

func (s *server) RoundTrip(r *http.Request) (*http.Response, error) {
	var body []byte
	if r.Body != nil {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		body = b
	}
	p := s.v(s.t, r, body)
	text, id := s.reply(r, body)
	answer := []byte(text)
	s.mu.Lock()
	s.paths, s.params = append(s.paths, r.URL.Path), append(s.params, p)
	s.answer, s.requestID = answer, id
	s.mu.Unlock()
	return &http.Response{StatusCode: http.StatusOK, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"application/json;charset=UTF-8"}}, Body: io.NopCloser(bytes.NewReader(answer)),
		ContentLength: int64(len(answer)), Request: r}, nil
}

// last returns the last answer and the request id it reports.
func (s *server) last() ([]byte, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.answer, s.requestID
}

// sent returns the params of each request, and the paths they went to.
func (s *server) sent() (params, paths []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.params...), append([]string(nil), s.paths...)
}

// run sends req through a client whose every request gets a success with
// data.
func run[F any](t *testing.T, v Vendor[F], api couponkit.API, req any, data string) (any, *server, error) {
	s := newServer(t, v, api, data)
	got, err := api.Run(context.Background(), v.Client(t, s, Attempts), req)
	return got, s, err
}

func checkWire[F any](t *testing.T, v Vendor[F], api couponkit.API, c Call[F]) {
	_, s, err := run(t, v, api, c.Request, c.Answers[0].Data)
	require.NoError(t, err)
	params, paths := s.sent()
	assert.Equal(t, []string{c.Wire}, params, "sent once, with the page's params")
	if api.Path != "" && len(paths) == 1 {
		assert.True(t, strings.HasSuffix(paths[0], api.Path), "sent to %s, not to the call's path %s", paths[0], api.Path)
	}
}

func checkAnswers[F any](t *testing.T, v Vendor[F], api couponkit.API, c Call[F]) {
	for _, a := range c.Answers {
		got, s, err := run(t, v, api, c.Request, a.Data)
		require.NoError(t, err, a.Data)
		params, _ := s.sent()
		assert.Len(t, params, 1, a.Data)
		if meta, ok := answerOf(t, got, a.Want); ok {
			raw, id := s.last()
			assert.Equal(t, couponkit.Meta{RequestID: id, HTTPStatus: http.StatusOK, Attempts: 1, Raw: raw}, meta, "Meta describes the exchange: %s", a.Data)
		}
		assert.Equal(t, a.Want, deref(got), a.Data)
	}
}

// answerOf checks that got points to a value of want's type and returns its
// Meta (zeroing it in got, so that the rest compares with want), if it has
// one.
func answerOf(t *testing.T, got, want any) (couponkit.Meta, bool) {
	t.Helper()
	rv := reflect.ValueOf(got)
	require.Equal(t, reflect.Pointer, rv.Kind(), "the answer is a pointer")
	require.Equal(t, reflect.TypeOf(want), rv.Elem().Type(), "Want is a value of the answer's type")
	f := rv.Elem().FieldByName("Meta")
	if !f.IsValid() || f.Type() != reflect.TypeFor[couponkit.Meta]() {
		return couponkit.Meta{}, false
	}
	meta := f.Interface().(couponkit.Meta)
	f.Set(reflect.Zero(f.Type()))
	return meta, true
}

func deref(got any) any { return reflect.ValueOf(got).Elem().Interface() }

// unreadable is what the pipeline says of an answer the one rule refuses:
// data that does not decode, or a success without what the call is for.
var unreadable = regexp.MustCompile(`^(response does not decode|the vendor reported success, but its answer lacks what the call is for): `)

func checkMissing[F any](t *testing.T, v Vendor[F], api couponkit.API, c Call[F]) {
	for _, data := range c.Missing {
		_, s, err := run(t, v, api, c.Request, data)
		require.Error(t, err, data)
		params, _ := s.sent()
		sent := len(params)
		var last *couponkit.Error
		switch api.Class {
		case couponkit.ClassRead:
			assert.False(t, errors.Is(err, couponkit.ErrUnknownOutcome), data)
			require.ErrorAs(t, err, &last, data)
			assert.Equal(t, []string{v.Name, api.Operation}, []string{last.Vendor, last.Operation})
			assert.Equal(t, Attempts, sent, "a read is retried: %s", data)
		default:
			u, ce := faulttest.Unknown(t, err, v.Name, api.Operation, c.Key)
			if c.Key != "" {
				assert.Equal(t, api.KeyName, u.KeyName, "the unknown outcome names the key as the vendor does")
			}
			want := faulttest.Sends(api.Class == couponkit.ClassKeyed, Attempts)
			assert.Equal(t, want, sent, "a Keyed write is retried with its key, an Unsafe one sent once: %s", data)
			assert.Equal(t, want, u.Attempts, data)
			last = ce
		}
		assert.True(t, transport.IsUnreadable(last), "%s: %v", data, last)
		assert.Regexp(t, unreadable, last.Message, data)
		if c.Lacks != "" && !strings.HasPrefix(last.Message, "response does not decode") {
			assert.Contains(t, last.Message, "no "+c.Lacks+" in the answer", data)
		}
	}
}

func checkInvalid[F any](t *testing.T, v Vendor[F], api couponkit.API, c Call[F]) {
	if typ := reflect.TypeOf(c.Request); typ != nil && typ.Kind() == reflect.Pointer {
		checkNil(t, v, api, typ)
	}
	for _, in := range c.Invalid {
		_, s, err := run(t, v, api, in.Request, Absent)
		var ve *couponkit.ValidationError
		require.ErrorAs(t, err, &ve, in.Field)
		assert.Equal(t, in.Field, ve.Field)
		if in.Reason != "" {
			assert.Contains(t, ve.Reason, in.Reason, in.Field)
		}
		params, _ := s.sent()
		assert.Empty(t, params, "nothing is sent: %s", in.Field)
	}
}

// checkNil calls the method itself with a nil request of type typ (Run
// refuses one before the method sees it): a ValidationError naming the
// request's type, and nothing sent.
func checkNil[F any](t *testing.T, v Vendor[F], api couponkit.API, typ reflect.Type) {
	s := newServer(t, v, api, Absent)
	m := reflect.ValueOf(v.Client(t, s, Attempts)).MethodByName(api.Method)
	require.True(t, m.IsValid(), "the client has no method %s", api.Method)
	out := m.Call([]reflect.Value{reflect.ValueOf(context.Background()), reflect.Zero(typ)})
	err, _ := out[len(out)-1].Interface().(error)
	var ve *couponkit.ValidationError
	require.ErrorAs(t, err, &ve, "a nil %s", typ)
	assert.Equal(t, typ.Elem().Name(), ve.Field)
	params, _ := s.sent()
	assert.Empty(t, params, "nothing is sent for a nil request")
}

func checkFake[F any](t *testing.T, v Vendor[F], api couponkit.API, c Call[F]) {
	for i, f := range v.Fakes(t) {
		client := v.FakeClient(f)
		if c.Fake != nil {
			req, want := c.Fake(t, f)
			got, err := api.Run(context.Background(), client, req)
			require.NoError(t, err, "fake %d", i)
			answerOf(t, got, want)
			assert.Equal(t, want, deref(got), "fake %d", i)
			if c.After != nil {
				c.After(t, f)
			}
		}
		if c.FakeRefuses != nil {
			_, err := api.Run(context.Background(), client, c.FakeRefuses)
			var e *couponkit.Error
			require.ErrorAs(t, err, &e, "fake %d", i)
			assert.Equal(t, c.FakeCode, e.Code, "fake %d", i)
			assert.False(t, errors.Is(err, couponkit.ErrUnknownOutcome), "a refusal is a definite answer")
		}
	}
}
