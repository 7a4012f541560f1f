// Package fakeserve serves a vendor's stateful fake (the …test packages) as a
// process of its own: on the address asked for, forwarding to the fake in
// process, with the settings a client needs printed as KEY=value lines.
package fakeserve

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"

	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
	"github.com/couponkit/couponkit/houcaller/houcallertest"
	"github.com/couponkit/couponkit/suning/suningtest"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
	"github.com/couponkit/couponkit/zvcms"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

// Vendors are the fakes this package serves.
var Vendors = []string{"ebuy", "houcaller", "suning", "taobaofilm", "zvcms"}

// Seed is the --seed file: what state to start the fake with.
//
//	ebuy:       {"codes": [{"status": "03", "count": 1000}]}
//	zvcms:      {"coupons": [{"customerId": "c1", "cardId": "card1", "channel": "naixue"}], "count": 100, "nativeTypes": true}
//	taobaofilm: {"batches": [{"MixID": "m1", "PartnerCode": "p1", "Count": 100000, "Seed": 7, "RedeemedPercent": 20}]}
//	houcaller:  {"cards": [{"InfoID": "card-1", "ProductName": "年卡", "CouponIDs": ["c1", "c2"]}]}
//	suning:     (no seed: activities are made by create calls)
type Seed struct {
	Codes []struct {
		Status string `json:"status"`
		Count  int    `json:"count"`
	} `json:"codes"`
	Coupons []zvcms.Coupon         `json:"coupons"`
	Count   int                    `json:"count"`
	Batches []taobaofilmtest.Batch `json:"batches"`
	Cards   []houcallertest.Card   `json:"cards"`

	// NativeTypes (zvcms) answers in the vendor family's spelling
	// (zvcmstest.Config.NativeTypes: status a bool, code and the integers
	// numbers, templateId a string, getCustomerCoupons as {list, total}), for
	// the family's clients; by default the fake answers as the vendor's page
	// prints (every scalar a string).
	NativeTypes bool `json:"nativeTypes"`
}

// Fake is a started fake.
type Fake struct {
	Vendor string
	// Settings are the KEY=value settings a client needs, in print order.
	Settings [][2]string
	// Seeded are the rows the seed made (CSV, with a header), for --codes-csv.
	Seeded [][]string
	// Dump writes the fake's state (where the fake offers it) as JSON.
	Dump func(w io.Writer) error
	// RequestCount returns the requests the fake received.
	RequestCount func() int
	// Controls are the fake's shared controls (DropNextAfterWrite, Inject,
	// …), for tests that serve it in process.
	Controls couponkittest.Fake
	// Server is the vendor's fake itself (*ebuytest.Server, *zvcmstest.Server,
	// …), for tests that inspect its state.
	Server any

	srv   *http.Server
	ln    net.Listener
	close func()
	wg    sync.WaitGroup
}

type fake = couponkittest.Fake

// Start starts the fake of vendor, serving on listen (host:port; port 0
// picks one), seeded from seed (nil: the fake's defaults).
func Start(vendor, listen string, seed *Seed) (*Fake, error) {
	return StartWith(vendor, listen, seed, nil)
}

