package houcaller_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/houcaller/houcallertest"
	"github.com/couponkit/couponkit/internal/benchkit"
)

// The paired benchmarks of the two other typed calls, LastSentCoupon and
// RecordConsumption, on the pattern of bench_test.go: the SDK call beside the
// same request written by hand (hand, bare), against answers captured from
// the fake.

// sideClient is an SDK client for one side of a benchmark against rt (nil:
// the network) at gateway.
func sideClient(tb testing.TB, rt http.RoundTripper, gateway string) *houcaller.Client {
	var opts []couponkit.Option
	if rt != nil {
		opts = append(opts, couponkit.WithTransport(rt))
	}
	c, err := houcaller.NewClient(houcaller.Config{Gateway: gateway, Channel: benchChannel, DESKey: houcallertest.DefaultDESKey}, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = c.Close() })
	return c
}

// handLastSent is what the hand-written client reads of getLastSendCpnItem.
type handLastSent struct {
	Code int    `json:"code"`
	Msg  string `json:"msg"`
	Data *struct {
		ID        string `json:"id"`
		CpnID     string `json:"cpnId"`
		CpnCode   string `json:"cpnCode"`
		CpnName   string `json:"cpnName"`
		CpnType   string `json:"cpnType"`
		MmbID     string `json:"mmbId"`
		Status    int    `json:"status"`
		SellOrdno string `json:"sellOrdno"`
		SellTime  string `json:"sellTime"`
		SellScene string `json:"sellScene"`
		UseOrdno  string `json:"useOrdno"`
		UseOrg    string `json:"useOrg"`
		UseTime   string `json:"useTime"`
		EffTime   string `json:"effTime"`
		BegDate   string `json:"begDate"`
		EndDate   string `json:"endDate"`
		IsStc     int    `json:"isStc"`
		Ctime     string `json:"ctime"`
		Mtime     string `json:"mtime"`
	} `json:"data"`
}

func (a *handLastSent) code() int { return a.Code }

// lastSentAnswerOfFake is the fake's answer to the lookup of the coupon the
// example sale issued last.
func lastSentAnswerOfFake(tb testing.TB) []byte {
	return captureAnswer(tb, houcallertest.Config{}, nil, func(c *houcaller.Client) error {
		if _, err := c.SellCard(context.Background(), exampleSale()); err != nil {
			return err
		}
		_, err := c.LastSentCoupon(context.Background(), &houcaller.LastSentCouponRequest{MemberID: exampleSale().MemberID, CouponID: houcallertest.DefaultCardInfoID})
		return err
	})
}

// lastSentSides returns the SDK lookup, the hand-written one and the bare
// resty one against rt (nil: the network) at base.
func lastSentSides(tb testing.TB, rt http.RoundTripper, base string) (sdk, handFn, bareFn func() error) {
	gateway := base + benchGatewayPath
	c := sideClient(tb, rt, gateway)
	ctx := context.Background()
	req := &houcaller.LastSentCouponRequest{MemberID: exampleSale().MemberID, CouponID: houcallertest.DefaultCardInfoID}
	sdk = func() error {
		res, err := c.LastSentCoupon(ctx, req)
		if err != nil {
			return err
		}
		if !res.Found || res.Code == "" {
			return errors.New("no coupon")
		}
		return nil
	}
	h := newHand(tb, gateway, rt, time.Now)
	b := newBare(tb, gateway, rt)
	run := func(post func(context.Context, string, []byte, interface{ code() int }) error) func() error {
		return func() error {
			body, err := h.body(struct {
				MmbID string `json:"mmbId"`
				CpnID string `json:"cpnId"`
			}{req.MemberID, req.CouponID})
			if err != nil {
				return err
			}
			var out handLastSent
			if err := post(ctx, houcaller.EndpointLastSentCoupons, body, &out); err != nil {
				return err
			}
			if out.Data == nil || out.Data.CpnCode == "" {
				return errors.New("no coupon")
			}
			return nil
		}
	}
	return sdk, run(h.post), run(b.post)
}

// BenchmarkLastSentCoupon pairs one lookup of the coupon last sent through
// the SDK with the same lookup written by hand and sent through bare resty.
func BenchmarkLastSentCoupon(b *testing.B) {
	benchkit.Matrix(b, lastSentAnswerOfFake(b), "", "", "", func(rt http.RoundTripper, base string) (sdk, hand, bare func() error) {
		return lastSentSides(b, rt, base)
	})
}

// handConsumption is the consumption's param as the hand-written client
// writes it, in the order of the vendor's field table.
type handConsumption struct {
	ConsAmt    string `json:"consAmt"`
	Amount     string `json:"amount"`
	Cuser      string `json:"cuser,omitempty"`
	BizDate    string `json:"bizDate"`
	OrgCode    string `json:"orgCode,omitempty"`
	SrcID      string `json:"srcId"`
	ScoreAmt   string `json:"scoreAmt"`
	Remark     string `json:"remark"`
	SerialCode string `json:"serialCode"`
	MemberID   string `json:"memberId"`
}

