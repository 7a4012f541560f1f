package suning_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/internal/testclock"
	"github.com/couponkit/couponkit/internal/tokentest"
	"github.com/couponkit/couponkit/suning"
	"github.com/couponkit/couponkit/suning/suningtest"
	"github.com/couponkit/couponkit/token"
)

const tokenURL = "https://open.suning.test/api/oauth/token"

// oauthMock returns a client whose token endpoint answers with the given
// statuses and bodies in turn (the last repeats), and what it received.
func oauthMock(t *testing.T, cfg suning.Config, answers ...[2]string) (*suning.Client, *[]captured) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	var mu sync.Mutex
	var seen []captured
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, captured{url: r.URL.String(), header: r.Header.Clone(), body: b})
		a := answers[min(len(seen), len(answers))-1]
		status := 200
		if a[0] != "" {
			status = atoi(a[0])
		}
		resp := httpmock.NewStringResponse(status, a[1])
		resp.Header.Set("Content-Type", "application/json;charset=UTF-8")
		return resp, nil
	})
	if cfg.AppKey == "" {
		cfg.AppKey, cfg.AppSecret = "app-key-1", "app-s3cret"
	}
	cfg.OAuthTokenURL = tokenURL
	c, err := suning.NewClient(cfg, couponkit.WithTransport(mt), couponkit.WithClock(testclock.New(goldenTime)))
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c, &seen
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// The authorization_code grant on the wire: a form of the client's
// credentials, the code and the registered redirect URI, posted to the
// token endpoint, without the access_token header; the answer with the
// members Suning's public clients read, numbers included.
func TestCreateTokenWire(t *testing.T) {
	t.Parallel()
	answer := `{"access_token":"a1c5c62b08df3a3cbf7efd","token_type":"bearer","expires_in":86400,"refresh_token":"r9d8e7",` +
		`"suning_user_name":"张三的店","custnum":7012345678,"module":1,"vendorCode":10000001}`
	c, seen := oauthMock(t, suning.Config{AccessToken: "static-token", OAuthRedirectURL: "https://app.example/cb?x=1"}, [2]string{"", answer})
	res, err := c.CreateToken(context.Background(), &suning.CreateTokenRequest{Code: "c0de+/="})
	require.NoError(t, err)
	require.Len(t, *seen, 1)
	got := (*seen)[0]
	assert.Equal(t, tokenURL, got.url)
	assert.Equal(t, "application/x-www-form-urlencoded", got.header.Get("Content-Type"))
	assert.Equal(t, "client_id=app-key-1&client_secret=app-s3cret&code=c0de%2B%2F%3D&grant_type=authorization_code&redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Fx%3D1", string(got.body))
	assert.Empty(t, got.header.Get(suning.HeaderAccessToken), "the token endpoint takes no access token")
	assert.Empty(t, got.header.Get(suning.HeaderSignInfo))

	assert.Equal(t, "a1c5c62b08df3a3cbf7efd", res.AccessToken)
	assert.Equal(t, "r9d8e7", res.RefreshToken)
	assert.Equal(t, "bearer", res.TokenType)
	assert.True(t, res.Expiry.Equal(goldenTime.Add(24*time.Hour)), "the clock plus expires_in seconds")
	assert.Equal(t, "张三的店", res.UserName)
	assert.Equal(t, "7012345678", res.CustNum)
	assert.Equal(t, "10000001", res.VendorCode)
	assert.Empty(t, res.Meta.Raw)
	assert.Equal(t, "r9d8e7", res.Token().RefreshToken)
}

// The refresh_token grant; an answer without a refresh token keeps the one
// sent, and one with expires_in as a string is read too.
func TestRefreshTokenWire(t *testing.T) {
	t.Parallel()
	c, seen := oauthMock(t, suning.Config{}, [2]string{"", `{"access_token":"a2","expires_in":"7200"}`})
	res, err := c.RefreshToken(context.Background(), &suning.RefreshTokenRequest{RefreshToken: "r1"})
	require.NoError(t, err)
	assert.Equal(t, "client_id=app-key-1&client_secret=app-s3cret&grant_type=refresh_token&refresh_token=r1", string((*seen)[0].body))
	assert.Equal(t, "a2", res.AccessToken)
	assert.Equal(t, "r1", res.RefreshToken)
	assert.True(t, res.Expiry.Equal(goldenTime.Add(2*time.Hour)))
}

