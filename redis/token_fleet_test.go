package couponkitredis_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/couponkittest"
	couponkitredis "github.com/couponkit/couponkit/redis"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
)

// The environment of a child process of TestTokenRefreshAcrossProcesses.
const (
	tokenChildEnv   = "COUPONKITREDIS_TOKEN_CHILD" // the child's name
	tokenGatewayEnv = "COUPONKITREDIS_TOKEN_GATEWAY"
	tokenKeyEnv     = "COUPONKITREDIS_TOKEN_KEY"
	tokenWorkersEnv = "COUPONKITREDIS_TOKEN_WORKERS"
	tokenEachEnv    = "COUPONKITREDIS_TOKEN_EACH"
)

// tokenChildMain is a child of TestTokenRefreshAcrossProcesses: a TOP
// client whose session comes from a token.Refreshing on the shared
// TokenStore, on a manual clock that stands still (only the fake's moves,
// so the child learns each expiry from the fake's code 27). It prints
// "ready", runs its workers when it reads "run", prints "done OK FAILED",
// and exits when its stdin closes.
func tokenChildMain() int {
	workers, err1 := strconv.Atoi(os.Getenv(tokenWorkersEnv))
	each, err2 := strconv.Atoi(os.Getenv(tokenEachEnv))
	if err := errors.Join(err1, err2); err != nil {
		fmt.Fprintln(os.Stderr, "token child: bad environment:", err)
		return 2
	}
	rdb := redis.NewClient(&redis.Options{Addr: os.Getenv("REDIS_ADDR")})
	defer rdb.Close()
	clock := couponkittest.NewClock(tokenStart)
	store, err := couponkitredis.NewTokenStore(rdb, couponkitredis.TokenStoreConfig{Key: os.Getenv(tokenKeyEnv), Clock: clock, Poll: time.Hour})
	if err != nil {
		fmt.Fprintln(os.Stderr, "token child:", err)
		return 1
	}
	src, c := topSource(childTB{}, os.Getenv(tokenGatewayEnv), store, clock)
	defer c.Close()
	fmt.Println("ready")
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		if in.Text() != "run" {
			fmt.Fprintln(os.Stderr, "token child: unknown command", in.Text())
			return 2
		}
		var ok, failed atomic.Int64
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				for range each {
					_, err := c.ExportCodes(context.Background(), &taobaofilm.ExportRequest{MixID: taobaofilmtest.DefaultMixID, PartnerCode: taobaofilmtest.DefaultPartnerCode, OperateType: taobaofilm.OperateAll})
					if err != nil {
						failed.Add(1)
						fmt.Fprintln(os.Stderr, "token child:", err)
						continue
					}
					ok.Add(1)
				}
			})
		}
		wg.Wait()
		fmt.Printf("done %d %d %d\n", ok.Load(), failed.Load(), src.Refreshes())
	}
	return 0
}

// childTB is the testing.TB of topSource in a child: a failure ends the
// child.
type childTB struct{ testing.TB }

func (childTB) Helper() {}
func (childTB) Errorf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "token child: "+format+"\n", args...)
}
func (childTB) FailNow() { os.Exit(1) }

// tokenChild is a running child.
type tokenChild struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	lines  chan string
	stderr *strings.Builder
	mu     sync.Mutex
}

func (c *tokenChild) next(t *testing.T) string {
	t.Helper()
	select {
	case l, ok := <-c.lines:
		if !ok {
			c.mu.Lock()
			defer c.mu.Unlock()
			t.Fatalf("the child exited; stderr:\n%s", c.stderr.String())
		}
		return l
	case <-time.After(2 * time.Minute): // a bound on failure only
		t.Fatal("the child said nothing for 2 minutes")
		return ""
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	b  *strings.Builder
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func startTokenChild(t *testing.T, name string, env ...string) *tokenChild {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), env...), tokenChildEnv+"="+name, "REDIS_ADDR="+redisAddr)
	c := &tokenChild{cmd: cmd, lines: make(chan string, 16), stderr: &strings.Builder{}}
	cmd.Stderr = lockedWriter{&c.mu, c.stderr}
	var err error
	c.stdin, err = cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	read := make(chan struct{})
	go func() {
		defer close(read)
		defer close(c.lines)
		in := bufio.NewScanner(stdout)
		for in.Scan() {
			c.lines <- in.Text()
		}
	}()
	t.Cleanup(func() {
		_ = c.stdin.Close()
		<-read
		_ = cmd.Wait()
		if t.Failed() {
			c.mu.Lock()
			t.Logf("child %s stderr:\n%s", name, c.stderr.String())
			c.mu.Unlock()
		}
	})
	require.Equal(t, "ready", c.next(t))
	return c
}

