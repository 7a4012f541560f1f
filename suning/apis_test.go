package suning_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/suning"
	"github.com/couponkit/couponkit/suning/suningtest"
)

func TestAPIs(t *testing.T) {
	t.Parallel()
	apis := suning.APIs()
	require.NoError(t, couponkit.CheckAPIs(apis...))
	type row struct {
		Name, Method, Operation string
		Class                   couponkit.Class
		KeyName                 string
		Request, Answer         reflect.Type
	}
	var got []row
	for _, a := range apis {
		assert.Equal(t, suning.Vendor, a.Vendor)
		got = append(got, row{a.Name, a.Method, a.Operation, a.Class, a.KeyName, a.Request, a.Answer})
	}
	appoint, result := reflect.TypeFor[suning.AppointRequest](), reflect.TypeFor[suning.AppointResult]()
	// The calls this package documents, each with its API, class and key
	// (a call added later is checked by its row in the call table).
	assert.Subset(t, got, []row{
		{"create", "Create", suning.MethodAppointCreate, couponkit.ClassKeyed, suning.KeyName, appoint, result},
		{"modify", "Modify", suning.MethodAppointCreate, couponkit.ClassKeyed, suning.KeyName, appoint, result},
		{"stop", "Stop", suning.MethodAppointCreate, couponkit.ClassKeyed, suning.KeyName, appoint, result},
		{"goto-appoint", "GotoAppoint", suning.MethodGotoAppointCreate, couponkit.ClassUnsafe, suning.GotoAppointKeyName,
			reflect.TypeFor[suning.GotoAppointRequest](), reflect.TypeFor[suning.GotoAppointResult]()},
		{"booking-info", "BookingInfo", suning.MethodBookingInfoQuery, couponkit.ClassRead, "",
			reflect.TypeFor[suning.BookingInfoRequest](), reflect.TypeFor[suning.BookingInfoResult]()},
		{"create-token", "CreateToken", suning.OperationTokenCreate, couponkit.ClassUnsafe, "",
			reflect.TypeFor[suning.CreateTokenRequest](), reflect.TypeFor[suning.TokenResult]()},
		{"refresh-token", "RefreshToken", suning.OperationTokenRefresh, couponkit.ClassUnsafe, "",
			reflect.TypeFor[suning.RefreshTokenRequest](), reflect.TypeFor[suning.TokenResult]()},
		{"query", "Query", suning.MethodAppointQuery, couponkit.ClassRead, "", reflect.TypeFor[suning.QueryRequest](), reflect.TypeFor[suning.QueryResult]()},
	})
}

// TestAPIsRunTheirMethod: each entry's Run calls its own method on the
// fake (Modify and Stop are told apart by the operateType they send).
func TestAPIsRunTheirMethod(t *testing.T) {
	t.Parallel()
	c, srv, _ := memClient(t)
	ctx := context.Background()
	byName := map[string]couponkit.API{}
	for _, a := range suning.APIs() {
		byName[a.Name] = a
	}
	out, err := byName["create"].Run(ctx, c, createRequest(t))
	require.NoError(t, err)
	req := createRequest(t)
	req.ActionID = out.(*suning.AppointResult).ActionID
	_, err = byName["modify"].Run(ctx, c, req)
	require.NoError(t, err)
	act, ok := srv.Activity(req.ActionID)
	require.True(t, ok)
	assert.Equal(t, 1, act.Modifications)
	out, err = byName["query"].Run(ctx, c, &suning.QueryRequest{ActionID: req.ActionID, PartNumber: req.Goods[0].PartNumber, VendorID: req.VendorCode})
	require.NoError(t, err)
	assert.Equal(t, req.ActionID, out.(*suning.QueryResult).ActionID)
	g := gotoRequest(req)
	_, err = byName["goto-appoint"].Run(ctx, c, g)
	require.NoError(t, err)
	out, err = byName["booking-info"].Run(ctx, c, &suning.BookingInfoRequest{ActionID: req.ActionID, SNUnionID: g.CustNo})
	require.NoError(t, err)
	assert.Contains(t, string(out.(*suning.BookingInfoResult).Node), g.CustNo)
	_, err = byName["stop"].Run(ctx, c, req)
	require.NoError(t, err)
	act, _ = srv.Activity(req.ActionID)
	assert.Equal(t, "03", act.Fields["operateType"])
	assert.Equal(t, 4, srv.AppliedWrites(), "create, modify, booking and stop, each applied once")

	_, err = byName["query"].Run(ctx, c, req)
	assert.Error(t, err, "a request of another type is refused")
}

// The fake serves the token APIs: each is answered (a refused grant, for a
// made-up code or refresh token), and logged under its Operation.
func TestFakeServesTheTokenAPIs(t *testing.T) {
	t.Parallel()
	c, srv, _ := fakeClient(t, suningtest.Config{InMemory: true})
	tokenAPIs := 0
	for _, a := range suning.APIs() {
		var err error
		switch a.Operation {
		case suning.OperationTokenCreate:
			_, err = c.CreateToken(context.Background(), &suning.CreateTokenRequest{Code: "made-up"})
		case suning.OperationTokenRefresh:
			_, err = c.RefreshToken(context.Background(), &suning.RefreshTokenRequest{RefreshToken: "made-up"})
		default:
			continue // a gateway method: TestAPIsRunTheirMethod and the call table
		}
		var ce *couponkit.Error
		require.ErrorAs(t, err, &ce, a.Method)
		assert.Equal(t, "invalid_grant", ce.Code, "the fake does not serve %s (%s)", a.Operation, a.Method)
		reqs := srv.Requests()
		assert.Equal(t, a.Operation, reqs[len(reqs)-1].API)
		tokenAPIs++
	}
	assert.Equal(t, 2, tokenAPIs, "CreateToken and RefreshToken are in the registry")
}
