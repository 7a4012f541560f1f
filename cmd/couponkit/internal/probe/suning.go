package probe

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/suning"
)

func init() {
	vendors["suning"] = &vendor{gatewayVar: "SUNING_GATEWAY", testGateway: suning.TestGateway, defaultGateway: suning.ProductionGateway,
		start: startSuning, points: suningPoints}
}

func suningConfig(r *Run) suning.Config {
	return suning.Config{Gateway: r.Get("SUNING_GATEWAY"), AppKey: r.Get("SUNING_APP_KEY"), AppSecret: r.Get("SUNING_APP_SECRET"), AccessToken: r.Get("SUNING_ACCESS_TOKEN")}
}

func startSuning(r *Run) error {
	c, err := suning.NewClient(suningConfig(r), r.options(nil)...)
	if err != nil {
		return err
	}
	r.track(c)
	r.rec.setRedactor(c.Redact)
	return nil
}

func suningClient(r *Run, edit func(*suning.Config), clock couponkit.Clock) (*suning.Client, error) {
	cfg := suningConfig(r)
	if edit != nil {
		edit(&cfg)
	}
	c, err := suning.NewClient(cfg, r.options(clock)...)
	if err != nil {
		return nil, err
	}
	r.track(c)
	return c, nil
}

func suningQuery(r *Run) *suning.QueryRequest {
	return &suning.QueryRequest{ActionID: r.Input("action-id"), PartNumber: r.Input("part-number"), VendorID: r.Input("vendor-id")}
}

func suningRead(ctx context.Context, r *Run, edit func(*suning.Config), clock couponkit.Clock) error {
	c, err := suningClient(r, edit, clock)
	if err != nil {
		return err
	}
	_, err = c.Query(ctx, suningQuery(r))
	return err
}

func suningPoints() []Point {
	query := []string{"action-id", "part-number", "vendor-id"}
	write := []string{"part-number", "vendor-id"}
	return []Point{
		skewPoint("clock-skew", "known",
			"AppRequestTime is Beijing time, fresh for every attempt; the gateway allows 10 minutes of skew",
			"suningtest.Config.MaxSkew", 10*time.Minute, query,
			func(ctx context.Context, r *Run, clock couponkit.Clock) error { return suningRead(ctx, r, nil, clock) }),
		{
			ID: "url-path", Mark: "known", Inputs: query,
			Claim:  "the bare sopRequest URL, as Suning's Python SDK posts; \"/<method>\" appended (the PHP SDK) is accepted too",
			Option: "suning.Config.AppendMethodToPath",
			Check:  suningURLPath,
		},
		{
			ID: "enroll-dedup", Mark: "assumed", Writes: true, TestOnly: true, Inputs: write,
			Claim:  "the vendor de-duplicates Create, Modify and Stop on enrollInfoCode (报文唯一标识): they are Keyed writes, retried with the same key",
			Option: "suning.AppointRequest.EnrollInfoCode, Config.NewKey; suningtest.Config.IgnoreEnrollInfoCode",
			Plan: func(r *Run) []string {
				return []string{
					"suning.custom.appoint.create of a probe activity (\"couponkit probe\", goods " + r.Input("part-number") + ", vendor " + r.Input("vendor-id") + ", in 2099) with enrollInfoCode " + suningProbeKey(r, "C") + ", twice",
					"take back: operateType 03 (stop) of each activity created",
				}
			},
			Check: suningEnrollDedup,
		},
		{
			ID: "stop-unknown", Mark: "open", Writes: true, TestOnly: true, Inputs: write,
			Claim:  "how the vendor refuses to stop an activity that does not exist is not documented (the fake answers biz.handler.data-get:no-result, a client fault)",
			Option: "suning.Config.CodeFaults",
			Plan: func(r *Run) []string {
				return []string{"operateType 03 (stop) of activity " + suningMissingID + ", which does not exist: nothing to take back"}
			},
			Check: suningStopUnknown,
		},
		authPoint("auth", "open",
			"a vendor error envelope is classified by FaultFor; a wrong signature is an auth fault",
			"suning.Config.CodeFaults (FaultFor)", query, true, suningWrongSecret),
		shapePoint("shapes", "suning.custom.appoint.query answers resultFlag, resultCode, resultMsg and the activity's main fields in sn_responseContent.sn_body.queryAppoint", query,
			shapeCall{label: "suning.custom.appoint.query",
				send:  func(ctx context.Context, r *Run) error { return suningRead(ctx, r, nil, nil) },
				reads: suningQueryFields}),
	}
}

// suningURLPath queries an activity at the bare URL and with the method
// appended: both read, the point is known.
func suningURLPath(ctx context.Context, r *Run) Finding {
	r.label("read: suning.custom.appoint.query, bare URL")
	bare := suningRead(ctx, r, nil, nil)
	r.label("read: suning.custom.appoint.query, URL/method")
	appended := suningRead(ctx, r, func(cfg *suning.Config) { cfg.AppendMethodToPath = true }, nil)
	seen := "bare URL " + describe(bare) + "; URL/method " + describe(appended)
	switch {
	case passed(bare) && passed(appended):
		return Finding{Known, seen}
	case !passed(bare) && !passed(appended):
		return Finding{Open, seen}
	}
	return Finding{Contradicted, seen}
}

