package faulttest

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
)

func TestAmbiguousListsTheSharedAnswersThenTheVendors(t *testing.T) {
	t.Parallel()
	got := Ambiguous(`{"a":`, `{"ab`, Answer("no code", `{}`))
	var names []string
	for _, n := range got {
		names = append(names, n.Name)
	}
	want := "empty 200,html 200,malformed json 200,truncated,5xx,dropped after the write,timeout after the write,no code"
	if strings.Join(names, ",") != want {
		t.Fatalf("names %v", names)
	}
	for i, check := range []func(n Named) bool{
		func(n Named) bool { return n.Fault.Status == 200 && n.Fault.Body != nil && len(n.Fault.Body) == 0 },
		func(n Named) bool {
			return n.Fault.Status == 200 && string(n.Fault.Body) == HTMLPage && n.Fault.Header.Get("Content-Type") == "text/html"
		},
		func(n Named) bool { return n.Fault.Status == 200 && string(n.Fault.Body) == `{"a":` },
		func(n Named) bool { return n.Fault.Respond != nil && n.Loopback },
		func(n Named) bool { return n.Fault.Status == 502 && string(n.Fault.Body) == BadGateway },
		func(n Named) bool { return n.Fault.Drop && n.Fault.AfterHandler },
		func(n Named) bool { return n.Fault.Delay == time.Hour },
		func(n Named) bool { return n.Fault.Status == 200 && string(n.Fault.Body) == `{}` },
	} {
		if !check(got[i]) {
			t.Errorf("%s: %+v", got[i].Name, got[i])
		}
		if i != 3 && got[i].Loopback {
			t.Errorf("%s needs no connection", got[i].Name)
		}
	}
}

func TestTruncatedEndsBeforeItsLength(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(Truncated(`{"data":{"li`)))
	t.Cleanup(srv.Close)
	resp, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.ContentLength != 112 || resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("%d %d %s", resp.StatusCode, resp.ContentLength, resp.Header.Get("Content-Type"))
	}
	b, err := io.ReadAll(resp.Body)
	if string(b) != `{"data":{"li` || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("%q, %v", b, err)
	}
}

// Into injects Fault, or calls Do where it is set.
func TestInto(t *testing.T) {
	t.Parallel()
	fake := &recordingFake{}
	Answer("a", "body").Into(fake)
	Named{Name: "b", Fault: couponkittest.Fault{Status: 500}, Do: func(f couponkittest.Fake) { f.FailNext("isp.x", "m") }}.Into(fake)
	if len(fake.injected) != 1 || string(fake.injected[0].Body) != "body" || fake.failed != "isp.x m" {
		t.Errorf("%+v", fake)
	}
}

// recordingFake is a couponkittest.Fake keeping what Inject and FailNext
// were given; its other methods are not called.
type recordingFake struct {
	couponkittest.Fake
	injected []couponkittest.Fault
	failed   string
}

func (f *recordingFake) Inject(fs ...couponkittest.Fault) { f.injected = append(f.injected, fs...) }
func (f *recordingFake) FailNext(code, message string)    { f.failed = code + " " + message }

func TestSends(t *testing.T) {
	t.Parallel()
	if Sends(true, 3) != 3 || Sends(false, 3) != 1 {
		t.Error(Sends(true, 3), Sends(false, 3))
	}
}

// recorder is a testing.TB that keeps the failures it was asked to report;
// FailNow panics, to be recovered.
type recorder struct {
	testing.TB
	errs []string
}

type failedNow struct{}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}
func (r *recorder) FailNow() { panic(failedNow{}) }

func run(t *testing.T, f func(r *recorder)) (r *recorder, stopped bool) {
	r = &recorder{TB: t}
	defer func() {
		if v := recover(); v != nil {
			if _, ok := v.(failedNow); !ok {
				panic(v)
			}
			stopped = true
		}
	}()
	f(r)
	return r, false
}

func TestUnknown(t *testing.T) {
	t.Parallel()
	last := &couponkit.Error{Vendor: "v", Operation: "op", Fault: couponkit.FaultServer}
	unknown := &couponkit.UnknownOutcomeError{Vendor: "v", Operation: "op", KeyName: "id", Key: "K-1", Attempts: 3, Err: last}

	r, stopped := run(t, func(r *recorder) {
		u, ce := Unknown(r, fmt.Errorf("wrapped: %w", unknown), "v", "op", "K-1")
		if u != unknown || ce != last {
			t.Errorf("returned %v, %v", u, ce)
		}
	})
	if stopped || len(r.errs) != 0 {
		t.Errorf("a matching unknown outcome failed: %v", r.errs)
	}

	r, _ = run(t, func(r *recorder) { Unknown(r, unknown, "v", "other", "K-2") })
	if len(r.errs) != 3 { // the key, the outcome's and the cause's operation
		t.Errorf("got %d failures: %v", len(r.errs), r.errs)
	}

	for _, err := range []error{last, errors.New("plain"), nil} {
		_, stopped = run(t, func(r *recorder) { Unknown(r, err, "v", "op", "") })
		if !stopped {
			t.Errorf("%v passed as an unknown outcome", err)
		}
	}
}
