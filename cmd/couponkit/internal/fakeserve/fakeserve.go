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
	"github.com/couponkit/couponkit/houcaller/houcallertest"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
	"github.com/couponkit/couponkit/zvcms"
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

// Start starts the fake of vendor, serving on listen (host:port; port 0
// picks one), seeded from seed (nil: the fake's defaults).
func Start(vendor, listen string, seed *Seed) (*Fake, error) {
	return StartWith(vendor, listen, seed, nil)
}

// vendorFake is what a vendor's start function builds: the fake in process
// and what Fake reports about it.
type vendorFake struct {
	// fake is the vendor's Server, in memory.
	fake couponkittest.Fake
	// settings are the client's settings; the first is the gateway, at the
	// fake's own URL (StartWith moves it to the address served).
	settings [][2]string
	// seeded are the rows the seed made, with a header; dump writes the
	// state (nil where the fake offers none).
	seeded [][]string
	dump   func(io.Writer) error
}

// starts builds each vendor's fake from the seed and the settings of its
// Config. A start function refuses a seed or a setting before it builds
// anything.
var starts = map[string]func(seed *Seed, set Settings) (*vendorFake, error){
	"ebuy":       startEbuy,
	"houcaller":  startHoucaller,
	"suning":     startSuning,
	"taobaofilm": startTaobaofilm,
	"zvcms":      startZvcms,
}

// StartWith is Start with the fake's Config set as set says (see Settings).
func StartWith(vendor, listen string, seed *Seed, set Settings) (*Fake, error) {
	start, ok := starts[vendor]
	if !ok {
		return nil, fmt.Errorf("no fake for %q (have %s)", vendor, strings.Join(Vendors, ", "))
	}
	if seed == nil {
		seed = &Seed{}
	}
	if seed.NativeTypes && vendor != "zvcms" {
		return nil, fmt.Errorf("seed: nativeTypes is a zvcms setting, not %s's", vendor)
	}
	vf, err := start(seed, set)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		vf.fake.Close()
		return nil, err
	}
	proxy, err := forward(vf.fake)
	if err != nil {
		vf.fake.Close()
		ln.Close()
		return nil, err
	}
	// Every URL of the fake a client is given (the gateway, and Suning's
	// OAuth token endpoint) is served at the listener's address.
	for i, kv := range vf.settings {
		if strings.HasPrefix(kv[1], vf.fake.URL()) {
			vf.settings[i][1] = rebase(kv[1], vf.fake.URL(), "http://"+ln.Addr().String())
		}
	}
	f := &Fake{
		Vendor: vendor, Settings: vf.settings, Seeded: vf.seeded, Dump: vf.dump,
		RequestCount: vf.fake.RequestCount, Controls: vf.fake, Server: vf.fake,
		srv: &http.Server{Handler: proxy}, ln: ln, close: vf.fake.Close,
	}
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		f.srv.Serve(ln)
	}()
	return f, nil
}

// forward is a reverse proxy to fk in process: a request the fake drops
// (DropNext) drops the client's connection too.
func forward(fk couponkittest.Fake) (*httputil.ReverseProxy, error) {
	target, err := url.Parse(fk.URL())
	if err != nil {
		return nil, err
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.Transport = fk.Transport()
	proxy.ErrorHandler = func(w http.ResponseWriter, r *http.Request, err error) {
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, herr := hj.Hijack(); herr == nil {
				c.Close()
				return
			}
		}
		w.WriteHeader(http.StatusBadGateway)
	}
	return proxy, nil
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
