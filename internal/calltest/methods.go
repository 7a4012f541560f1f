package calltest

import (
	"context"
	"reflect"
)

// TypedMethods returns the names of client's typed calls, in the order of
// its method set: every exported method that takes a context and a pointer
// to a request struct and returns a pointer and an error, as a registry
// lists them (client is a vendor's *Client type).
func TypedMethods(client reflect.Type) []string {
	ctxType, errType := reflect.TypeFor[context.Context](), reflect.TypeFor[error]()
	var names []string
	for i := range client.NumMethod() {
		m := client.Method(i).Type // the receiver is In(0)
		if m.NumIn() == 3 && m.In(1) == ctxType && m.In(2).Kind() == reflect.Pointer && m.In(2).Elem().Kind() == reflect.Struct &&
			m.NumOut() == 2 && m.Out(0).Kind() == reflect.Pointer && m.Out(1) == errType {
			names = append(names, client.Method(i).Name)
		}
	}
	return names
}
