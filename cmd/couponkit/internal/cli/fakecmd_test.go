package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
	"github.com/couponkit/couponkit/zvcms"
)

// serveFake runs couponkit fake with args until the test ends and returns
// the client settings it printed (--json is added).
func serveFake(t *testing.T, args ...string) map[string]string {
	t.Helper()
	pr, pw := io.Pipe()
	sig := make(chan os.Signal, 1)
	done := make(chan int, 1)
	var errb strings.Builder
	go func() {
		done <- Main(append(append([]string{"fake"}, args...), "--json"), Env{Stdout: pw, Stderr: &errb, Getenv: func(string) string { return "" }, Signals: sig})
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("fake %v: %v (exit %d: %s)", args, err, <-done, errb.String())
	}
	go io.Copy(io.Discard, pr)
	t.Cleanup(func() {
		sig <- syscall.SIGTERM
		if code := <-done; code != 0 {
			t.Errorf("fake exit %d: %s", code, errb.String())
		}
	})
	var env map[string]string
	if err := json.Unmarshal([]byte(line), &env); err != nil {
		t.Fatalf("settings %q: %v", line, err)
	}
	return env
}

// couponkit fake zvcms NativeTypes=true serves the vendor family's spelling
// (status a bool, code a number), as "nativeTypes": true in the seed does;
// without it, the page's (strings). The setting may stand before or after
// the flags.
func TestFakeZvcmsNativeTypesSetting(t *testing.T) {
	dir := t.TempDir()
	seed := filepath.Join(dir, "seed.json")
	os.WriteFile(seed, []byte(`{"coupons":[{"customerId":"383933091455959041","title":"满50减10"}]}`), 0o600)
	for _, c := range []struct {
		name       string
		args       []string
		wantStatus any
	}{
		{"page", []string{"zvcms", "--seed", seed}, "true"},
		{"setting after flags", []string{"zvcms", "--seed", seed, "NativeTypes=true"}, true},
		{"setting before flags", []string{"zvcms", "nativetypes=true", "--seed", seed}, true},
		{"seed field", []string{"zvcms", "--seed", writeFileIn(t, dir, "native.json", `{"coupons":[{"customerId":"383933091455959041"}],"nativeTypes":true}`)}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := serveFake(t, c.args...)
			cl, err := zvcms.NewClient(zvcms.Config{Gateway: env["ZVCMS_GATEWAY"], OpenID: env["ZVCMS_OPEN_ID"], OpenKey: env["ZVCMS_OPEN_KEY"], GrantCode: env["ZVCMS_GRANT_CODE"]})
			if err != nil {
				t.Fatal(err)
			}
			defer cl.Close()
			res, err := cl.GetCustomerCoupons(context.Background(), &zvcms.CustomerCouponsRequest{CustomerID: "383933091455959041"})
			if err != nil {
				t.Fatal(err)
			}
			var body struct{ Status, Code any }
			json.Unmarshal(res.Meta.Raw, &body)
			if body.Status != c.wantStatus {
				t.Fatalf("status %#v, want %#v: %s", body.Status, c.wantStatus, res.Meta.Raw)
			}
		})
	}
}

func writeFileIn(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// A setting the fake's Config does not have, a value that does not fit, a
// bare word and a setting given twice exit 2 naming it, before anything
// is served.
func TestFakeSettingErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"fake", "zvcms", "NoSuch=1"}, "setting NoSuch: the zvcms fake has no such setting (settings: OpenID (string), OpenKey (string), GrantCode (string), Window (duration), NativeTypes (bool)"},
		{[]string{"fake", "zvcms", "NativeTypes=maybe"}, "setting NativeTypes=maybe: not a boolean (true or false)"},
		{[]string{"fake", "zvcms", "Window=5"}, `setting Window=5: time: missing unit in duration "5"`},
		{[]string{"fake", "zvcms", "InMemory=true"}, "setting InMemory: the zvcms fake has no such setting"},
		{[]string{"fake", "zvcms", "native"}, `unexpected argument "native" (settings are SETTING=value)`},
		{[]string{"fake", "zvcms", "NativeTypes=true", "nativetypes=false"}, "setting nativetypes given twice"},
		{[]string{"fake", "houcaller", "CipherMode=OFB"}, "setting CipherMode=OFB: not an integer or a name of houcaller.CipherMode"},
	} {
		r := run(t, nil, c.args...)
		if r.code == 0 || !strings.Contains(r.err, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", c.args, r.code, r.err, c.want)
		}
	}
}

