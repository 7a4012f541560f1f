package ebuy_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
)

var ntLayouts = map[string]ebuytest.NotifyLayout{
	"envelope":    ebuytest.LayoutEnvelope,
	"notifyParam": ebuytest.LayoutNotifyParam,
	"flat":        ebuytest.LayoutFlat,
}

// ntModes are the unsigned policies, built for a client of the fake.
var ntModes = map[string]func(*ebuy.Client) ebuy.UnsignedPolicy{
	"refuse":  func(*ebuy.Client) ebuy.UnsignedPolicy { return ebuy.RefuseUnsigned() },
	"confirm": func(c *ebuy.Client) ebuy.UnsignedPolicy { return ebuy.ConfirmUnsigned(c) },
	"accept":  func(*ebuy.Client) ebuy.UnsignedPolicy { return ebuy.AcceptUnsigned() },
}

// TestNotifyLayoutsBySigningByMode sends a redemption and its cancellation
// in each layout, signed, unsigned and with a sign that does not verify, to
// a handler under each unsigned policy.
func TestNotifyLayoutsBySigningByMode(t *testing.T) {
	t.Parallel()
	// want[signing][mode] is the status of the answer.
	want := map[string]map[string]int{
		"signed":   {"refuse": 200, "confirm": 200, "accept": 200},
		"unsigned": {"refuse": 401, "confirm": 200, "accept": 200},
		"bad sign": {"refuse": 401, "confirm": 401, "accept": 401},
	}
	for lname, layout := range ntLayouts {
		for sname, byMode := range want {
			for mname, mode := range ntModes {
				t.Run(lname+"/"+sname+"/"+mname, func(t *testing.T) {
					t.Parallel()
					ctx := context.Background()
					fake, c, _ := fakeClient(t)
					codes := fake.SeedCodes(1, ebuy.StatusUnused)
					redemption, err := fake.Redeem("1490", "北京银泰店", codes...)
					require.NoError(t, err)

					var ev events
					secret := fake.Secret()
					if sname == "bad sign" {
						secret = "another-secret"
					}
					cp := &ntCapture{h: ebuy.NewNotifyHandler(secret, ev.handle, ebuy.WithUnsigned(mode(c)))}
					srv := httptest.NewServer(cp)
					defer srv.Close()
					n := fake.Notifier(ebuytest.NotifierConfig{URL: srv.URL, Layout: layout, Unsigned: sname == "unsigned"})

					_ = n.SendVerify(ctx, codes...)
					_, err = c.CancelRedemption(ctx, &ebuy.CancelRedemptionRequest{OriginalUUID: redemption})
					require.NoError(t, err)
					_ = n.SendVerifyVoid(ctx, codes...)

					status := byMode[mname]
					assert.Equal(t, []int{status, status}, cp.Statuses())
					bodies := cp.Bodies()
					require.Len(t, bodies, 2)
					ntCheckLayout(t, bodies[0], layout, sname != "unsigned")
					if sname == "signed" {
						assert.Equal(t, ntSHA256(ntPayload(t, bodies[0], fake.Secret())), field(t, bodies[0], "sign"), "the fake signs as e-Buy does")
					}
					got := ev.list()
					if status != http.StatusOK {
						assert.Empty(t, got, "the function is not called")
						assert.Len(t, n.Unacknowledged(), 2, "kept for re-sending")
						return
					}
					assert.Empty(t, n.Unacknowledged())
					require.Len(t, got, 2)
					assert.Equal(t, ebuy.EventVerify, got[0].Kind)
					assert.Equal(t, ebuy.EventVerifyVoid, got[1].Kind)
					for _, e := range got {
						assert.Equal(t, sname == "signed", e.Signed)
						assert.Equal(t, sname == "unsigned" && mname == "confirm", e.Confirmed)
						assert.Equal(t, ebuytest.DefaultAppID, e.AppID)
						assert.Regexp(t, `^\d{8}-[0-9a-f]{32}$`, e.UUID)
						// Unsigned, the fake's flat redemption carries no
						// time (no page prints one); the void its createDate.
						noTime := layout == ebuytest.LayoutFlat && sname == "unsigned" && e.Kind == ebuy.EventVerify
						assert.Equal(t, noTime, e.Timestamp.IsZero())
						require.Len(t, e.Items, 1)
						assert.Equal(t, codes[0], e.Items[0].Code)
						assert.Equal(t, redemption, e.Items[0].OriginalRequestID)
						assert.Equal(t, ebuytest.DefaultProductID, e.Items[0].TicketID)
					}
				})
			}
		}
	}
}

