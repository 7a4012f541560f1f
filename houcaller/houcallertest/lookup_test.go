package houcallertest

import (
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A lookup of a fictional read: the name in a string or a number, the
// answers in the order added, none for an unknown name, and no name is
// CodeBadParam.
func TestLookup(t *testing.T) {
	t.Parallel()
	s := NewServer(Config{InMemory: true})
	defer s.Close()
	s.lookups.Add("listThings", "M1", "a")
	s.lookups.Add("listThings", "M1", "b")
	s.lookups.Add("listThings", "42", "c")
	rt := lookup("listThings", "memberId", func(found []any) any { return map[string]any{"list": append([]any{}, found...)} })
	for _, tc := range []struct{ param, want string }{
		{`{"memberId":"M1"}`, `{"code":0,"msg":"操作成功","data":{"list":["a","b"]}}`},
		{`{"memberId":42,"other":{"x":1}}`, `{"code":0,"msg":"操作成功","data":{"list":["c"]}}`},
		{`{"memberId":"M2"}`, `{"code":0,"msg":"操作成功","data":{"list":[]}}`},
		{`{"memberId":""}`, `{"code":1004,"msg":"缺少参数: memberId","data":null}`},
		{`{}`, `{"code":1004,"msg":"缺少参数: memberId","data":null}`},
		{`[1]`, `{"code":1004,"msg":"缺少参数: memberId","data":null}`},
	} {
		w := httptest.NewRecorder()
		rt.Handler(s, w, []byte(tc.param))
		require.Equal(t, 200, w.Code)
		assert.JSONEq(t, tc.want, w.Body.String(), tc.param)
	}
	assert.Equal(t, "/htest/openapi/v1/listThings", rt.Path)
}
