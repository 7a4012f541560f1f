package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/creds"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/journal"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/suning"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/zvcms"
)

func addCommonFlags(fs *flag.FlagSet, journalPath, profile, config *string) {
	fs.StringVar(journalPath, "journal", journal.DefaultPath, "journal `file` (SQLite)")
	fs.StringVar(profile, "profile", "", "credentials profile `name` from the config file (default: the environment)")
	fs.StringVar(config, "config", "", "config `file` of profiles (default ~/.config/couponkit/profiles.json)")
}

var vendorNames = map[string][]string{
	"ebuy":       {"EBUY_GATEWAY", "EBUY_APP_ID", "EBUY_APP_SECRET", "EBUY_BRAND_ID", "EBUY_MAKE_CODES_DEDUPLICATES", "EBUY_MAKE_CODES_PATH"},
	"zvcms":      {"ZVCMS_GATEWAY", "ZVCMS_OPEN_ID", "ZVCMS_OPEN_KEY", "ZVCMS_GRANT_CODE"},
	"taobaofilm": {"TAOBAO_GATEWAY", "TAOBAO_APP_KEY", "TAOBAO_APP_SECRET", "TAOBAO_SESSION"},
	"houcaller":  {"HOUCALLER_GATEWAY", "HOUCALLER_CHANNEL", "HOUCALLER_DES_KEY"},
	"suning":     {"SUNING_GATEWAY", "SUNING_APP_KEY", "SUNING_APP_SECRET", "SUNING_ACCESS_TOKEN"},
}

// session is the shared state of a vendor command: credentials and the
// redactor every output goes through.
type session struct {
	env    Env
	src    *creds.Source
	red    *creds.Redactor
	out    io.Writer
	errw   io.Writer
	opts   []couponkit.Option
	vendor string
	// issueDedup and serialDedup declare that the vendor de-duplicates
	// zvcms issues on bizId and Houcaller consumption records on serialCode
	// (the --keyed flag of those jobs).
	issueDedup, serialDedup bool
}

func newSession(vendor, profile, config string, rate float64, env Env) (*session, error) {
	src, err := creds.Load(profile, config, env.Getenv)
	if err != nil {
		return nil, err
	}
	red := &creds.Redactor{}
	red.Add(src.Secrets(vendorNames[vendor]...)...)
	s := &session{env: env, src: src, red: red, out: red.Writer(env.Stdout), errw: red.Writer(env.Stderr), vendor: vendor}
	if rate > 0 {
		s.opts = append(s.opts, couponkit.WithRateLimit(rate, 1))
	}
	return s, nil
}

func (s *session) ebuy() (*ebuy.Client, error) {
	v, err := s.src.Require("EBUY_GATEWAY", "EBUY_APP_ID", "EBUY_APP_SECRET")
	if err != nil {
		return nil, err
	}
	dedup, err := s.ebuyMakeCodesDeduplicates()
	if err != nil {
		return nil, err
	}
	// EBUY_MAKE_CODES_PATH: makeCode at another path (ebuy.Config.MakeCodesPath),
	// as couponkit fake ebuy MakeCodesPath=… prints it.
	c, err := ebuy.NewClient(ebuy.Config{Gateway: v[0], AppID: v[1], AppSecret: v[2], BrandID: s.src.Get("EBUY_BRAND_ID"),
		MakeCodesDeduplicates: dedup, MakeCodesPath: s.src.Get("EBUY_MAKE_CODES_PATH")}, s.opts...)
	if err != nil {
		return nil, errors.New(s.red.String(err.Error()))
	}
	return c, nil
}

// ebuyMakeCodesDeduplicates reads EBUY_MAKE_CODES_DEDUPLICATES (environment
// or profile): true declares that the gateway answers a repeated
// outerOrderId with its earlier make (ebuy.Config.MakeCodesDeduplicates).
func (s *session) ebuyMakeCodesDeduplicates() (bool, error) {
	v := s.src.Get("EBUY_MAKE_CODES_DEDUPLICATES")
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("EBUY_MAKE_CODES_DEDUPLICATES=%q: want true or false", v)
	}
	return b, nil
}