// StartWith is Start with the fake's Config set as set says (see Settings).
func StartWith(vendor, listen string, seed *Seed, set Settings) (*Fake, error) {
	if seed == nil {
		seed = &Seed{}
	}
	if seed.NativeTypes && vendor != "zvcms" {
		return nil, fmt.Errorf("seed: nativeTypes is a zvcms setting, not %s's", vendor)
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return nil, err
	}
	base := "http://" + ln.Addr().String()
	f := &Fake{Vendor: vendor, ln: ln}
	var fk fake
	switch vendor {
	case "ebuy":
		c := ebuytest.Config{InMemory: true}
		if err := set.apply(vendor, &c); err != nil {
			ln.Close()
			return nil, err
		}
		s := ebuytest.NewServer(c)
		fk = s
		cfg := s.ClientConfig()
		f.Settings = [][2]string{{"EBUY_GATEWAY", rebase(cfg.Gateway, s.URL(), base)}, {"EBUY_APP_ID", cfg.AppID}, {"EBUY_APP_SECRET", cfg.AppSecret}, {"EBUY_BRAND_ID", cfg.BrandID}}
		var all []string
		f.Seeded = [][]string{{"code", "status"}}
		for _, c := range seed.Codes {
			st := ebuy.CodeStatus(c.Status)
			if st == "" {
				st = ebuy.StatusNotActivated
			}
			var codes []string
			if st == ebuy.StatusNotActivated {
				codes = s.MakeCodes(c.Count)
			} else {
				codes = s.SeedCodes(c.Count, st)
			}
			for _, code := range codes {
				f.Seeded = append(f.Seeded, []string{code, string(st)})
			}
			all = append(all, codes...)
		}
		f.Dump = func(w io.Writer) error {
			type state struct {
				Code   string `json:"code"`
				Status string `json:"status"`
			}
			out := make([]state, 0, len(all))
			for _, c := range all {
				if cs, ok := s.Code(c); ok {
					out = append(out, state{c, string(cs.Status)})
				}
			}
			return json.NewEncoder(w).Encode(map[string]any{"codes": out})
		}
	case "zvcms":
		if err := checkZvcmsSeed(seed.Coupons); err != nil {
			ln.Close()
			return nil, err
		}
		c := zvcmstest.Config{InMemory: true, NativeTypes: seed.NativeTypes}
		if err := set.apply(vendor, &c); err != nil {
			ln.Close()
			return nil, err
		}
		s := zvcmstest.NewServer(c)
		fk = s
		cfg := s.ClientConfig()
		f.Settings = [][2]string{{"ZVCMS_GATEWAY", rebase(cfg.Gateway, s.URL(), base)}, {"ZVCMS_OPEN_ID", cfg.OpenID}, {"ZVCMS_OPEN_KEY", cfg.OpenKey}, {"ZVCMS_GRANT_CODE", cfg.GrantCode}}
		f.Seeded = [][]string{{"customer_id", "card_ids", "channel"}}
		var customers []string
		seen := map[string]bool{}
		// The coupons that name their card id go in first, so that no fresh
		// id the fake makes for the others can be one of theirs; rows and
		// customers stay in the seed's order.
		added := make([]zvcms.Coupon, len(seed.Coupons))
		for _, named := range []bool{true, false} {
			for i, c := range seed.Coupons {
				if (c.CardID != "") == named {
					added[i] = s.AddCoupon(c)
				}
			}
		}
		for range seed.Count {
			added = append(added, s.AddCoupon(zvcms.Coupon{Title: "seeded"}))
		}
		for _, c := range added {
			f.Seeded = append(f.Seeded, []string{c.CustomerID, c.CardID, c.Channel})
			if !seen[c.CustomerID] {
				seen[c.CustomerID] = true
				customers = append(customers, c.CustomerID)
			}
		}
		f.Dump = func(w io.Writer) error {
			coupons := map[string][]zvcms.Coupon{}
			for _, id := range customers {
				coupons[id] = s.Coupons(id)
			}
			return json.NewEncoder(w).Encode(map[string]any{"coupons": coupons, "redemptions": s.Redemptions()})
		}
	case "taobaofilm":
		c := taobaofilmtest.Config{InMemory: true, Batches: seed.Batches}
		if err := set.apply(vendor, &c); err != nil {
			ln.Close()
			return nil, err
		}
		s := taobaofilmtest.NewServer(c)
		fk = s
		cfg := s.ClientConfig()
		f.Settings = [][2]string{{"TAOBAO_GATEWAY", rebase(cfg.Gateway, s.URL(), base)}, {"TAOBAO_APP_KEY", cfg.AppKey}, {"TAOBAO_APP_SECRET", cfg.AppSecret}}
		if cfg.Session != "" {
			f.Settings = append(f.Settings, [2]string{"TAOBAO_SESSION", cfg.Session})
		}
		batches := seed.Batches
		if len(batches) == 0 {
			batches = []taobaofilmtest.Batch{taobaofilmtest.DefaultBatch()}
		}
		f.Seeded = [][]string{{"mix_id", "partner_code", "count"}}
		for _, b := range batches {
			f.Seeded = append(f.Seeded, []string{b.MixID, b.PartnerCode, fmt.Sprint(b.Count)})
		}
	case "houcaller":
		c := houcallertest.Config{InMemory: true, Cards: seed.Cards}
		if err := set.apply(vendor, &c); err != nil {
			ln.Close()
			return nil, err
		}
		s := houcallertest.NewServer(c)
		fk = s
		cfg := s.ClientConfig()
		card := houcallertest.DefaultCardInfoID
		if len(seed.Cards) > 0 {
			card = seed.Cards[0].InfoID
		}
		f.Settings = [][2]string{{"HOUCALLER_GATEWAY", rebase(cfg.Gateway, s.URL(), base)}, {"HOUCALLER_CHANNEL", cfg.Channel}, {"HOUCALLER_DES_KEY", cfg.DESKey}, {"HOUCALLER_CARD_INFO_ID", card}}
		f.Seeded = [][]string{{"card_info_id"}}
		if len(seed.Cards) == 0 {
			f.Seeded = append(f.Seeded, []string{card})
		}
		for _, c := range seed.Cards {
			f.Seeded = append(f.Seeded, []string{c.InfoID})
		}
		f.Dump = func(w io.Writer) error {
			sales := s.Sales()
			coupons := map[string][]houcallertest.Coupon{}
			for _, sale := range sales {
				if _, ok := coupons[sale.MemberID]; !ok {
					coupons[sale.MemberID] = s.Coupons(sale.MemberID)
				}
			}
			return json.NewEncoder(w).Encode(map[string]any{"sales": sales, "coupons": coupons})
		}
	case "suning":
		c := suningtest.Config{InMemory: true}
		if err := set.apply(vendor, &c); err != nil {
			ln.Close()
			return nil, err
		}
		s := suningtest.NewServer(c)
		fk = s
		cfg := s.ClientConfig()
		f.Settings = [][2]string{{"SUNING_GATEWAY", rebase(cfg.Gateway, s.URL(), base)}, {"SUNING_APP_KEY", cfg.AppKey}, {"SUNING_APP_SECRET", cfg.AppSecret}}
		if cfg.AccessToken != "" {
			f.Settings = append(f.Settings, [2]string{"SUNING_ACCESS_TOKEN", cfg.AccessToken})
		}
		f.Dump = func(w io.Writer) error {
			return json.NewEncoder(w).Encode(map[string]any{"activities": s.Activities()})
		}
	default:
		ln.Close()
		return nil, fmt.Errorf("no fake for %q (have %s)", vendor, strings.Join(Vendors, ", "))
	}
	target, err := url.Parse(fk.URL())
	if err != nil {
		fk.Close()
		ln.Close()
		return nil, err
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.Transport = fk.Transport()
	proxy.ErrorHandler = func(w http.ResponseWriter, r *http.Request, err error) {
		// The fake dropped the connection (DropNext): drop the client's too.
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, herr := hj.Hijack(); herr == nil {
				c.Close()
				return
			}
		}
		w.WriteHeader(http.StatusBadGateway)
	}
	f.RequestCount = fk.RequestCount
	f.Controls, f.Server = fk, fk
	f.srv = &http.Server{Handler: proxy}
	f.close = fk.Close
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		f.srv.Serve(ln)
	}()
	return f, nil
}