// TestTokenRefreshAcrossProcesses: two processes share one TokenStore in
// Redis, each with 8 goroutines exporting through the TOP fake (served on
// loopback by this process) in two rounds, the session expiring mid-round
// (the fake's clock moves past it once a third of the round's calls
// arrived; the children's clocks stand still, so each learns it from the
// fake's code 27). Each expiry is refreshed exactly once across both
// processes (the fake refuses a refresh token used twice, so a second
// refresh would show), every call succeeds, the fake accepted exactly one
// request per call, and Redis holds the live refresh token.
func TestTokenRefreshAcrossProcesses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fakeClock := couponkittest.NewClock(tokenStart)
	srv := taobaofilmtest.Start(t, taobaofilmtest.Config{Clock: fakeClock, SessionTTL: time.Hour, MaxSkew: 100 * time.Hour})
	key := "fleet:" + strconv.FormatInt(time.Now().UnixNano(), 36)
	store := newTokenStore(t, newClient(t, redisAddr), couponkitredis.TokenStoreConfig{Key: key})
	require.NoError(t, store.Save(ctx, srv.IssueToken()))

	const workers, each, rounds = 8, 8, 2
	env := []string{tokenGatewayEnv + "=" + srv.Gateway(), tokenKeyEnv + "=" + key,
		tokenWorkersEnv + "=" + strconv.Itoa(workers), tokenEachEnv + "=" + strconv.Itoa(each)}
	children := []*tokenChild{startTokenChild(t, "a", env...), startTokenChild(t, "b", env...)}
	round := 2 * workers * each
	total := rounds * round
	var refreshes int64
	for range rounds {
		start := srv.RequestCount()
		for _, c := range children {
			_, err := io.WriteString(c.stdin, "run\n")
			require.NoError(t, err)
		}
		require.NoError(t, srv.WaitRequests(ctx, start+round/3))
		fakeClock.Advance(time.Hour) // the session expires now
		refreshes = 0
		for _, c := range children {
			var ok, failed, n int64
			_, err := fmt.Sscanf(c.next(t), "done %d %d %d", &ok, &failed, &n)
			require.NoError(t, err)
			assert.Equal(t, int64(workers*each), ok, "every call of the child succeeded")
			assert.Zero(t, failed)
			refreshes += n // the child's refreshes so far
		}
	}
	st := srv.Tokens()
	t.Logf("%d calls in 2 processes, %d refreshes (%d by the children), %d answered session-expired and sent again", total, st.Refreshed, refreshes, st.Expired)
	assert.Equal(t, rounds, st.Refreshed, "one refresh per expiry across both processes")
	assert.Equal(t, int64(rounds), refreshes)
	assert.Zero(t, st.RefreshRefused)
	assert.Equal(t, total, st.Accepted, "every call accepted once")

	saved, err := store.Load(ctx)
	require.NoError(t, err)
	auth, err := taobaofilm.NewClient(taobaofilm.Config{Gateway: srv.Gateway(), AppKey: taobaofilmtest.DefaultAppKey, AppSecret: taobaofilmtest.DefaultAppSecret})
	require.NoError(t, err)
	defer auth.Close()
	_, err = auth.RefreshToken(ctx, &taobaofilm.RefreshTokenRequest{RefreshToken: saved.RefreshToken})
	require.NoError(t, err, "Redis holds the live refresh token")
}
