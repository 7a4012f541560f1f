package taobaofilm_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/internal/faulttest"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
)

// tmcWrite is one of the message service's Keyed writes, with its key as
// the pipeline reports it and the parameter that carries it.
type tmcWrite struct {
	name, op, key, param string
	call                 func(ctx context.Context, c *taobaofilm.Client) error
}

func tmcWrites() []tmcWrite {
	return []tmcWrite{
		{name: "PermitUser", op: taobaofilm.MethodPermitUser, key: "t_A,t_B", param: "topics", call: func(ctx context.Context, c *taobaofilm.Client) error {
			_, err := c.PermitUser(ctx, &taobaofilm.PermitUserRequest{Topics: []string{"t_A", "t_B"}})
			return err
		}},
		{name: "ConfirmMessages", op: taobaofilm.MethodConfirmMessages, key: "7100000000001,42", param: "s_message_ids", call: func(ctx context.Context, c *taobaofilm.Client) error {
			_, err := c.ConfirmMessages(ctx, &taobaofilm.ConfirmMessagesRequest{IDs: []int64{7100000000001, 42}})
			return err
		}},
	}
}

// ambiguousTMC are the answers that leave a TMC write's outcome open.
var ambiguousTMC = faulttest.Ambiguous(`{"tmc_messages_confirm_response":{"is_success":tr`, `{"tmc_messages_confirm_response":{"is_su`,
	faulttest.Answer("neither the response nor error_response", `{"request_id":"r1"}`),
	faulttest.Answer("a success without is_success", `{"tmc_messages_confirm_response":{"request_id":"r1"},"tmc_user_permit_response":{"request_id":"r1"}}`),
	faulttest.Named{Name: "isp server error", Do: func(f couponkittest.Fake) { f.FailNext("isp.remote-service-timeout", "远程服务调用超时") }})

// Both Keyed writes under every ambiguous answer: sent faultAttempts times
// with the same params (each attempt signed for its own timestamp), and
// the error matches ErrUnknownOutcome with the key (the topics, the ids),
// the last attempt's *couponkit.Error reachable.
func TestTMCWritesWithAmbiguousAnswersHaveUnknownOutcomes(t *testing.T) {
	t.Parallel()
	for _, w := range tmcWrites() {
		for _, f := range ambiguousTMC {
			t.Run(w.name+"/"+f.Name, func(t *testing.T) {
				t.Parallel()
				srv := newFake(t, taobaofilmtest.Config{Session: "sess-1"})
				cfg := fakeConfig(srv)
				cfg.Session = "sess-1"
				c, _ := newClient(t, cfg, couponkit.WithTimeout(time.Second), couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: faultAttempts}))
				for range faultAttempts {
					f.Into(srv)
				}
				err := w.call(context.Background(), c)

				u, _ := faulttest.Unknown(t, err, taobaofilm.Vendor, w.op, w.key)
				assert.Equal(t, w.param, u.KeyName)
				reqs := srv.Requests()
				require.Len(t, reqs, faulttest.Sends(true, faultAttempts))
				for i, r := range reqs {
					p := taobaofilmtest.Params(r)
					assert.Equal(t, w.key, p.Get(w.param), "attempt %d", i+1)
					assert.Equal(t, independentSign(p, taobaofilmtest.DefaultAppSecret), p.Get("sign"), "attempt %d", i+1)
				}
			})
		}
	}
}

// A Keyed write whose first answer was lost is sent again and succeeds:
// the permit is the topics sent, the confirm removes its messages once.
func TestTMCWritesRecoverFromALostAnswer(t *testing.T) {
	t.Parallel()
	srv := newFake(t, taobaofilmtest.Config{Session: "sess-1"})
	cfg := fakeConfig(srv)
	cfg.Session = "sess-1"
	c, _ := newClient(t, cfg)
	ctx := context.Background()
	srv.DropNextAfterWrite()
	res, err := c.PermitUser(ctx, &taobaofilm.PermitUserRequest{Topics: []string{"t_A"}})
	require.NoError(t, err)
	assert.Equal(t, 2, res.Meta.Attempts)
	topics, _ := srv.PermittedTopics(taobaofilmtest.UserID)
	assert.Equal(t, []string{"t_A"}, topics)

	id := srv.Publish("", "t_A", `{}`)
	srv.DropNextAfterWrite()
	conf, err := c.ConfirmMessages(ctx, &taobaofilm.ConfirmMessagesRequest{IDs: []int64{id}})
	require.NoError(t, err)
	assert.Equal(t, 2, conf.Meta.Attempts)
	assert.Equal(t, []int64{id}, srv.Confirmed(""))
}

