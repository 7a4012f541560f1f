// Package fleettest tests a couponkit.ClaimStore the way a fleet uses it:
// e-Buy notification handlers in two processes behind one URL, sharing the
// store. The tests of a store module (Redis, PostgreSQL) call
// [MaybeRunChild] from TestMain and [Run] from a test: Run re-executes the
// test binary twice as child processes, each serving an ebuy notification
// handler on a loopback port against the shared store, and drives them
// through pipes: no sleeps, every step waits for the line that says it
// happened.
package fleettest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/internal/sign"
)

// The environment of a child process.
const (
	childEnv  = "COUPONKIT_FLEET_CHILD" // the child's name: "a" or "b"
	dirEnv    = "COUPONKIT_FLEET_DIR"   // where each call of fn leaves a file
	startEnv  = "COUPONKIT_FLEET_START" // the children's clocks start here, Unix ms
	leaseEnv  = "COUPONKIT_FLEET_LEASE" // the handlers' lease
	secretEnv = "COUPONKIT_FLEET_SECRET"
)

// Secret is the app secret the children's handlers verify notifications with.
const Secret = "D6954F665B12A4318DF2DE43082858DE"

// Start is when the children's manual clocks start.
var Start = time.Date(2024, 5, 17, 10, 0, 0, 0, time.UTC)

// Lease is the handlers' lease, on their manual clocks.
const Lease = time.Minute

// MaybeRunChild runs this process as a child of [Run] when its environment
// says so, and exits; otherwise it returns at once. open returns the shared
// store (from the environment the test passed to Run) and a function that
// closes it.
func MaybeRunChild(open func() (couponkit.ClaimStore, func(), error)) {
	name := os.Getenv(childEnv)
	if name == "" {
		return
	}
	if err := child(name, open); err != nil {
		fmt.Fprintln(os.Stderr, "fleet child "+name+":", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// child serves the handler until its stdin closes. It prints, one a line:
// "listening URL" once, "arrived UUID" for each request, "fn UUID" when fn
// starts (fn then waits for "release UUID" on stdin), and "advanced" after
// "advance DURATION" moved its clock.
func child(name string, open func() (couponkit.ClaimStore, func(), error)) error {
	dir := os.Getenv(dirEnv)
	startMs, err1 := strconv.ParseInt(os.Getenv(startEnv), 10, 64)
	lease, err2 := time.ParseDuration(os.Getenv(leaseEnv))
	if err := errors.Join(err1, err2); err != nil || dir == "" {
		return fmt.Errorf("bad environment: %v", err)
	}
	store, closeStore, err := open()
	if err != nil {
		return err
	}
	defer closeStore()

	var outMu sync.Mutex
	say := func(line string) {
		outMu.Lock()
		defer outMu.Unlock()
		fmt.Println(line)
	}
	var relMu sync.Mutex
	releases := map[string]chan struct{}{}
	release := func(uuid string) chan struct{} {
		relMu.Lock()
		defer relMu.Unlock()
		if releases[uuid] == nil {
			releases[uuid] = make(chan struct{})
		}
		return releases[uuid]
	}

	clock := couponkittest.NewClock(time.UnixMilli(startMs))
	fn := func(ctx context.Context, ev ebuy.Event) error {
		if err := touch(dir, ev.UUID, "start", name); err != nil {
			return err
		}
		say("fn " + ev.UUID)
		<-release(ev.UUID)
		return touch(dir, ev.UUID, "done", name)
	}
	h := ebuy.NewNotifyHandler(os.Getenv(secretEnv), fn,
		ebuy.WithClaimStore(store), ebuy.WithNotifyClock(clock), ebuy.WithNotifyLease(lease))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		say("arrived")
		h.ServeHTTP(w, r)
	}), ReadHeaderTimeout: time.Minute}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	say("listening http://" + ln.Addr().String())

	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		cmd, arg, _ := strings.Cut(in.Text(), " ")
		switch cmd {
		case "release":
			close(release(arg))
		case "advance":
			d, err := time.ParseDuration(arg)
			if err != nil {
				return err
			}
			clock.Advance(d)
			say("advanced")
		default:
			return fmt.Errorf("unknown command %q", in.Text())
		}
	}
	return in.Err()
}

