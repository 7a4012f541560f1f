// Package taobaofilmdemo is the taobaofilm example flow: issue codes of a
// film-code batch (SendCodes), then export every code of the batch, the
// issued ones included, to a CSV file, against the package's fake gateway by
// default or against TOP when TAOBAO_GATEWAY, TAOBAO_APP_KEY and
// TAOBAO_APP_SECRET are set.
package taobaofilmdemo

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
)

// Environment variables read by Run.
const (
	EnvGateway     = "TAOBAO_GATEWAY"      // the full router URL, such as https://eco.taobao.com/router/rest
	EnvAppKey      = "TAOBAO_APP_KEY"      // the app key
	EnvAppSecret   = "TAOBAO_APP_SECRET"   // the app secret
	EnvSession     = "TAOBAO_SESSION"      // optional session key
	EnvSignMethod  = "TAOBAO_SIGN_METHOD"  // optional: md5, hmac or hmac-sha256 (the default)
	EnvMixID       = "TAOBAO_MIX_ID"       // optional batch mix_id (default: the vendor page's example)
	EnvPartnerCode = "TAOBAO_PARTNER_CODE" // optional partner_code (default: the vendor page's example)
	EnvCSV         = "TAOBAO_EXPORT_CSV"   // optional CSV path (default: a file in os.TempDir())
	EnvSendNumber  = "TAOBAO_SEND_NUMBER"  // optional number of codes to issue first (default: 2 on the fake, none on TOP)
)

// fakeCodes is the size of the batch exported from the fake.
const fakeCodes = 2_500

// Run exports every code of a batch to a CSV file and prints the file's path,
// the row count and a summary to w.
func Run(ctx context.Context, w io.Writer) error {
	cfg, real, err := config()
	if err != nil {
		return err
	}
	mixID := envOr(EnvMixID, taobaofilmtest.DefaultMixID)
	partner := envOr(EnvPartnerCode, taobaofilmtest.DefaultPartnerCode)
	var opts []couponkit.Option
	if real {
		fmt.Fprintf(w, "taobaofilm: exporting %s from %s\n", mixID, cfg.Gateway)
	} else {
		b := taobaofilmtest.DefaultBatch()
		b.MixID, b.PartnerCode, b.Count = mixID, partner, fakeCodes
		// In memory: the client reaches the fake through its transport, no socket.
		srv := taobaofilmtest.NewServer(taobaofilmtest.Config{Batches: []taobaofilmtest.Batch{b}, InMemory: true})
		defer srv.Close()
		cfg = srv.ClientConfig()
		opts = append(opts, srv.ClientOption())
		fmt.Fprintf(w, "taobaofilm: exporting %s from the built-in fake gateway (set %s, %s and %s for TOP)\n", mixID, EnvGateway, EnvAppKey, EnvAppSecret)
	}
	c, err := taobaofilm.NewClient(cfg, opts...)
	if err != nil {
		return err
	}
	defer c.Close()

	send := envOr(EnvSendNumber, "0")
	if !real && os.Getenv(EnvSendNumber) == "" {
		send = "2"
	}
	n, err := strconv.ParseInt(send, 10, 64)
	if err != nil || n < 0 {
		return fmt.Errorf("taobaofilm demo: %s must be a number of codes", EnvSendNumber)
	}
	if n > 0 {
		if err := issue(ctx, w, c, mixID, partner, n); err != nil {
			return err
		}
	}

	path := os.Getenv(EnvCSV)
	if path == "" {
		path = filepath.Join(os.TempDir(), "taobaofilm-"+safeName(mixID)+".csv")
		fmt.Fprintf(w, "  exporting the codes to %s, in the temporary directory (set %s to choose the file)\n", path, EnvCSV)
	}
	sum, err := export(ctx, c, &taobaofilm.ExportRequest{MixID: mixID, PartnerCode: partner, OperateType: taobaofilm.OperateAll}, path)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  batch %q: %s yuan a code, %d codes\n", sum.basic.Name, sum.basic.Denomination.Yuan(), sum.basic.TotalCount)
	fmt.Fprintf(w, "  wrote %d rows (%d pages) to %s\n", sum.rows, sum.pages, path)
	fmt.Fprintf(w, "  normal %d, redeemed %d, expired %d, invalid %d\n",
		sum.byStatus[taobaofilm.StatusNormal], sum.byStatus[taobaofilm.StatusRedeemed],
		sum.byStatus[taobaofilm.StatusExpired], sum.byStatus[taobaofilm.StatusInvalid])
	return nil
}

