package cli

import (
	"context"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/zvcms"
)

// The single calls of a vendor registry that the table in calls.go does not
// list: a call added to zvcms.APIs() or taobaofilm.APIs() is a command with
// no edit of this package. (When the command takes every single call from the registries,
// the table and this file go.)
func init() {
	calls = append(calls, fromRegistry("zvcms", zvcms.APIs(), func(s *session) (closer, error) { return s.zvcms() })...)
	calls = append(calls, fromRegistry("taobaofilm", taobaofilm.APIs(), func(s *session) (closer, error) { return s.taobao() })...)
}

// fromRegistry returns a callSpec for each API of apis that calls lacks, run
// with API.Run on the client mk opens for the session.
func fromRegistry(vendor string, apis []couponkit.API, mk func(*session) (closer, error)) []callSpec {
	var out []callSpec
	for _, a := range apis {
		if findCall(vendor, a.Name) != nil {
			continue
		}
		out = append(out, callSpec{vendor: vendor, name: a.Name, api: a.Operation, req: a.Request,
			do: func(ctx context.Context, s *session, req any) (any, error) {
				c, err := mk(s)
				if err != nil {
					return nil, err
				}
				defer c.Close()
				return a.Run(ctx, c, req)
			}})
	}
	return out
}
