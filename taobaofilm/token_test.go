package taobaofilm_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/internal/testclock"
	"github.com/couponkit/couponkit/internal/tokentest"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
	"github.com/couponkit/couponkit/token"
)

// tokenAt is the instant of the token wire tests.
var tokenAt = time.Date(2026, 1, 8, 2, 59, 29, 0, time.UTC)

// printedTokenResult is a token_result with every member TOP prints, its
// values of the same forms (the nick URL-escaped, times in epoch ms, the
// user id a string; re_expires_in 0 as for an app that may not refresh).
const printedTokenResult = `{\"w1_expires_in\":31525572,\"refresh_token_valid_time\":1767841169000,` +
	`\"taobao_user_nick\":\"couponkit%E6%97%97%E8%88%B0%E5%BA%97\",\"re_expires_in\":0,\"expire_time\":1799377170000,` +
	`\"token_type\":\"Bearer\",\"access_token\":\"6201a0a0a0a0ZZ2206890150985\",\"taobao_open_uid\":\"AAGyYCniAOGL3SARbugzJ7Gs\",` +
	`\"w1_valid\":1799377170468,\"refresh_token\":\"6202b1b1b1b1ZZ2206890150985\",\"w2_expires_in\":31525572,` +
	`\"w2_valid\":1799377170468,\"r1_expires_in\":31525572,\"r2_expires_in\":31525572,\"r2_valid\":1799377170468,` +
	`\"r1_valid\":1799377170468,\"taobao_user_id\":\"2206890150985\",\"expires_in\":31525571}`

// token.create on the wire: its method and code, no session even when the
// client has one, signed over exactly what is sent; and the answer as TOP
// prints it, token_result a JSON string.
func TestCreateTokenWireAndAnswer(t *testing.T) {
	t.Parallel()
	body := `{"top_auth_token_create_response":{"token_result":"` + printedTokenResult + `","request_id":"r-7"}}`
	c, rec := mockClient(t, taobaofilm.Config{Session: "old-session"}, testclock.New(tokenAt), answer{200, body})
	res, err := c.CreateToken(context.Background(), &taobaofilm.CreateTokenRequest{Code: "0Q7xK4", UUID: "u-1"})
	require.NoError(t, err)
	p := rec.form(t, 0)
	assert.Equal(t, "taobao.top.auth.token.create", p.Get("method"))
	assert.Equal(t, "0Q7xK4", p.Get("code"))
	assert.Equal(t, "u-1", p.Get("uuid"))
	assert.NotContains(t, p, "session", "the token methods go without a session")
	assert.Equal(t, "2026-01-08 10:59:29", p.Get("timestamp"))
	assert.Equal(t, independentSign(p, "s3cr3t+密钥&"), p.Get("sign"))

	assert.Equal(t, "6201a0a0a0a0ZZ2206890150985", res.AccessToken)
	assert.Equal(t, "6202b1b1b1b1ZZ2206890150985", res.RefreshToken)
	assert.Equal(t, "Bearer", res.TokenType)
	assert.True(t, res.Expiry.Equal(time.UnixMilli(1799377170000)), "expire_time, not the clock plus expires_in")
	assert.True(t, res.RefreshExpiry.Equal(time.UnixMilli(1767841169000)))
	assert.Equal(t, "2206890150985", res.UserID)
	assert.Equal(t, "couponkit旗舰店", res.UserNick)
	assert.Equal(t, "AAGyYCniAOGL3SARbugzJ7Gs", res.OpenUID)
	assert.Equal(t, "r-7", res.Meta.RequestID)
	assert.Empty(t, res.Meta.Raw, "the body holds the tokens")
	tok := res.Token()
	assert.Equal(t, res.AccessToken, tok.AccessToken)
	assert.Equal(t, res.RefreshToken, tok.RefreshToken)
	assert.True(t, tok.Expiry.Equal(res.Expiry))
}