func TestTokenCallsValidate(t *testing.T) {
	t.Parallel()
	c, seen := oauthMock(t, suning.Config{}, [2]string{"", `{}`})
	var ve *couponkit.ValidationError
	_, err := c.CreateToken(context.Background(), &suning.CreateTokenRequest{})
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "Code", ve.Field)
	_, err = c.RefreshToken(context.Background(), &suning.RefreshTokenRequest{RefreshToken: "  "})
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "RefreshToken", ve.Field)
	_, err = c.RefreshToken(context.Background(), nil)
	require.ErrorAs(t, err, &ve)
	assert.Empty(t, *seen)

	_, err = suning.NewClient(suning.Config{AppKey: "k", AppSecret: "s", AccessToken: "a", TokenSource: token.Static("b"), OAuthTokenURL: "ftp://x"})
	var fields []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		require.ErrorAs(t, e, &ve)
		fields = append(fields, ve.Field)
	}
	assert.Equal(t, []string{"TokenSource", "OAuthTokenURL"}, fields)
}

// The fault table of the grants, Unsafe writes without a key.
func TestTokenCallFaults(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		answers  [][2]string
		unknown  bool
		fault    couponkit.Fault
		code     string
		attempts int
	}{
		{"invalid_grant", [][2]string{{"400", `{"error":"invalid_grant","error_description":"refresh_token r-sent is used"}`}}, false, couponkit.FaultAuth, "invalid_grant", 1},
		{"invalid_client", [][2]string{{"401", `{"error":"invalid_client"}`}}, false, couponkit.FaultAuth, "invalid_client", 1},
		{"an unknown error, by its status", [][2]string{{"400", `{"error":"weird"}`}}, false, couponkit.FaultClient, "weird", 1},
		{"the gateway's sn_error", [][2]string{{"", `{"sn_responseContent":{"sn_error":{"error_code":"sys.check.user-permission:inexistence","error_msg":"用户key不存在"}}}`}}, false, couponkit.FaultAuth, suning.CodeUserInexistence, 1},
		{"throttled, then issued", [][2]string{{"429", ``}, {"", `{"access_token":"a9","expires_in":60}`}}, false, 0, "", 2},
		{"a success without an access token", [][2]string{{"", `{"expires_in":60,"refresh_token":"r-new"}`}}, true, couponkit.FaultUnknown, "", 1},
		{"temporarily_unavailable", [][2]string{{"503", `{"error":"temporarily_unavailable"}`}}, true, couponkit.FaultServer, "temporarily_unavailable", 1},
		{"a proxy's page", [][2]string{{"502", `<html>bad gateway refresh_token=r-sent</html>`}}, true, couponkit.FaultServer, "", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, seen := oauthMock(t, suning.Config{}, tc.answers...)
			res, err := c.RefreshToken(context.Background(), &suning.RefreshTokenRequest{RefreshToken: "r-sent"})
			assert.Len(t, *seen, tc.attempts)
			if tc.attempts == 2 {
				require.NoError(t, err)
				assert.Equal(t, "a9", res.AccessToken)
				return
			}
			require.Error(t, err)
			assert.Equal(t, tc.unknown, errors.Is(err, couponkit.ErrUnknownOutcome))
			assert.Equal(t, tc.fault, couponkit.FaultOf(err))
			if tc.code != "" {
				var ce *couponkit.Error
				require.ErrorAs(t, err, &ce)
				assert.Equal(t, tc.code, ce.Code)
				assert.Equal(t, suning.OperationTokenRefresh, ce.Operation)
			}
			assert.NotContains(t, err.Error(), "r-sent")
			assert.NotContains(t, err.Error(), "app-s3cret")
		})
	}
}

// Against the fake: a code works once, a refresh token too.
func TestFakeRotatesTokens(t *testing.T) {
	t.Parallel()
	c, srv, _ := fakeClient(t, suningtest.Config{InMemory: true})
	ctx := context.Background()
	code := srv.IssueCode()
	first, err := c.CreateToken(ctx, &suning.CreateTokenRequest{Code: code})
	require.NoError(t, err)
	assert.Equal(t, suningtest.UserName, first.UserName)
	_, err = c.CreateToken(ctx, &suning.CreateTokenRequest{Code: code})
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "invalid_grant", ce.Code)

	second, err := c.RefreshToken(ctx, &suning.RefreshTokenRequest{RefreshToken: first.RefreshToken})
	require.NoError(t, err)
	assert.NotEqual(t, first.RefreshToken, second.RefreshToken)
	_, err = c.RefreshToken(ctx, &suning.RefreshTokenRequest{RefreshToken: first.RefreshToken})
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "invalid_grant", ce.Code)
	assert.Equal(t, couponkit.FaultAuth, ce.Fault)
	assert.Equal(t, suningtest.TokenStats{Created: 1, Refreshed: 1, RefreshRefused: 1}, srv.Tokens())
	reqs := srv.Requests()
	assert.Equal(t, suning.OperationTokenCreate, reqs[0].API)
	assert.Equal(t, suning.OperationTokenRefresh, reqs[2].API)
}

// tokenFixture is a fake issuing access tokens, and a client whose
// TokenSource is a token.Refreshing refreshed by a second client.
type tokenFixture struct {
	srv   *suningtest.Server
	src   *token.Refreshing
	store *token.MemoryStore
	c     *suning.Client
}

