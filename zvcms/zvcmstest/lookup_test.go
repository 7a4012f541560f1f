package zvcmstest

import (
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestLookup: a read served from a table answers what keep stored under the
// first param the request gives (a string or a number), in each spelling,
// and refuses a request that names nothing or an unknown thing.
func TestLookup(t *testing.T) {
	t.Parallel()
	for _, native := range []bool{false, true} {
		s := NewServer(Config{NativeTypes: native, InMemory: true})
		t.Cleanup(s.Close)
		rt := lookup(Config{}, "status", "id", "code")
		s.keep("status", "42", func(s *Server) any { return map[string]any{"amount": s.yuan(1250)} })
		amount := `"12.50"`
		if native {
			amount = `12.50`
		}
		for params, want := range map[string]string{
			`{"id":42}`: `"data":{"amount":` + amount + `}`, `{"id":"","code":"42","ext":{}}`: `"data":{"amount":` + amount + `}`,
			`{"id":"43"}`: `"查询的信息不存在"`, `{"ext":{}}`: `"参数错误: id/code"`, `[]`: `"参数错误: id/code"`,
		} {
			w := httptest.NewRecorder()
			rt.Handler(s, w, json.RawMessage(params))
			assert.Contains(t, w.Body.String(), want, params)
		}
	}
}