// token.refresh on the wire, in the simplify=true shape; an answer without
// expire_time expires expires_in seconds after the client's clock.
func TestRefreshTokenWireAndAnswer(t *testing.T) {
	t.Parallel()
	body := `{"token_result":"{\"access_token\":\"6201new\",\"refresh_token\":\"6202new\",\"expires_in\":86400,\"re_expires_in\":2592000,\"token_type\":\"Bearer\"}","request_id":"r-8"}`
	c, rec := mockClient(t, taobaofilm.Config{Simplify: true}, testclock.New(tokenAt), answer{200, body})
	res, err := c.RefreshToken(context.Background(), &taobaofilm.RefreshTokenRequest{RefreshToken: "6202old"})
	require.NoError(t, err)
	p := rec.form(t, 0)
	assert.Equal(t, "taobao.top.auth.token.refresh", p.Get("method"))
	assert.Equal(t, "6202old", p.Get("refresh_token"))
	assert.Equal(t, "true", p.Get("simplify"))
	assert.Equal(t, independentSign(p, "s3cr3t+密钥&"), p.Get("sign"))
	assert.Equal(t, "6201new", res.AccessToken)
	assert.Equal(t, "6202new", res.RefreshToken)
	assert.True(t, res.Expiry.Equal(tokenAt.Add(24*time.Hour)))
	assert.True(t, res.RefreshExpiry.Equal(tokenAt.Add(30*24*time.Hour)))

	// An answer that keeps the refresh token: the one sent stays.
	c, _ = mockClient(t, taobaofilm.Config{Simplify: true}, testclock.New(tokenAt), answer{200, `{"token_result":"{\"access_token\":\"6201x\",\"expires_in\":60}"}`})
	res, err = c.RefreshToken(context.Background(), &taobaofilm.RefreshTokenRequest{RefreshToken: "6202old"})
	require.NoError(t, err)
	assert.Equal(t, "6202old", res.RefreshToken)
}

func TestTokenCallsValidateAndSendNothing(t *testing.T) {
	t.Parallel()
	c, rec := mockClient(t, taobaofilm.Config{}, testclock.New(tokenAt))
	var ve *couponkit.ValidationError
	_, err := c.CreateToken(context.Background(), &taobaofilm.CreateTokenRequest{Code: " "})
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "Code", ve.Field)
	_, err = c.CreateToken(context.Background(), nil)
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "CreateTokenRequest", ve.Field)
	_, err = c.RefreshToken(context.Background(), &taobaofilm.RefreshTokenRequest{})
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "RefreshToken", ve.Field)
	assert.Zero(t, rec.count())
}

// The fault table of the token calls, Unsafe writes without a key.
func TestTokenCallFaults(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		answers  []answer
		unknown  bool
		fault    couponkit.Fault
		attempts int
	}{
		{"refused", []answer{{200, `{"error_response":{"code":15,"msg":"Remote service error","sub_code":"isv.invalid-parameter:refresh_token","sub_msg":"refresh_token非法","request_id":"r1"}}`}}, false, couponkit.FaultClient, 1},
		{"throttled, then issued", []answer{{200, `{"error_response":{"code":7,"msg":"App Call Limited","sub_code":"accesscontrol.limited-by-app-access-count","sub_msg":"This ban will last for 1 more seconds"}}`},
			{200, `{"top_auth_token_refresh_response":{"token_result":"{\"access_token\":\"6201n\",\"expires_in\":60}"}}`}}, false, 0, 2},
		{"a success without a session", []answer{{200, `{"top_auth_token_refresh_response":{"token_result":"{\"expires_in\":60}"}}`}}, true, couponkit.FaultUnknown, 1},
		{"token_result that is not the JSON", []answer{{200, `{"top_auth_token_refresh_response":{"token_result":"{\"access_token\":\"6201leak\",\"expires_in\":\"soon\"}"}}`}}, true, couponkit.FaultUnknown, 1},
		{"a proxy's page", []answer{{502, `<html>bad gateway 6202sent</html>`}}, true, couponkit.FaultServer, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, rec := mockClient(t, taobaofilm.Config{}, testclock.New(tokenAt), tc.answers...)
			res, err := c.RefreshToken(context.Background(), &taobaofilm.RefreshTokenRequest{RefreshToken: "6202sent"})
			assert.Equal(t, tc.attempts, rec.count(), "attempts")
			if tc.attempts == 2 {
				require.NoError(t, err)
				assert.Equal(t, "6201n", res.AccessToken)
				return
			}
			require.Error(t, err)
			assert.Equal(t, tc.unknown, errors.Is(err, couponkit.ErrUnknownOutcome))
			assert.Equal(t, tc.fault, couponkit.FaultOf(err))
			assert.NotContains(t, err.Error(), "6202sent", "the refresh token sent")
			assert.NotContains(t, err.Error(), "6201leak", "a session in the answer")
		})
	}
}