// ntCheckLayout checks by hand the top-level keys of a body the fake sent.
func ntCheckLayout(t *testing.T, body []byte, layout ebuytest.NotifyLayout, signed bool) {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(body, &m))
	keys := map[string]bool{}
	for k := range m {
		keys[k] = true
	}
	want := map[ebuytest.NotifyLayout][]string{
		ebuytest.LayoutEnvelope:    {"action", "appId", "content", "lang", "timestamp", "uuid"},
		ebuytest.LayoutNotifyParam: {"action", "appId", "content", "lang", "timestamp", "uuid"},
		ebuytest.LayoutFlat:        {"appId", "channelInfoList", "items", "uuid"}, // a redemption: neither createDate nor verifyScene
	}[layout]
	if signed {
		want = append(want, "sign", "signType")
		if layout == ebuytest.LayoutFlat {
			want = append(want, "action", "timestamp")
		}
	}
	wantKeys := map[string]bool{}
	for _, k := range want {
		wantKeys[k] = true
	}
	assert.Equal(t, wantKeys, keys)
	if layout == ebuytest.LayoutNotifyParam {
		var content struct {
			NotifyParam struct {
				Items []json.RawMessage `json:"items"`
				UUID  string            `json:"uuid"`
			} `json:"notifyParam"`
		}
		require.NoError(t, json.Unmarshal(m["content"], &content))
		assert.Len(t, content.NotifyParam.Items, 1)
		assert.Equal(t, field(t, body, "uuid"), content.NotifyParam.UUID)
	}
}

// TestNotifyConfirmRefusesWhatTheHistoryDoesNotShow: under ConfirmUnsigned
// an unsigned event reaches the function only when the code's history on
// e-Buy shows it.
func TestNotifyConfirmRefusesWhatTheHistoryDoesNotShow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fake, c, _ := fakeClient(t)
	var ev events
	cp := &ntCapture{h: ebuy.NewNotifyHandler(fake.Secret(), ev.handle, ebuy.WithUnsigned(ebuy.ConfirmUnsigned(c)))}
	srv := httptest.NewServer(cp)
	defer srv.Close()
	n := fake.Notifier(ebuytest.NotifierConfig{URL: srv.URL, Layout: ebuytest.LayoutNotifyParam, Unsigned: true, MaxAttempts: 1})

	unused := fake.SeedCodes(1, ebuy.StatusUnused)
	redeemed := fake.SeedCodes(1, ebuy.StatusUnused)
	_, err := fake.Redeem("1490", "北京银泰店", redeemed...)
	require.NoError(t, err)

	// A redemption of a code never redeemed.
	require.ErrorContains(t, n.SendVerify(ctx, unused...), "answered 403")
	// A cancellation of a redemption still standing.
	require.ErrorContains(t, n.SendVerifyVoid(ctx, redeemed...), "answered 403")
	// A cancellation of a code never redeemed.
	require.ErrorContains(t, n.SendVerifyVoid(ctx, unused...), "answered 403")
	// One true item does not carry a false one.
	require.ErrorContains(t, n.SendVerify(ctx, redeemed[0], unused[0]), "answered 403")
	// A status change: the history's types are not published, so the
	// default rule confirms none.
	require.ErrorContains(t, n.SendCodeStatus(ctx, redeemed...), "answered 403")
	assert.Empty(t, ev.list())

	// A code e-Buy does not know, by hand.
	rec := ntPost(cp, `{"action":"verifyCodeNotify","appId":"a","content":{"items":[{"code":"1031999999999999999"}]},"timestamp":1715911200789,"uuid":"20240517-x1"}`)
	assert.Equal(t, http.StatusForbidden, rec.Code)
	assert.Equal(t, "NOT_CONFIRMED", field(t, rec.Body.Bytes(), "errorCode"))
	// No code at all.
	rec = ntPost(cp, `{"action":"verifyCodeNotify","appId":"a","content":{"items":[]},"timestamp":1715911200789,"uuid":"20240517-x2"}`)
	assert.Equal(t, http.StatusForbidden, rec.Code)
	assert.Empty(t, ev.list())

	// What the history shows is delivered.
	require.NoError(t, n.SendVerify(ctx, redeemed...))
	got := ev.list()
	require.Len(t, got, 1)
	assert.True(t, got[0].Confirmed)
	assert.False(t, got[0].Signed)
}

