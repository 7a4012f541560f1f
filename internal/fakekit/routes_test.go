package fakekit

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// routedFake is a fake as a vendor's fake routes its APIs: a table from API
// name (and path) to a method expression.
type routedFake struct {
	routes *Routes[func(*routedFake, http.ResponseWriter, json.RawMessage)]
	seen   []string
}

func (s *routedFake) query(w http.ResponseWriter, p json.RawMessage) {
	s.seen = append(s.seen, "query "+string(p))
	_, _ = io.WriteString(w, `{"ok":true}`)
}

func (s *routedFake) reverse(w http.ResponseWriter, p json.RawMessage) {
	s.seen = append(s.seen, "reverse "+string(p))
	_, _ = io.WriteString(w, `{"ok":true}`)
}

func (s *routedFake) serve(w http.ResponseWriter, r *http.Request) {
	rt, ok := s.routes.ByPath(r.URL.Path)
	if !ok {
		http.Error(w, "no such API; served: "+strings.Join(s.routes.APIs(), ", "), http.StatusNotFound)
		return
	}
	body, _ := io.ReadAll(r.Body)
	rt.Handler(s, w, body)
}

// routedConfig is the fake's Config: a path field per movable API, named as
// the client's Config names it.
type routedConfig struct{ ReversePath string }

func newRoutedFake(cfg routedConfig) *routedFake {
	reversePath := cfg.ReversePath
	if reversePath == "" {
		reversePath = "/v3/crm/coupon/couponReverse"
	}
	type handler = func(*routedFake, http.ResponseWriter, json.RawMessage)
	return &routedFake{routes: NewRoutes(
		Route[handler]{API: "getCustomerCoupons", Path: "/v3/crm/coupon/getCustomerCoupons", Handler: (*routedFake).query},
		Route[handler]{API: "couponReverse", Path: reversePath, Handler: (*routedFake).reverse},
	)}
}

func TestRoutes(t *testing.T) {
	t.Parallel()
	s := newRoutedFake(routedConfig{ReversePath: "/v4/reverse"})
	for _, c := range []struct{ path, body string }{
		{"/v3/crm/coupon/getCustomerCoupons", `{"a":1}`},
		{"/v4/reverse", `{"b":2}`},
	} {
		w := httptest.NewRecorder()
		s.serve(w, httptest.NewRequest(http.MethodPost, c.path, strings.NewReader(c.body)))
		assert.Equal(t, http.StatusOK, w.Code)
	}
	assert.Equal(t, []string{`query {"a":1}`, `reverse {"b":2}`}, s.seen)

	w := httptest.NewRecorder()
	s.serve(w, httptest.NewRequest(http.MethodPost, "/v3/crm/coupon/couponReverse", nil))
	assert.Equal(t, http.StatusNotFound, w.Code, "the default path is not served once the Config moves it")
	assert.Contains(t, w.Body.String(), "served: couponReverse, getCustomerCoupons")

	rt, ok := s.routes.ByAPI("couponReverse")
	require.True(t, ok)
	assert.Equal(t, "/v4/reverse", rt.Path)
	assert.Equal(t, "couponReverse", s.routes.PathAPI(httptest.NewRequest(http.MethodPost, "/v4/reverse", nil), nil))
	assert.Equal(t, "", s.routes.PathAPI(httptest.NewRequest(http.MethodPost, "/nowhere", nil), nil))

	apis := s.routes.APIs()
	apis[0] = "changed"
	assert.Equal(t, []string{"couponReverse", "getCustomerCoupons"}, s.routes.APIs(), "APIs returns a copy")
}

func TestRoutesRefuseDuplicates(t *testing.T) {
	t.Parallel()
	type h = func()
	assert.PanicsWithValue(t, `fakekit: API "a" routed twice`, func() { NewRoutes(Route[h]{API: "a"}, Route[h]{API: "a"}) })
	assert.PanicsWithValue(t, `fakekit: path /x routed to "a" and "b"`, func() { NewRoutes(Route[h]{API: "a", Path: "/x"}, Route[h]{API: "b", Path: "/x"}) })
	assert.PanicsWithValue(t, "fakekit: a route without an API", func() { NewRoutes(Route[h]{Path: "/x"}) })
	// Routing by name only (TOP's method): no path needed.
	r := NewRoutes(Route[h]{API: "taobao.film.lottery.sendcode"}, Route[h]{API: "taobao.film.fcode.merchant.send"})
	_, ok := r.ByAPI("taobao.film.lottery.sendcode")
	assert.True(t, ok)
	_, ok = r.ByPath("")
	assert.False(t, ok)
}
