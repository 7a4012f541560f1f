package suning_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/testclock"
	"github.com/couponkit/couponkit/suning"
	"github.com/couponkit/couponkit/suning/suningtest"
)

func requireCode(t *testing.T, err error, code string, fault couponkit.Fault) {
	t.Helper()
	var e *couponkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, code, e.Code)
	assert.Equal(t, fault, e.Fault)
}

func TestCreateModifyStopQueryOnTheFake(t *testing.T) {
	t.Parallel()
	c, srv, _ := fakeClient(t, suningtest.Config{})
	ctx := context.Background()

	req := createRequest(t)
	created, err := c.Create(ctx, req)
	require.NoError(t, err)
	assert.Regexp(t, `^[0-9]{8}00001$`, created.ActionID)
	assert.Equal(t, created.SentEnrollInfoCode, created.EnrollInfoCode)
	a, ok := srv.Activity(created.ActionID)
	require.True(t, ok)
	assert.Equal(t, suningtest.StatusActive, a.Status)
	assert.Equal(t, "618 手机&平板<预约>", a.Fields["actionName"])
	assert.Equal(t, "2024-06-18 00:00:00", a.Fields["purchaseStartTime"])
	require.Len(t, a.Goods, 2)
	assert.Equal(t, "3899", a.Goods[0]["price"])
	require.Len(t, a.SubGoods, 1)

	q, err := c.Query(ctx, &suning.QueryRequest{ActionID: created.ActionID, PartNumber: "000000000123456790", VendorID: req.VendorCode})
	require.NoError(t, err)
	assert.Equal(t, req.ActionName, q.ActionName)
	assert.True(t, q.PurchaseStart.Equal(req.PurchaseStart))
	assert.Equal(t, suning.TerminalPCAndMobile, q.Terminal)

	mod := createRequest(t)
	mod.ActionID = created.ActionID
	mod.ActionName = "618 预约(改)"
	mod.Goods, mod.SubGoods = nil, nil
	modified, err := c.Modify(ctx, mod)
	require.NoError(t, err)
	assert.Equal(t, created.ActionID, modified.ActionID)
	assert.NotEqual(t, created.SentEnrollInfoCode, modified.SentEnrollInfoCode, "a new key per logical call")
	a, _ = srv.Activity(created.ActionID)
	assert.Equal(t, "618 预约(改)", a.Fields["actionName"])
	assert.Equal(t, 1, a.Modifications)
	assert.Len(t, a.Goods, 2, "an omitted goods list keeps the goods")

	stopped, err := c.Stop(ctx, mod)
	require.NoError(t, err)
	assert.Equal(t, created.ActionID, stopped.ActionID)
	a, _ = srv.Activity(created.ActionID)
	assert.Equal(t, suningtest.StatusStopped, a.Status)

	_, err = c.Modify(ctx, mod)
	requireCode(t, err, suning.CodeDataGetFail, couponkit.FaultClient)
	_, err = c.Stop(ctx, mod)
	requireCode(t, err, suning.CodeDataGetFail, couponkit.FaultClient)

	mod.ActionID = "2000010199999"
	_, err = c.Modify(ctx, mod)
	requireCode(t, err, suning.CodeNoResult, couponkit.FaultClient)
	_, err = c.Stop(ctx, mod)
	requireCode(t, err, suning.CodeNoResult, couponkit.FaultClient)
	_, err = c.Query(ctx, &suning.QueryRequest{ActionID: mod.ActionID, PartNumber: "000000000123456790", VendorID: req.VendorCode})
	requireCode(t, err, suning.CodeNoResult, couponkit.FaultClient)

	assert.Len(t, srv.Activities(), 1)
}

func TestSameEnrollInfoCodeIsOneWrite(t *testing.T) {
	t.Parallel()
	c, srv, _ := fakeClient(t, suningtest.Config{})
	req := createRequest(t)
	req.EnrollInfoCode = "SU240601102030000001"
	first, err := c.Create(context.Background(), req)
	require.NoError(t, err)
	second, err := c.Create(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, first.ActionID, second.ActionID)
	assert.Equal(t, 2, srv.RequestCount())
	assert.Len(t, srv.Activities(), 1)
}

func TestFakeRejectsBadCredentialsAndClock(t *testing.T) {
	t.Parallel()
	srv := suningtest.NewServer(suningtest.Config{AccessToken: "tok-1"})
	defer srv.Close()
	ctx := context.Background()
	newClient := func(mod func(*suning.Config), clock couponkit.Clock) *suning.Client {
		cfg := srv.ClientConfig()
		mod(&cfg)
		c, err := suning.NewClient(cfg, couponkit.WithHTTPClient(srv.Client()), couponkit.WithClock(clock))
		require.NoError(t, err)
		return c
	}
	now := testclock.New(time.Now())

	c := newClient(func(cfg *suning.Config) { cfg.AppSecret = "wrong" }, now)
	_, err := c.Create(ctx, createRequest(t))
	requireCode(t, err, suning.CodeSignError, couponkit.FaultAuth)

	c = newClient(func(cfg *suning.Config) { cfg.AppKey = "other" }, now)
	_, err = c.Create(ctx, createRequest(t))
	requireCode(t, err, suning.CodeUserInexistence, couponkit.FaultAuth)

	c = newClient(func(cfg *suning.Config) { cfg.AccessToken = "" }, now)
	_, err = c.Create(ctx, createRequest(t))
	requireCode(t, err, suning.CodeUserInexistence, couponkit.FaultAuth)

	c = newClient(func(cfg *suning.Config) {}, testclock.New(time.Now().Add(11*time.Minute)))
	_, err = c.Create(ctx, createRequest(t))
	requireCode(t, err, suning.CodeAppTime, couponkit.FaultAuth)

	c = newClient(func(cfg *suning.Config) {}, testclock.New(time.Now().Add(-11*time.Minute)))
	_, err = c.Create(ctx, createRequest(t))
	requireCode(t, err, suning.CodeAppTime, couponkit.FaultAuth)

	c = newClient(func(cfg *suning.Config) {}, testclock.New(time.Now().Add(-9*time.Minute)))
	_, err = c.Create(ctx, createRequest(t))
	require.NoError(t, err, "within the 10-minute window")

	c = newClient(func(cfg *suning.Config) { cfg.AppendMethodToPath = true }, now)
	_, err = c.Create(ctx, createRequest(t))
	require.NoError(t, err)

	assert.Len(t, srv.Activities(), 2)
	assert.Equal(t, 7, srv.RequestCount(), "auth faults are not retried")
}