func handConsumptionOf(r *houcaller.ConsumptionRequest) handConsumption {
	return handConsumption{
		ConsAmt: r.HaobiAmount.Yuan(), Amount: r.Amount.Yuan(), Cuser: r.Operator,
		BizDate: r.BizDate.In(beijing).Format("2006-01-02 00:00:00"), OrgCode: r.OrgCode, SrcID: r.OrderID,
		ScoreAmt: r.PaidAmount.Yuan(), Remark: r.Remark, SerialCode: r.SerialCode, MemberID: r.MemberID,
	}
}

// handConsumptionAnswer is what the hand-written client reads of
// recordMemberCons.
type handConsumptionAnswer struct {
	Code int    `json:"code"`
	Msg  string `json:"msg"`
	Data struct {
		ID       string      `json:"id"`
		MmbID    string      `json:"mmbId"`
		CardNo   string      `json:"cardNo"`
		SrcID    string      `json:"srcId"`
		Amount   json.Number `json:"amount"`
		ScoreAmt json.Number `json:"scoreAmt"`
		ConsAmt  json.Number `json:"consAmt"`
		IncHbbal int64       `json:"incHbbal"`
		ExpHbbal int64       `json:"expHbbal"`
		IncScore int64       `json:"incScore"`
		ExpScore int64       `json:"expScore"`
		Status   int         `json:"status"`
		BizDate  string      `json:"bizDate"`
		Ctime    string      `json:"ctime"`
	} `json:"data"`
}

func (a *handConsumptionAnswer) code() int { return a.Code }

// consumptionAnswerOfFake is the fake's answer to the example consumption.
func consumptionAnswerOfFake(tb testing.TB) []byte {
	return captureAnswer(tb, houcallertest.Config{}, nil, func(c *houcaller.Client) error {
		_, err := c.RecordConsumption(context.Background(), exampleConsumption())
		return err
	})
}

// consumptionSides returns the SDK record, the hand-written one and the
// bare resty one against rt (nil: the network) at base.
func consumptionSides(tb testing.TB, rt http.RoundTripper, base string) (sdk, handFn, bareFn func() error) {
	gateway := base + benchGatewayPath
	c := sideClient(tb, rt, gateway)
	ctx := context.Background()
	req := exampleConsumption()
	sdk = func() error {
		res, err := c.RecordConsumption(ctx, req)
		if err != nil {
			return err
		}
		if res.ID == "" {
			return errors.New("no record")
		}
		return nil
	}
	h := newHand(tb, gateway, rt, time.Now)
	b := newBare(tb, gateway, rt)
	run := func(post func(context.Context, string, []byte, interface{ code() int }) error) func() error {
		return func() error {
			body, err := h.body(handConsumptionOf(req))
			if err != nil {
				return err
			}
			var out handConsumptionAnswer
			if err := post(ctx, houcaller.EndpointRecordConsumption, body, &out); err != nil {
				return err
			}
			if out.Data.ID == "" {
				return errors.New("no record")
			}
			return nil
		}
	}
	return sdk, run(h.post), run(b.post)
}

// BenchmarkRecordConsumption pairs one consumption record through the SDK
// with the same record written by hand and sent through bare resty.
func BenchmarkRecordConsumption(b *testing.B) {
	benchkit.Matrix(b, consumptionAnswerOfFake(b), "", "", "", func(rt http.RoundTripper, base string) (sdk, hand, bare func() error) {
		return consumptionSides(b, rt, base)
	})
}

// TestHandWrittenCallsSendTheSDKsBytes checks that both sides of the
// benchmarks of LastSentCoupon and RecordConsumption send the same request:
// the hand-written body equals the SDK's byte for byte at the same time.
func TestHandWrittenCallsSendTheSDKsBytes(t *testing.T) {
	t.Parallel()
	c, mt, clk := mockClient(t, houcaller.Config{DESKey: houcallertest.DefaultDESKey})
	var rec recorder
	mt.RegisterResponder(http.MethodPost, mockGateway+"/getLastSendCpnItem", rec.responder(200, lastSentAnswer))
	mt.RegisterResponder(http.MethodPost, mockGateway+"/recordMemberCons", rec.responder(200, consumptionAnswer))
	lookup := &houcaller.LastSentCouponRequest{MemberID: "NC2D0RH4EROS6", CouponID: "N95B0CN960I14"}
	_, err := c.LastSentCoupon(context.Background(), lookup)
	require.NoError(t, err)
	_, err = c.RecordConsumption(context.Background(), exampleConsumption())
	require.NoError(t, err)

	h := newHand(t, mockGateway, nil, clk.Now)
	want := make([]string, 2)
	b, err := h.body(struct {
		MmbID string `json:"mmbId"`
		CpnID string `json:"cpnId"`
	}{lookup.MemberID, lookup.CouponID})
	require.NoError(t, err)
	want[0] = string(b)
	b, err = h.body(handConsumptionOf(exampleConsumption()))
	require.NoError(t, err)
	want[1] = string(b)
	require.Len(t, rec.bodies, 2)
	// Each attempt has its own timestamp: the params are compared.
	for i := range want {
		assert.Equal(t, parseWire(t, []byte(want[i])).Param, parseWire(t, []byte(rec.bodies[i])).Param, "call %d", i)
	}
}
