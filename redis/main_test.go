package couponkitredis_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/fleettest"
	couponkitredis "github.com/couponkit/couponkit/redis"
)

// redisAddr is the Redis the tests share: REDIS_ADDR when set (.ci/run sets
// it), else a redis-server that TestMain starts.
var redisAddr string

const installHint = "the couponkitredis tests need Redis: set REDIS_ADDR to host:port of a scratch Redis, " +
	"or install redis-server (Debian/Ubuntu: apt-get install -y redis-server; macOS: brew install redis) " +
	"so that the tests can start their own"

// The environment of a child process started by TestQuotaSharedByProcesses.
const (
	childEnv         = "COUPONKITREDIS_TEST_CHILD" // "1" runs childMain instead of the tests
	childKeyEnv      = "COUPONKITREDIS_TEST_KEY"
	childRateEnv     = "COUPONKITREDIS_TEST_PER_SECOND"
	childBurstEnv    = "COUPONKITREDIS_TEST_BURST"
	childWorkersEnv  = "COUPONKITREDIS_TEST_WORKERS"
	childDeadlineEnv = "COUPONKITREDIS_TEST_DEADLINE" // Redis time, Unix microseconds
)

// quietLogger drops go-redis's log lines (redials while a test has Redis down).
type quietLogger struct{}

func (quietLogger) Printf(context.Context, string, ...any) {}

func TestMain(m *testing.M) {
	redis.SetLogger(quietLogger{})
	fleettest.MaybeRunChild(openFleetStore)
	if os.Getenv(childEnv) == "1" {
		os.Exit(childMain())
	}
	if os.Getenv(tokenChildEnv) != "" {
		os.Exit(tokenChildMain())
	}
	if addr := os.Getenv("REDIS_ADDR"); addr != "" {
		redisAddr = addr
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "couponkitredis-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	srv, err := startServer(0, dir)
	if err != nil {
		fmt.Fprintf(os.Stderr, "FAIL: %v\n%s\n", err, installHint)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	redisAddr = srv.addr()
	code := m.Run()
	srv.stop()
	os.RemoveAll(dir)
	os.Exit(code)
}

// server is a redis-server this process started.
type server struct {
	port   int
	cmd    *exec.Cmd
	exited chan struct{}
}

func (s *server) addr() string { return "127.0.0.1:" + strconv.Itoa(s.port) }

// startServer starts redis-server on loopback port (0: a free one), keeping
// nothing on disk, and returns once it answers PING.
func startServer(port int, dir string) (*server, error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, fmt.Errorf("no redis-server in PATH: %w", err)
	}
	if port == 0 {
		if port, err = freePort(); err != nil {
			return nil, err
		}
	}
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", dir, "--daemonize", "no", "--loglevel", "warning")
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting redis-server: %w", err)
	}
	s := &server{port: port, cmd: cmd, exited: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(s.exited) }()

	rdb := redis.NewClient(&redis.Options{Addr: s.addr(), MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	defer rdb.Close()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for range 500 { // 10 s at most
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		err := rdb.Ping(ctx).Err()
		cancel()
		if err == nil {
			return s, nil
		}
		select {
		case <-s.exited:
			return nil, fmt.Errorf("redis-server on port %d exited at start: %v", port, cmd.ProcessState)
		case <-tick.C:
		}
	}
	s.stop()
	return nil, fmt.Errorf("redis-server on port %d did not answer PING", port)
}

// stop kills the server and returns once it has exited.
func (s *server) stop() {
	_ = s.cmd.Process.Kill()
	<-s.exited
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// workerReport is what one worker saw: when it started and when each of its
// requests was granted, both on Redis's clock (Unix microseconds), the
// grants being counted only before the run's deadline.
type workerReport struct {
	Start  int64   `json:"start"`
	Grants []int64 `json:"grants"`
}

// work is one client of the quota: its own Redis connection and its own
// Limiter on key. It takes requests until Redis's clock reaches deadline,
// reading Redis TIME after each grant (the grant happened at or before it).
func work(ctx context.Context, key string, perSecond float64, burst int, deadline time.Time) (workerReport, error) {
	rdb := redis.NewClient(&redis.Options{Addr: redisAddr, PoolSize: 2})
	defer rdb.Close()
	l, err := couponkitredis.NewLimiter(rdb, couponkitredis.LimiterConfig{Key: key, PerSecond: perSecond, Burst: burst})
	if err != nil {
		return workerReport{}, err
	}
	var rep workerReport
	start, err := rdb.Time(ctx).Result()
	if err != nil {
		return rep, err
	}
	rep.Start = start.UnixMicro()
	for {
		if err := l.Wait(ctx); err != nil {
			return rep, err
		}
		now, err := rdb.Time(ctx).Result()
		if err != nil {
			return rep, err
		}
		if !now.Before(deadline) {
			return rep, nil
		}
		rep.Grants = append(rep.Grants, now.UnixMicro())
	}
}

// runWorkers runs n workers at once and returns their reports.
func runWorkers(ctx context.Context, n int, key string, perSecond float64, burst int, deadline time.Time) ([]workerReport, error) {
	reps := make([]workerReport, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { reps[i], errs[i] = work(ctx, key, perSecond, burst, deadline) })
	}
	wg.Wait()
	return reps, errors.Join(errs...)
}

// childMain is a child process of TestQuotaSharedByProcesses: it runs the
// workers its environment asks for and prints their reports as JSON.
func childMain() int {
	redisAddr = os.Getenv("REDIS_ADDR")
	perSecond, err1 := strconv.ParseFloat(os.Getenv(childRateEnv), 64)
	burst, err2 := strconv.Atoi(os.Getenv(childBurstEnv))
	workers, err3 := strconv.Atoi(os.Getenv(childWorkersEnv))
	deadline, err4 := strconv.ParseInt(os.Getenv(childDeadlineEnv), 10, 64)
	if err := errors.Join(err1, err2, err3, err4); err != nil || redisAddr == "" {
		fmt.Fprintln(os.Stderr, "child: bad environment:", err)
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	reps, err := runWorkers(ctx, workers, os.Getenv(childKeyEnv), perSecond, burst, time.UnixMicro(deadline))
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 1
	}
	if err := json.NewEncoder(os.Stdout).Encode(reps); err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 1
	}
	return 0
}

// openFleetStore is the store of a child process of TestNotifyFleet: the
// Redis at REDIS_ADDR.
func openFleetStore() (couponkit.ClaimStore, func(), error) {
	rdb := redis.NewClient(&redis.Options{Addr: os.Getenv("REDIS_ADDR")})
	s, err := couponkitredis.NewClaimStore(rdb, couponkitredis.ClaimStoreConfig{})
	if err != nil {
		rdb.Close()
		return nil, nil, err
	}
	return s, func() { rdb.Close() }, nil
}