func TestFakeFieldChecksReachTheCaller(t *testing.T) {
	t.Parallel()
	// With the client's own length check off, the fake's check answers, and
	// the code keeps its field suffix.
	srv := suningtest.NewServer(suningtest.Config{})
	defer srv.Close()
	cfg := srv.ClientConfig()
	cfg.MaxLengths = map[string]int{"actionName": -1}
	c, err := suning.NewClient(cfg, couponkit.WithHTTPClient(srv.Client()))
	require.NoError(t, err)
	req := createRequest(t)
	req.ActionName = strings.Repeat("名", 101)
	_, err = c.Create(context.Background(), req)
	requireCode(t, err, "biz.custom.createappoint.length-overlong:actionName", couponkit.FaultClient)
	assert.Empty(t, srv.Activities())
}

func TestFakeBusinessFailure(t *testing.T) {
	t.Parallel()
	c, srv, _ := fakeClient(t, suningtest.Config{})
	srv.FailNextBusiness(suning.ResultFailure, "系统错误")
	_, err := c.Create(context.Background(), createRequest(t))
	requireCode(t, err, suning.ResultFailure, couponkit.FaultClient)
	assert.Contains(t, err.Error(), "系统错误")
	srv.FailNextBusiness(suning.ResultFailure, "系统错误")
	_, err = c.Query(context.Background(), &suning.QueryRequest{ActionID: "1", PartNumber: "2", VendorID: "3"})
	requireCode(t, err, suning.ResultFailure, couponkit.FaultClient)
	assert.Empty(t, srv.Activities())
}

func TestGenericCall(t *testing.T) {
	t.Parallel()
	c, srv, _ := fakeClient(t, suningtest.Config{})
	ctx := context.Background()
	created, err := c.Create(ctx, createRequest(t))
	require.NoError(t, err)

	var out struct {
		ActionID   string `json:"actionId"`
		ActionName string `json:"actionName"`
		ResultFlag string `json:"resultFlag"`
	}
	params := map[string]string{"actionId": created.ActionID, "partNumber": "000000000123456789", "vendorId": "0010012345"}
	meta, err := c.Call(ctx, suning.MethodAppointQuery, params, &out, couponkit.Read())
	require.NoError(t, err)
	assert.Equal(t, created.ActionID, out.ActionID)
	assert.Equal(t, "618 手机&平板<预约>", out.ActionName)
	assert.Equal(t, "true", out.ResultFlag)
	assert.Equal(t, 200, meta.HTTPStatus)
	assert.Equal(t, 1, meta.Attempts)
	assert.Contains(t, string(meta.Raw), `"queryAppoint"`)

	var raw json.RawMessage
	_, err = c.Call(ctx, suning.MethodAppointQuery,
		json.RawMessage(`{"actionId":"`+created.ActionID+`","partNumber":"000000000123456789","vendorId":"0010012345"}`), &raw,
		suning.Node(suning.NodeQueryAppoint), couponkit.Read())
	require.NoError(t, err)
	assert.Contains(t, string(raw), created.ActionID)

	_, err = c.Call(ctx, "suning.custom.item.get", map[string]string{"productCode": "1"}, nil, suning.Node("item"))
	requireCode(t, err, suning.CodeAPIInexistence, couponkit.FaultAuth)

	n := srv.RequestCount()
	for _, bad := range []struct {
		api   string
		opts  []couponkit.CallOption
		field string
	}{
		{"", nil, "api"},
		{"suning custom", nil, "api"},
		{"suning.custom.appoint.query.", nil, "api"},
		{"suning.custom.item.get", nil, "Node"},
		{suning.MethodAppointQuery, []couponkit.CallOption{suning.Node("")}, "Node"},
		{suning.MethodAppointQuery, []couponkit.CallOption{suning.Node(`a"b`)}, "Node"},
		{suning.MethodAppointCreate, []couponkit.CallOption{couponkit.Keyed(suning.KeyName, "")}, "Keyed"},
		{suning.MethodAppointCreate, []couponkit.CallOption{couponkit.Keyed(suning.KeyName, "SU-NOT-IN-PARAMS")}, "Keyed"},
	} {
		_, err := c.Call(ctx, bad.api, params, nil, bad.opts...)
		var ve *couponkit.ValidationError
		require.ErrorAs(t, err, &ve, bad.api)
		assert.Equal(t, bad.field, ve.Field, bad.api)
	}
	var ve *couponkit.ValidationError
	_, err = c.Call(ctx, suning.MethodAppointQuery, []byte(`{"actionId":`), nil)
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "params", ve.Field)
	_, err = c.Call(ctx, suning.MethodAppointQuery, func() {}, nil)
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "params", ve.Field)
	_, err = c.Call(ctx, suning.MethodAppointQuery, params, out)
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "out", ve.Field)
	assert.Equal(t, n, srv.RequestCount(), "bad calls send nothing")
}