// TestNotifyConfirmBoundsAndUnreadableHistory: too many codes are refused
// without a lookup; a history that cannot be read gets 503 so that e-Buy
// sends again; the record types and the rule can be replaced.
func TestNotifyConfirmBoundsAndUnreadableHistory(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fake, c, _ := fakeClient(t)
	codes := fake.SeedCodes(3, ebuy.StatusUnused)
	_, err := fake.Redeem("1490", "北京银泰店", codes...)
	require.NoError(t, err)

	var ev events
	srv := httptest.NewServer(ebuy.NewNotifyHandler(fake.Secret(), ev.handle, ebuy.WithUnsigned(ebuy.ConfirmUnsigned(c, ebuy.ConfirmMaxCodes(2)))))
	defer srv.Close()
	n := fake.Notifier(ebuytest.NotifierConfig{URL: srv.URL, Layout: ebuytest.LayoutFlat, Unsigned: true, MaxAttempts: 1})
	before := fake.RequestCount()
	require.ErrorContains(t, n.SendVerify(ctx, codes...), "answered 403")
	assert.Equal(t, before, fake.RequestCount(), "no lookup for a notification over the bound")
	require.NoError(t, n.SendVerify(ctx, codes[:2]...))

	// Types "2" are not redemptions under this reading: nothing confirms.
	srv2 := httptest.NewServer(ebuy.NewNotifyHandler(fake.Secret(), ev.handle,
		ebuy.WithUnsigned(ebuy.ConfirmUnsigned(c, ebuy.ConfirmRecordTypes([]string{"R"}, nil)))))
	defer srv2.Close()
	n2 := fake.Notifier(ebuytest.NotifierConfig{URL: srv2.URL, Unsigned: true, MaxAttempts: 1})
	require.ErrorContains(t, n2.SendVerify(ctx, codes[:1]...), "answered 403")

	// A rule of one's own confirms status changes.
	srv3 := httptest.NewServer(ebuy.NewNotifyHandler(fake.Secret(), ev.handle,
		ebuy.WithUnsigned(ebuy.ConfirmUnsigned(c, ebuy.ConfirmWith(func(kind ebuy.EventKind, _ ebuy.NotifyItem, records []ebuy.CodeRecord) bool {
			return kind == ebuy.EventCodeStatus && len(records) > 0
		})))))
	defer srv3.Close()
	n3 := fake.Notifier(ebuytest.NotifierConfig{URL: srv3.URL, Unsigned: true, MaxAttempts: 1})
	require.NoError(t, n3.SendCodeStatus(ctx, codes[:1]...))

	// e-Buy out of reach.
	down, dc, _ := fakeClient(t)
	down.Close()
	var ev4 events
	srv4 := httptest.NewServer(ebuy.NewNotifyHandler(fake.Secret(), ev4.handle, ebuy.WithUnsigned(ebuy.ConfirmUnsigned(dc))))
	defer srv4.Close()
	n4 := fake.Notifier(ebuytest.NotifierConfig{URL: srv4.URL, Unsigned: true, MaxAttempts: 1})
	require.ErrorContains(t, n4.SendVerify(ctx, codes[:1]...), "answered 503")
	assert.Empty(t, ev4.list())
	assert.Len(t, ev.list(), 2)
}