// A 4xx page refuses a write whatever its body: a plain error, sent once.
func TestTMCWritesRefusedByA4xxPageAreDefinite(t *testing.T) {
	t.Parallel()
	for _, w := range tmcWrites() {
		t.Run(w.name, func(t *testing.T) {
			t.Parallel()
			srv := newFake(t, taobaofilmtest.Config{Session: "sess-1"})
			cfg := fakeConfig(srv)
			cfg.Session = "sess-1"
			c, _ := newClient(t, cfg)
			srv.FailNextHTTP(http.StatusNotFound, "<html><head><title>404 Not Found</title></head></html>")
			err := w.call(context.Background(), c)
			assert.False(t, errors.Is(err, couponkit.ErrUnknownOutcome))
			assert.Equal(t, couponkit.FaultClient, couponkit.FaultOf(err))
			assert.Equal(t, 1, srv.RequestCount())
		})
	}
}

// consume is a read: under every ambiguous answer it is sent again and
// succeeds. An answer lost after the fake handed messages out (dropped
// after the write) hands them to nobody: they are in flight, and come back
// after the fake's delay. No message is lost or handed out twice at once.
func TestConsumeUnderAmbiguousAnswersLosesNothing(t *testing.T) {
	t.Parallel()
	for _, f := range faulttest.Ambiguous(`{"tmc_messages_consume_response":{"messages":`, `{"tmc_messages_consume_response":{"mess`,
		faulttest.Answer("a message without its id", `{"tmc_messages_consume_response":{"messages":{"tmc_message":[{"topic":"t"}]}}}`),
		faulttest.Named{Name: "isp server error", Do: func(f couponkittest.Fake) { f.FailNext("isp.remote-service-timeout", "远程服务调用超时") }}) {
		t.Run(f.Name, func(t *testing.T) {
			t.Parallel()
			clk := &aheadClock{}
			srv := newFake(t, taobaofilmtest.Config{Clock: clk})
			c, _ := newClient(t, fakeConfig(srv), couponkit.WithTimeout(time.Second))
			want := []int64{srv.Publish("", "t", `{}`), srv.Publish("", "t", `{}`), srv.Publish("", "t", `{}`)}
			f.Into(srv)
			res, err := c.ConsumeMessages(context.Background(), &taobaofilm.ConsumeMessagesRequest{})
			require.NoError(t, err)
			assert.Equal(t, 2, res.Meta.Attempts)
			var got []int64
			for _, m := range res.Messages {
				got = append(got, m.ID)
			}
			if f.Name == "dropped after the write" {
				assert.Empty(t, got, "the lost answer's messages are in flight")
			}
			if len(got) == 0 {
				clk.advance(taobaofilmtest.DefaultRedeliveryDelay)
				res, err = c.ConsumeMessages(context.Background(), &taobaofilm.ConsumeMessagesRequest{})
				require.NoError(t, err)
				for _, m := range res.Messages {
					got = append(got, m.ID)
				}
			}
			assert.Equal(t, want, got)
			assert.Len(t, srv.Queue(""), 3, "nothing confirmed, nothing lost")
		})
	}
}

// aheadClock is a fake's clock that reads the real time moved forward by
// what advance added, and waits in real time (so that a fault's delay
// outlasts the client's timeout, as on a real gateway).
type aheadClock struct {
	mu    sync.Mutex
	ahead time.Duration
}

func (c *aheadClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.ahead)
}

func (c *aheadClock) Sleep(ctx context.Context, d time.Duration) error {
	return couponkit.SystemClock{}.Sleep(ctx, d)
}

func (c *aheadClock) advance(d time.Duration) {
	c.mu.Lock()
	c.ahead += d
	c.mu.Unlock()
}
