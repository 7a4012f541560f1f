package calltest

import (
	"context"
	"iter"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
)

type methodsRequest struct{ ID string }
type methodsResult struct{ N int }
type methodsClient struct{}

func (*methodsClient) Detail(context.Context, *methodsRequest) (*methodsResult, error) {
	return nil, nil
}
func (*methodsClient) Apply(context.Context, *methodsRequest) (*methodsResult, error) {
	return nil, nil
}
func (*methodsClient) List(context.Context, *methodsRequest) iter.Seq2[int, error] { return nil }
func (*methodsClient) Call(context.Context, string, any) error                     { return nil }
func (*methodsClient) Raw(context.Context, *string) (*methodsResult, error)        { return nil, nil }
func (*methodsClient) Close()                                                      {}

func TestTypedMethodsAreTheRequestTakingOnes(t *testing.T) {
	t.Parallel()
	assert.Equal(t, []string{"Apply", "Detail"}, TypedMethods(reflect.TypeFor[*methodsClient]()))
}