// touch leaves the file dir/uuid.what.name.
func touch(dir, uuid, what, name string) error {
	f, err := os.OpenFile(filepath.Join(dir, uuid+"."+what+"."+name), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	return f.Close()
}

// Notification returns a signed e-Buy redemption notification of uuid.
func Notification(uuid string) []byte {
	fields := []sign.Param{ // keys in order; each value as its JSON text
		{Key: "action", Value: `"verifyCodeNotify"`},
		{Key: "appId", Value: `"ebuyde43082858d1"`},
		{Key: "channelInfoList", Value: `[{"action":"VerifyCodeNotify","notifyType":"Verify","ticketIds":[1031000000010741]}]`},
		{Key: "items", Value: `[{"code":"1031000000000000001","codeCount":1,"ticketId":"1031000000010741","verifyDate":1715911200000}]`},
		{Key: "signType", Value: `"sha256"`},
		{Key: "timestamp", Value: strconv.FormatInt(Start.UnixMilli(), 10)},
		{Key: "uuid", Value: `"` + uuid + `"`},
	}
	signed := make([]sign.Param, len(fields)) // a string is signed unquoted
	var body strings.Builder
	body.WriteByte('{')
	for i, f := range fields {
		signed[i] = sign.Param{Key: f.Key, Value: strings.Trim(f.Value, `"`)}
		body.WriteString(`"` + f.Key + `":` + f.Value + ",")
	}
	body.WriteString(`"sign":"` + sign.EbuySign(signed, Secret) + `"}`)
	return []byte(body.String())
}

// proc is a child process serving a handler.
type proc struct {
	name   string
	url    string
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	arrive chan struct{} // one per request that reached the handler
	read   chan struct{} // closed once its stdout is read to the end
	stderr *lockedBuffer
}

// event is a line a child printed, but arrivals; "exited" when its output
// ended.
type event struct {
	p    *proc
	line string
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// guard bounds every wait for a child, so that a broken child fails the
// test instead of hanging it. Nothing waits for it to pass.
const guard = 2 * time.Minute

// fleet is the children of one test and what they print, in order.
type fleet struct {
	t      *testing.T
	dir    string
	env    []string
	events chan event
}

// start starts the child name and returns once it listens.
func (f *fleet) start(name string) *proc {
	t := f.t
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), f.env...)
	cmd.Env = append(cmd.Env, childEnv+"="+name, dirEnv+"="+f.dir, secretEnv+"="+Secret,
		startEnv+"="+strconv.FormatInt(Start.UnixMilli(), 10), leaseEnv+"="+Lease.String())
	p := &proc{name: name, cmd: cmd, arrive: make(chan struct{}, 64), read: make(chan struct{}), stderr: &lockedBuffer{}}
	cmd.Stderr = p.stderr
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	p.stdin = stdin
	require.NoError(t, cmd.Start())
	go func() {
		defer close(p.read)
		in := bufio.NewScanner(stdout)
		for in.Scan() {
			if in.Text() == "arrived" {
				p.arrive <- struct{}{}
				continue
			}
			f.events <- event{p, in.Text()}
		}
		f.events <- event{p, "exited"}
	}()
	t.Cleanup(func() {
		_ = p.stdin.Close()
		<-p.read
		_ = p.cmd.Wait()
		if t.Failed() {
			t.Logf("child %s stderr:\n%s", name, p.stderr.String())
		}
	})
	url, ok := strings.CutPrefix(f.expect(p, ""), "listening ")
	require.True(t, ok, "child %s did not say where it listens", name)
	p.url = url
	return p
}

// next returns the next line any child printed.
func (f *fleet) next() event {
	f.t.Helper()
	select {
	case e := <-f.events:
		return e
	case <-time.After(guard):
		f.t.Fatalf("no child said anything for %v", guard)
		return event{}
	}
}

// expect waits for the next line, which must come from p and, unless want
// is empty, be want; it returns the line.
func (f *fleet) expect(p *proc, want string) string {
	f.t.Helper()
	e := f.next()
	require.Same(f.t, p, e.p, "child %s said %q; stderr:\n%s", e.p.name, e.line, e.p.stderr.String())
	if want != "" {
		require.Equal(f.t, want, e.line, "child %s", p.name)
	}
	return e.line
}

// arrivals waits until n more requests reached the child's handler.
func (p *proc) arrivals(t *testing.T, n int) {
	t.Helper()
	for range n {
		select {
		case <-p.arrive:
		case <-time.After(guard):
			t.Fatalf("child %s: a request did not arrive in %v", p.name, guard)
		}
	}
}

func (p *proc) send(t *testing.T, cmd string) {
	t.Helper()
	_, err := io.WriteString(p.stdin, cmd+"\n")
	require.NoError(t, err)
}