// suningStopUnknown stops an activity that does not exist and reports how
// the vendor refuses it.
func suningStopUnknown(ctx context.Context, r *Run) Finding {
	c, err := suningClient(r, nil, nil)
	if err != nil {
		return Finding{Open, err.Error()}
	}
	req := suningActivity(r, suningProbeKey(r, "S"))
	req.ActionID = suningMissingID
	r.label("write: stop of an activity that does not exist")
	_, err = c.Stop(ctx, req)
	switch {
	case err == nil:
		return Finding{Contradicted, "a stop of an activity that does not exist succeeded"}
	case refusal(err):
		return Finding{Known, "refused with " + describe(err)}
	}
	return Finding{Open, describe(err)}
}

// suningWrongSecret queries an activity signed with a wrong app secret.
func suningWrongSecret(ctx context.Context, r *Run) error {
	wrong := r.Get("SUNING_APP_SECRET") + "-probe-wrong"
	r.rec.addSecret(wrong)
	return suningRead(ctx, r, func(cfg *suning.Config) { cfg.AppSecret = wrong }, nil)
}

// suningQueryFields are the members Query reads from its answer.
func suningQueryFields(Shape) []string {
	node := "sn_responseContent.sn_body.queryAppoint"
	return append(under(node, "resultCode", "resultMsg", "actionId"), under(node, "actionName", "actionType", "actionStartTime", "actionEndTime")...)
}

// suningMissingID is an activity id no gateway has.
const suningMissingID = "990000000000000001"

// suningProbeKey is the enrollInfoCode of the probe's write called name,
// made by suning.DefaultEnrollInfoCode (the SDK's own keys).
func suningProbeKey(r *Run, name string) string {
	return r.key("suning "+name, func() string { return suning.DefaultEnrollInfoCode(r.opts.Clock.Now()) })
}

// suningActivity is the probe's activity: far in the future, so no
// customer can see it before it is stopped.
func suningActivity(r *Run, key string) *suning.AppointRequest {
	loc := time.FixedZone("CST", 8*3600)
	at := func(day, hour int) time.Time { return time.Date(2099, 6, day, hour, 0, 0, 0, loc) }
	return &suning.AppointRequest{
		EnrollInfoCode:    key,
		ActionType:        suning.ActionTypeNormal,
		ActionName:        "couponkit probe",
		Terminal:          suning.TerminalPCAndMobile,
		ActionStart:       at(1, 0),
		ScheduleStart:     at(1, 10),
		ScheduleEnd:       at(17, 20),
		PurchaseStart:     at(18, 0),
		TicketResaleStart: at(18, 2),
		PurchaseEnd:       at(18, 23),
		ActionEnd:         at(20, 0),
		SendUserMsg:       suning.SendMsgNo,
		SendScalperMsg:    suning.SendMsgNo,
		ExcludeCities:     []string{"9017"},
		VendorType:        suning.VendorSelfOperated,
		VendorCode:        r.Input("vendor-id"),
		VendorName:        "couponkit probe",
		Transit:           suning.TransitNo,
		NoticePhone:       "13800138000",
		OtherTerminalSale: suning.OtherTerminalSaleNo,
		ShareImageURL:     "https://example.com/probe.png",
		ShareTitle:        "couponkit probe",
		ShareContent:      "couponkit probe",
		ShareURL:          "https://example.com/probe",
		ReceiveSys:        "SHOP",
		PartType:          suning.PartSingle,
		OperateUser:       "probe",
		Goods: []suning.Goods{{
			PartNumber: r.Input("part-number"), PartName: "couponkit probe", GeneralCode: r.Input("part-number"),
			TotalLimit: 1, PersonBuyLimit: 1, AppointPrice: 100, PriceLabel: "1", Price: 100, DefaultFlag: suning.DefaultGoodsYes,
			ReminderSMS: "couponkit probe",
		}},
	}
}

func suningEnrollDedup(ctx context.Context, r *Run) Finding {
	c, err := suningClient(r, nil, nil)
	if err != nil {
		return Finding{Open, err.Error()}
	}
	key := suningProbeKey(r, "C")
	r.label("write: create")
	first, err := c.Create(ctx, suningActivity(r, key))
	if err != nil {
		if errors.Is(err, couponkit.ErrUnknownOutcome) {
			return Finding{Open, "the create's outcome is unknown (" + describe(err) + "): look for activity \"couponkit probe\" and stop it by hand"}
		}
		return Finding{Open, "the create was refused (" + describe(err) + "): nothing written"}
	}
	r.label("write: create, same enrollInfoCode")
	second, again := c.Create(ctx, suningActivity(r, key))
	ids := []string{first.ActionID}
	if again == nil && second.ActionID != first.ActionID {
		ids = append(ids, second.ActionID)
	}
	var back []string
	for i, id := range ids {
		req := suningActivity(r, suningProbeKey(r, fmt.Sprint(i+1)))
		req.ActionID = id
		r.label("take back: stop")
		_, err := c.Stop(ctx, req)
		back = append(back, "activity "+id+" "+takenBack(err, "activity "+id+" (stop it)"))
	}
	tb := strings.Join(back, "; ")
	switch {
	case again == nil && second.ActionID == first.ActionID:
		return Finding{Known, "a repeated enrollInfoCode is answered with the first create's activity (" + first.ActionID + "), nothing made again; " + tb}
	case again == nil:
		return Finding{Contradicted, "a repeated enrollInfoCode made a second activity (" + first.ActionID + ", " + second.ActionID + "): the gateway does not de-duplicate on it; " + tb}
	case refusal(again):
		return Finding{Contradicted, "a repeated enrollInfoCode is refused (" + describe(again) + "), not answered as the first: a retry after a lost answer reads as a failure; " + tb}
	}
	return Finding{Open, "the repeat's outcome: " + describe(again) + "; " + tb}
}