func newTokenFixture(t *testing.T, fakeClock, clientClock *couponkittest.Clock) *tokenFixture {
	t.Helper()
	srv := suningtest.Start(t, suningtest.Config{InMemory: true, Clock: fakeClock, TokenTTL: time.Hour, MaxSkew: 100 * time.Hour})
	opts := []couponkit.Option{srv.ClientOption(), couponkit.WithClock(clientClock)}
	refresher, err := suning.NewClient(srv.ClientConfig(), opts...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = refresher.Close() })
	src, store := tokentest.Refreshing(t, srv.IssueToken(), refresher.Refresher(), clientClock)
	cfg := srv.ClientConfig()
	cfg.TokenSource = src
	c, err := suning.NewClient(cfg, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return &tokenFixture{srv: srv, src: src, store: store, c: c}
}

var fixtureStart = time.Date(2024, 6, 1, 2, 0, 0, 0, time.UTC)

// The access token travels in the access_token header of every call.
func TestTokenSourceHeader(t *testing.T) {
	t.Parallel()
	clock := couponkittest.NewClock(fixtureStart)
	f := newTokenFixture(t, clock, clock)
	want, _ := f.store.Load(context.Background())
	_, err := f.c.Create(context.Background(), createRequest(t))
	require.NoError(t, err)
	reqs := f.srv.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, want.AccessToken, reqs[0].Header.Get(suning.HeaderAccessToken))
	assert.Equal(t, 1, f.srv.Tokens().Accepted)
}

// The fake says the access token expired (sys.check.user-permission:overdue)
// while the client's clock says it is fresh: Create (Keyed), GotoAppoint
// (Unsafe, refused before acting) and Query (a read) each renew it once,
// are sent once more and succeed; the writes are applied once.
func TestOverdueTokenRenewsOnceAndResends(t *testing.T) {
	t.Parallel()
	fakeClock, clientClock := couponkittest.NewClock(fixtureStart), couponkittest.NewClock(fixtureStart)
	f := newTokenFixture(t, fakeClock, clientClock)
	ctx := context.Background()

	fakeClock.Advance(time.Hour)
	req := createRequest(t)
	req.EnrollInfoCode = "SU-TOKEN-1"
	res, err := f.c.Create(ctx, req)
	require.NoError(t, err)
	reqs := f.srv.Requests()
	require.Len(t, reqs, 3, "the create, the refresh, the create again")
	assert.Equal(t, string(reqs[0].Body), string(reqs[2].Body), "the same body, enrollInfoCode included")
	assert.NotEqual(t, reqs[0].Header.Get(suning.HeaderAccessToken), reqs[2].Header.Get(suning.HeaderAccessToken))

	fakeClock.Advance(time.Hour)
	act := createRequest(t)
	act.ActionID = res.ActionID
	_, err = f.c.GotoAppoint(ctx, gotoRequest(act))
	require.NoError(t, err)

	fakeClock.Advance(time.Hour)
	_, err = f.c.Query(ctx, &suning.QueryRequest{ActionID: res.ActionID, PartNumber: act.Goods[0].PartNumber, VendorID: act.VendorCode})
	require.NoError(t, err)
	assert.Equal(t, 2, f.srv.AppliedWrites(), "the create and the booking, once each")
	assert.Equal(t, suningtest.TokenStats{Refreshed: 3, Expired: 3, Accepted: 3}, f.srv.Tokens())
}

// A token refresh under load: sixteen goroutines read in two rounds, the
// access token expiring mid-round (see taobaofilm's
// TestSessionRefreshUnderLoad), on a clock the client shares with the fake
// or on the fake's alone: one refresh per expiry, every call succeeds, and
// the fake accepted one request per call.
func TestTokenRefreshUnderLoad(t *testing.T) {
	tokentest.EachClock(t, fixtureStart, func(t *testing.T, fakeClock, clientClock *couponkittest.Clock) {
		f := newTokenFixture(t, fakeClock, clientClock)
		ctx := context.Background()
		res, err := f.c.Create(ctx, createRequest(t))
		require.NoError(t, err)
		load := tokentest.Load{Rounds: 2, Workers: 16, Each: 8}
		load.Run(t, ctx, f.srv, func(ctx context.Context) error {
			_, err := f.c.BookingInfo(ctx, &suning.BookingInfoRequest{ActionID: res.ActionID, SNUnionID: "7012345678"})
			return err
		}, func() { fakeClock.Advance(time.Hour) }) // the access token expires now
		st := f.srv.Tokens()
		assert.Equal(t, load.Rounds, st.Refreshed, "one refresh per expiry")
		assert.Zero(t, st.RefreshRefused)
		assert.Equal(t, 1+load.Calls(), st.Accepted, "every call accepted once")
		t.Logf("%d calls, %d refreshes, %d answered overdue and sent again", load.Calls(), st.Refreshed, st.Expired)
	})
}