// kill kills the child with SIGKILL and waits until its output ended.
func (f *fleet) kill(p *proc) {
	f.t.Helper()
	require.NoError(f.t, p.cmd.Process.Kill())
	f.expect(p, "exited")
}

var client = &http.Client{Timeout: guard}

// deliver posts body as e-Buy does and returns the answer's status.
func deliver(url string, body []byte) (int, error) {
	resp, err := client.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

// calls counts the calls of fn for uuid that reached what ("start" or
// "done"), in every child.
func calls(t *testing.T, dir, uuid, what string) int {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, uuid+"."+what+".*"))
	require.NoError(t, err)
	return len(m)
}

// Run is the fleet test of a store. env is added to the children's
// environment: what open (see MaybeRunChild) needs to reach the store.
//
//  1. The same signed notification is delivered 20 times at once, 10 to
//     each of two handlers in two processes sharing the store: fn runs
//     exactly once; while it runs, every delivery to the other process is
//     answered 503 and every one to the holder waits; once fn returns, the
//     holder's are acknowledged, and the other's, sent again, too.
//  2. A process is killed with SIGKILL while its fn runs under a claim: a
//     delivery to the other process is answered 503 until the lease ends on
//     its clock; then it runs fn, once, and completes.
func Run(t *testing.T, env ...string) {
	f := &fleet{t: t, dir: t.TempDir(), env: env, events: make(chan event, 64)}
	a, b := f.start("a"), f.start("b")

	// 1. Twenty deliveries at once across both processes.
	uuid := "20240517-" + couponkit.NewClaimToken()
	body := Notification(uuid)
	type answer struct {
		p      *proc
		status int
		err    error
	}
	answers := make(chan answer, 20)
	for i := range 20 {
		p := a
		if i%2 == 1 {
			p = b
		}
		go func() {
			status, err := deliver(p.url, body)
			answers <- answer{p, status, err}
		}()
	}
	e := f.next()
	require.Equal(t, "fn "+uuid, e.line, "child %s", e.p.name)
	holder, other := e.p, a
	if holder == a {
		other = b
	}
	for range 10 {
		var r answer
		select {
		case r = <-answers:
		case e := <-f.events: // a second call of fn fails the test at once
			t.Fatalf("while child %s ran fn, child %s said %q", holder.name, e.p.name, e.line)
		}
		require.NoError(t, r.err)
		require.Same(t, other, r.p, "a delivery to the holder was answered while its fn ran")
		require.Equal(t, http.StatusServiceUnavailable, r.status, "claimed by the other process")
	}
	holder.arrivals(t, 10) // every delivery to the holder waits for its fn
	require.Equal(t, 1, calls(t, f.dir, uuid, "start"))
	holder.send(t, "release "+uuid)
	for range 10 {
		r := <-answers
		require.NoError(t, r.err)
		require.Same(t, holder, r.p)
		require.Equal(t, http.StatusOK, r.status)
	}
	for range 10 { // e-Buy sends again what was answered 503
		status, err := deliver(other.url, body)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, status, "done: acknowledged")
	}
	require.Equal(t, 1, calls(t, f.dir, uuid, "start"), "fn ran once for 20 deliveries")
	require.Equal(t, 1, calls(t, f.dir, uuid, "done"))

	// 2. A process is killed while its fn runs under the claim.
	uuid = "20240517-" + couponkit.NewClaimToken()
	body = Notification(uuid)
	killed := make(chan error, 1)
	go func() {
		_, err := deliver(a.url, body)
		killed <- err
	}()
	f.expect(a, "fn "+uuid)
	f.kill(a)
	require.Error(t, <-killed, "the killed process answered nothing")
	status, err := deliver(b.url, body)
	require.NoError(t, err)
	require.Equal(t, http.StatusServiceUnavailable, status, "the dead holder's lease has not ended")
	require.Equal(t, 1, calls(t, f.dir, uuid, "start"))

	b.send(t, "advance "+Lease.String())
	f.expect(b, "advanced")
	done := make(chan answer, 1)
	go func() {
		status, err := deliver(b.url, body)
		done <- answer{b, status, err}
	}()
	f.expect(b, "fn "+uuid)
	b.send(t, "release "+uuid)
	r := <-done
	require.NoError(t, r.err)
	require.Equal(t, http.StatusOK, r.status)
	status, err = deliver(b.url, body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, 2, calls(t, f.dir, uuid, "start"), "the killed call and the one after the lease")
	require.Equal(t, 1, calls(t, f.dir, uuid, "done"), "fn completed once")
}