// checkZvcmsSeed refuses a seed that gives two coupons one card id, naming
// both, rather than let the fake panic on the second.
func checkZvcmsSeed(coupons []zvcms.Coupon) error {
	at := map[string]int{}
	for i, c := range coupons {
		if c.CardID == "" {
			continue
		}
		if j, ok := at[c.CardID]; ok {
			return fmt.Errorf("seed: coupons[%d]: cardId %q is also coupons[%d]'s", i, c.CardID, j)
		}
		at[c.CardID] = i
	}
	return nil
}

// rebase replaces the fake's own base URL at the start of gateway with base.
func rebase(gateway, fakeURL, base string) string {
	return base + strings.TrimPrefix(gateway, fakeURL)
}

// Close stops serving and closes the fake.
func (f *Fake) Close() {
	f.srv.Close()
	f.wg.Wait()
	f.close()
}

// WriteEnv writes the settings as KEY=value lines.
func (f *Fake) WriteEnv(w io.Writer) {
	for _, kv := range f.Settings {
		fmt.Fprintf(w, "%s=%s\n", kv[0], kv[1])
	}
}

// WriteJSON writes the settings as one JSON object.
func (f *Fake) WriteJSON(w io.Writer) error {
	m := map[string]string{}
	for _, kv := range f.Settings {
		m[kv[0]] = kv[1]
	}
	return json.NewEncoder(w).Encode(m)
}

// WriteSeeded writes the seeded rows as CSV to path.
func (f *Fake) WriteSeeded(path string) error {
	file, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(file)
	w.WriteAll(f.Seeded)
	if err := w.Error(); err != nil {
		file.Close()
		return err
	}
	return file.Close()
}

// ReadSeed reads a --seed file.
func ReadSeed(path string) (*Seed, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s Seed
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("seed %s: %v", path, err)
	}
	return &s, nil
}

// SortedVendors returns Vendors sorted.
func SortedVendors() []string {
	v := append([]string(nil), Vendors...)
	sort.Strings(v)
	return v
}