// Against the fake: a code works once, and a refresh token too: a second
// refresh with the same one is refused, so a double refresh is caught.
func TestFakeRotatesTokens(t *testing.T) {
	t.Parallel()
	clock := couponkittest.NewClock(tokenAt)
	srv := newFake(t, taobaofilmtest.Config{InMemory: true, Clock: clock})
	c, err := taobaofilm.NewClient(fakeConfig(srv), srv.ClientOption(), couponkit.WithClock(clock))
	require.NoError(t, err)
	defer c.Close()
	code := srv.IssueCode()
	first, err := c.CreateToken(context.Background(), &taobaofilm.CreateTokenRequest{Code: code})
	require.NoError(t, err)
	assert.True(t, first.Expiry.Equal(tokenAt.Add(taobaofilmtest.DefaultSessionTTL)))
	assert.Equal(t, taobaofilmtest.UserNick, first.UserNick)
	_, err = c.CreateToken(context.Background(), &taobaofilm.CreateTokenRequest{Code: code})
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, taobaofilmtest.SubCodeInvalidCode, ce.SubCode)

	second, err := c.RefreshToken(context.Background(), &taobaofilm.RefreshTokenRequest{RefreshToken: first.RefreshToken})
	require.NoError(t, err)
	assert.NotEqual(t, first.RefreshToken, second.RefreshToken, "rotated")
	_, err = c.RefreshToken(context.Background(), &taobaofilm.RefreshTokenRequest{RefreshToken: first.RefreshToken})
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, taobaofilmtest.SubCodeInvalidRefreshToken, ce.SubCode)
	assert.Equal(t, couponkit.FaultClient, ce.Fault)
	assert.Equal(t, taobaofilmtest.TokenStats{Created: 1, Refreshed: 1, RefreshRefused: 1}, srv.Tokens())
}

func TestSessionAndTokenSourceExcludeEachOther(t *testing.T) {
	t.Parallel()
	_, err := taobaofilm.NewClient(taobaofilm.Config{AppKey: "k", AppSecret: "s", Session: "s1", TokenSource: token.Static("s2")})
	var ve *couponkit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "TokenSource", ve.Field)
}

// tokenFixture is a fake issuing sessions, with its clock, and a client
// whose TokenSource is a token.Refreshing refreshed by a second client.
type tokenFixture struct {
	srv         *taobaofilmtest.Server
	fakeClock   *couponkittest.Clock
	clientClock *couponkittest.Clock
	src         *token.Refreshing
	store       *token.MemoryStore
	c           *taobaofilm.Client
}

// newTokenFixture starts the fake on fakeClock; the client and its source
// read clientClock (the same clock, or one that stands still so that only
// the fake knows the session expired).
func newTokenFixture(t *testing.T, fakeClock, clientClock *couponkittest.Clock) *tokenFixture {
	t.Helper()
	// The clocks part by hours: the fake takes any timestamp within days.
	srv := newFake(t, taobaofilmtest.Config{InMemory: true, Clock: fakeClock, SessionTTL: time.Hour, MaxSkew: 100 * time.Hour})
	opts := []couponkit.Option{srv.ClientOption(), couponkit.WithClock(clientClock)}
	refresher, err := taobaofilm.NewClient(fakeConfig(srv), opts...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = refresher.Close() })
	src, store := tokentest.Refreshing(t, srv.IssueToken(), refresher.Refresher(), clientClock)
	cfg := fakeConfig(srv)
	cfg.TokenSource = src
	c, err := taobaofilm.NewClient(cfg, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return &tokenFixture{srv: srv, fakeClock: fakeClock, clientClock: clientClock, src: src, store: store, c: c}
}

// Each call carries the source's session in its signed params.
func TestTokenSourceSessionOnTheWire(t *testing.T) {
	t.Parallel()
	clock := couponkittest.NewClock(tokenAt)
	f := newTokenFixture(t, clock, clock)
	want, err := f.store.Load(context.Background())
	require.NoError(t, err)
	_, err = f.c.ExportCodes(context.Background(), defaultExport())
	require.NoError(t, err)
	reqs := f.srv.Requests()
	require.Len(t, reqs, 1)
	p := taobaofilmtest.Params(reqs[0])
	assert.Equal(t, want.AccessToken, p.Get("session"))
	assert.Equal(t, independentSign(p, taobaofilmtest.DefaultAppSecret), p.Get("sign"))
	assert.Equal(t, 1, f.srv.Tokens().Accepted)
}

// The fake says the session expired while the client's clock says it is
// fresh: the export (a read), SendCodes (Keyed) and MerchantSendCodes
// (Unsafe, refused before acting) each renew it once, are sent once more,
// and succeed; the codes are issued once.
func TestExpiredSessionRenewsOnceAndResends(t *testing.T) {
	t.Parallel()
	fakeClock, clientClock := couponkittest.NewClock(tokenAt), couponkittest.NewClock(tokenAt)
	f := newTokenFixture(t, fakeClock, clientClock)
	ctx := context.Background()

	fakeClock.Advance(time.Hour)
	_, err := f.c.ExportCodes(ctx, defaultExport())
	require.NoError(t, err)
	assert.Equal(t, taobaofilmtest.TokenStats{Refreshed: 1, Expired: 1, Accepted: 1}, f.srv.Tokens())

	fakeClock.Advance(time.Hour)
	sent, err := f.c.SendCodes(ctx, &taobaofilm.SendCodesRequest{MixID: taobaofilmtest.DefaultMixID, PartnerCode: taobaofilmtest.DefaultPartnerCode, ExtOrderID: "O-1", Number: 2})
	require.NoError(t, err)
	assert.Len(t, sent.Codes, 2)
	reqs := f.srv.Requests()
	last, before := taobaofilmtest.Params(reqs[len(reqs)-1]), taobaofilmtest.Params(reqs[len(reqs)-3])
	assert.Equal(t, before.Get(taobaofilm.SendParam), last.Get(taobaofilm.SendParam), "the same params, ext_order_id included")
	assert.NotEqual(t, before.Get("session"), last.Get("session"))

	fakeClock.Advance(time.Hour)
	_, err = f.c.MerchantSendCodes(ctx, &taobaofilm.MerchantSendRequest{ActivityID: 1, ProductMixID: taobaofilmtest.DefaultMixID, PartnerCode: taobaofilmtest.DefaultPartnerCode, ExtOrderID: "M-1", Number: 1})
	require.NoError(t, err)
	assert.Equal(t, int64(3), f.srv.Issued(taobaofilmtest.DefaultMixID), "issued once per call")
	assert.Equal(t, taobaofilmtest.TokenStats{Refreshed: 3, Expired: 3, Accepted: 3}, f.srv.Tokens())
	assert.Equal(t, int64(3), f.src.Refreshes())
}