// couponkit fake ebuy MakeCodesPath=… serves makeCode at that path and
// prints it as EBUY_MAKE_CODES_PATH with the credentials; a client that
// sources the settings sends makeCode there. Without it the client sends to
// the default path, which the fake does not serve.
func TestFakeEbuyMakeCodesPathReachesTheClient(t *testing.T) {
	env := serveFake(t, "ebuy", "MakeCodesPath=issueCodes")
	if env["EBUY_MAKE_CODES_PATH"] != "issueCodes" {
		t.Fatalf("settings %v: no EBUY_MAKE_CODES_PATH=issueCodes", env)
	}
	args := []string{"ebuy", "make-codes", "--outer-order-id", "o-1", "--ticket-id", strconv.Itoa(int(ebuytest.DefaultProductID)), "--count", "2", "--json"}
	r := run(t, env, args...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s %s", r.code, r.out, r.err)
	}
	var res ebuy.MakeCodesResult
	if err := json.Unmarshal([]byte(r.out), &res); err != nil || len(res.Codes) != 2 {
		t.Fatalf("result %s: %v", r.out, err)
	}
	delete(env, "EBUY_MAKE_CODES_PATH")
	r = run(t, env, args...)
	if r.code != 1 || !strings.Contains(r.err, "404") {
		t.Fatalf("without the setting: exit %d: %s %s", r.code, r.out, r.err)
	}
}

// The fake prints EBUY_MAKE_CODES_PATH only when makeCode is moved.
func TestFakeEbuySettingsWithoutMakeCodesPath(t *testing.T) {
	env := serveFake(t, "ebuy")
	if _, ok := env["EBUY_MAKE_CODES_PATH"]; ok {
		t.Fatalf("settings %v: EBUY_MAKE_CODES_PATH without MakeCodesPath", env)
	}
	if len(env) != 4 {
		t.Fatalf("settings %v: want the gateway and three credentials", env)
	}
}

// --dump writes the fake's state on SIGUSR1 and once more on exit: the
// made codes, then the one a client activated in between.
func TestFakeDumpOnSignalAndExit(t *testing.T) {
	dir := t.TempDir()
	dump := filepath.Join(dir, "state.json")
	seed := writeFileIn(t, dir, "seed.json", `{"codes":[{"status":"03","count":2}]}`)
	pr, pw := io.Pipe()
	sig := make(chan os.Signal) // unbuffered: a send returns once the fake took the signal
	done := make(chan int, 1)
	go func() {
		done <- Main([]string{"fake", "ebuy", "--seed", seed, "--dump", dump, "--json"}, Env{Stdout: pw, Stderr: io.Discard, Getenv: func(string) string { return "" }, Signals: sig})
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	var env map[string]string
	if err := json.Unmarshal([]byte(line), &env); err != nil {
		t.Fatal(err)
	}
	type state struct {
		Codes []struct{ Code, Status string }
	}
	read := func() state {
		var st state
		b, err := os.ReadFile(dump)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &st); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		return st
	}
	sig <- syscall.SIGUSR1
	sig <- syscall.SIGUSR1 // taken once the first dump is written
	first := read()
	if len(first.Codes) != 2 || first.Codes[0].Status != "03" || first.Codes[1].Status != "03" {
		t.Fatalf("dump on SIGUSR1: %+v", first)
	}
	if r := run(t, env, "ebuy", "activate-codes", "--codes", first.Codes[0].Code); r.code != 0 {
		t.Fatalf("activate: exit %d: %s %s", r.code, r.out, r.err)
	}
	sig <- syscall.SIGTERM
	if code := <-done; code != 0 {
		t.Fatalf("fake exit %d", code)
	}
	last := read()
	if len(last.Codes) != 2 || last.Codes[0].Status != "00" || last.Codes[1].Status != "03" {
		t.Fatalf("dump on exit: %+v", last)
	}
}