// issue sends n codes of the batch with SendCodes, Keyed on an ext_order_id
// made by the client, and prints them. An unknown outcome names the
// ext_order_id to retry with.
func issue(ctx context.Context, w io.Writer, c *taobaofilm.Client, mixID, partner string, n int64) error {
	res, err := c.SendCodes(ctx, &taobaofilm.SendCodesRequest{MixID: mixID, PartnerCode: partner, Number: n})
	if errors.Is(err, couponkit.ErrUnknownOutcome) {
		key, _ := couponkit.IdempotencyKey(err)
		return fmt.Errorf("taobaofilm demo: the issue's outcome is unknown; send it again with ExtOrderID %s: %w", key, err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  issued %d codes (ext_order_id %s):", len(res.Codes), res.ExtOrderID)
	for _, sc := range res.Codes {
		fmt.Fprintf(w, " %s", sc.Code)
	}
	fmt.Fprintln(w)
	return nil
}

// config reads the real gateway's settings, or reports that the fake is used.
func config() (taobaofilm.Config, bool, error) {
	gw, key, secret := os.Getenv(EnvGateway), os.Getenv(EnvAppKey), os.Getenv(EnvAppSecret)
	switch n := btoi(gw != "") + btoi(key != "") + btoi(secret != ""); n {
	case 0:
		return taobaofilm.Config{}, false, nil
	case 3:
	default:
		return taobaofilm.Config{}, false, fmt.Errorf("taobaofilm demo: set %s, %s and %s together", EnvGateway, EnvAppKey, EnvAppSecret)
	}
	return taobaofilm.Config{
		Gateway: gw, AppKey: key, AppSecret: secret, Session: os.Getenv(EnvSession),
		SignMethod: taobaofilm.SignMethod(os.Getenv(EnvSignMethod)),
	}, true, nil
}

type summary struct {
	basic    taobaofilm.Basic
	rows     int
	pages    int
	byStatus map[taobaofilm.CodeStatus]int
}

// export writes every code to a CSV file at path, one page in memory at a
// time. A failed export removes the partial file.
func export(ctx context.Context, c *taobaofilm.Client, req *taobaofilm.ExportRequest, path string) (s summary, err error) {
	f, err := os.Create(path)
	if err != nil {
		return s, err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
		}
	}()
	cw := csv.NewWriter(f)
	if err := cw.Write([]string{"code", "code_status", "status", "bind_status", "gmt_modified"}); err != nil {
		return s, err
	}
	s.byStatus = map[taobaofilm.CodeStatus]int{}
	for page, err := range c.Pages(ctx, req) {
		if err != nil {
			return s, err
		}
		if s.pages == 0 {
			s.basic = page.Basic
		}
		s.pages++
		for _, code := range page.Codes {
			row := []string{code.Code, strconv.Itoa(int(code.Status)), code.Status.String(), strconv.Itoa(int(code.Bind)), ""}
			if !code.Modified.IsZero() {
				row[4] = code.Modified.Format("2006-01-02 15:04:05")
			}
			if err := cw.Write(row); err != nil {
				return s, err
			}
			s.rows++
			s.byStatus[code.Status]++
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return s, err
	}
	if s.pages == 0 {
		return s, errors.New("taobaofilm demo: the export returned no page")
	}
	return s, nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// safeName keeps letters, digits, '-' and '_' of s for a file name.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '_'
	}, s)
}