// An Unsafe write whose attempt may have been applied is an unknown outcome
// with its key, never renewed and sent again.
func TestExpiredSessionNeverResendsAnUnknownOutcome(t *testing.T) {
	t.Parallel()
	fakeClock, clientClock := couponkittest.NewClock(tokenAt), couponkittest.NewClock(tokenAt)
	f := newTokenFixture(t, fakeClock, clientClock)
	fakeClock.Advance(time.Hour)
	f.srv.DropNextAfterWrite()
	_, err := f.c.MerchantSendCodes(context.Background(), &taobaofilm.MerchantSendRequest{ActivityID: 1, ProductMixID: taobaofilmtest.DefaultMixID, PartnerCode: taobaofilmtest.DefaultPartnerCode, ExtOrderID: "M-2", Number: 1})
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	key, _ := couponkit.IdempotencyKey(err)
	assert.Equal(t, "M-2", key)
	assert.Equal(t, 1, f.srv.RequestCount())
	assert.Zero(t, f.srv.Tokens().Refreshed)
}

// A token refresh under load: sixteen goroutines export in two rounds, and
// in each the session expires mid-round (the fake's clock moves past it
// once a third of the round's calls arrived; the rounds keep a straggler of
// one expiry from meeting the next, which real lifetimes of hours do).
// With the client on the same clock, it refreshes ahead and the calls in
// flight are refused and sent again; with the client's clock standing
// still, only the fake knows, and every goroutine's call is refused and
// renews the session at once. Either way each expiry is refreshed exactly
// once, every call succeeds, and the fake accepted exactly one request per
// call.
func TestSessionRefreshUnderLoad(t *testing.T) {
	tokentest.EachClock(t, tokenAt, func(t *testing.T, fakeClock, clientClock *couponkittest.Clock) {
		f := newTokenFixture(t, fakeClock, clientClock)
		ctx := context.Background()
		load := tokentest.Load{Rounds: 2, Workers: 16, Each: 8}
		load.Run(t, ctx, f.srv, func(ctx context.Context) error {
			_, err := f.c.ExportCodes(ctx, defaultExport())
			return err
		}, func() { fakeClock.Advance(time.Hour) }) // the session expires now
		st := f.srv.Tokens()
		assert.Equal(t, load.Rounds, st.Refreshed, "one refresh per expiry")
		assert.Zero(t, st.RefreshRefused)
		assert.Equal(t, load.Calls(), st.Accepted, "every call accepted once")
		assert.Equal(t, int64(load.Rounds), f.src.Refreshes())
		t.Logf("%d calls, %d refreshes, %d answered session-expired and sent again", load.Calls(), st.Refreshed, st.Expired)
		saved, err := f.store.Load(ctx)
		require.NoError(t, err)
		_, err = f.c.RefreshToken(ctx, &taobaofilm.RefreshTokenRequest{RefreshToken: saved.RefreshToken})
		require.NoError(t, err, "the saved refresh token is the live one")
	})
}

// The session never appears in an error, even when a gateway echoes the
// request.
func TestTokenSourceSessionIsRedacted(t *testing.T) {
	t.Parallel()
	echo := couponkittest.HandlerTransport(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("<html>upstream failed: " + r.Form.Encode() + "</html>"))
	}))
	c, err := taobaofilm.NewClient(taobaofilm.Config{Gateway: mockGateway, AppKey: "k", AppSecret: "s", TokenSource: token.Static("6201s3ss10n+/=")},
		couponkit.WithTransport(echo), couponkit.WithClock(testclock.New(tokenAt)), couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 1}))
	require.NoError(t, err)
	defer c.Close()
	_, err = c.ExportCodes(context.Background(), defaultExport())
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "s3ss10n")
}