func (s *session) zvcms() (*zvcms.Client, error) {
	v, err := s.src.Require("ZVCMS_GATEWAY", "ZVCMS_OPEN_ID", "ZVCMS_OPEN_KEY", "ZVCMS_GRANT_CODE")
	if err != nil {
		return nil, err
	}
	c, err := zvcms.NewClient(zvcms.Config{Gateway: v[0], OpenID: v[1], OpenKey: v[2], GrantCode: v[3], IssueDeduplicates: s.issueDedup}, s.opts...)
	if err != nil {
		return nil, errors.New(s.red.String(err.Error()))
	}
	return c, nil
}

func (s *session) taobao() (*taobaofilm.Client, error) {
	v, err := s.src.Require("TAOBAO_GATEWAY", "TAOBAO_APP_KEY", "TAOBAO_APP_SECRET")
	if err != nil {
		return nil, err
	}
	c, err := taobaofilm.NewClient(taobaofilm.Config{Gateway: v[0], AppKey: v[1], AppSecret: v[2], Session: s.src.Get("TAOBAO_SESSION")}, s.opts...)
	if err != nil {
		return nil, errors.New(s.red.String(err.Error()))
	}
	return c, nil
}

func (s *session) houcaller() (*houcaller.Client, error) {
	v, err := s.src.Require("HOUCALLER_GATEWAY", "HOUCALLER_CHANNEL", "HOUCALLER_DES_KEY")
	if err != nil {
		return nil, err
	}
	c, err := houcaller.NewClient(houcaller.Config{Gateway: v[0], Channel: v[1], DESKey: v[2], SerialCodeDedup: s.serialDedup}, s.opts...)
	if err != nil {
		return nil, errors.New(s.red.String(err.Error()))
	}
	return c, nil
}

func (s *session) suning() (*suning.Client, error) {
	v, err := s.src.Require("SUNING_GATEWAY", "SUNING_APP_KEY", "SUNING_APP_SECRET")
	if err != nil {
		return nil, err
	}
	c, err := suning.NewClient(suning.Config{Gateway: v[0], AppKey: v[1], AppSecret: v[2], AccessToken: s.src.Get("SUNING_ACCESS_TOKEN"),
		OAuthTokenURL: s.src.Get("SUNING_OAUTH_TOKEN_URL"), OAuthRedirectURL: s.src.Get("SUNING_OAUTH_REDIRECT_URL")}, s.opts...)
	if err != nil {
		return nil, errors.New(s.red.String(err.Error()))
	}
	return c, nil
}

func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
}

func cmdVendor(vendor, call string, args []string, env Env) error {
	switch vendor + " " + call {
	case "ebuy activate", "ebuy status", "zvcms redeem", "zvcms reverse", "zvcms issue":
		return cmdJob(vendor, call, args, env)
	case "ebuy make-codes", "taobaofilm send-codes", "houcaller record-consumption":
		if isJobArgs(args) {
			return cmdJob(vendor, call, args, env)
		}
	case "ebuy history":
		return cmdEbuyHistory(args, env)
	case "taobaofilm export":
		return cmdExport(args, env)
	case "houcaller coupons":
		return cmdHoucallerCoupons(args, env)
	case "houcaller points":
		return cmdHoucallerPoints(args, env)
	case "zvcms coupons":
		return cmdZvcmsCoupons(args, env)
	case "zvcms takings":
		return cmdZvcmsTakings(args, env)
	}
	if c := findCall(vendor, call); c != nil {
		return cmdCall(c, args, env)
	}
	return usageErr("unknown call %q of %s (single calls: %s)", call, vendor, strings.Join(callNames(vendor), ", "))
}
