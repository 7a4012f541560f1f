package taobaofilmdemo

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
)

func clearEnv(t *testing.T) {
	for _, k := range []string{EnvGateway, EnvAppKey, EnvAppSecret, EnvSession, EnvSignMethod, EnvMixID, EnvPartnerCode, EnvCSV, EnvSendNumber} {
		t.Setenv(k, "")
	}
}

func readCSV(t *testing.T, path string) [][]string {
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	return rows
}

func TestRunOnFake(t *testing.T) {
	clearEnv(t)
	path := filepath.Join(t.TempDir(), "codes.csv")
	t.Setenv(EnvCSV, path)
	var out bytes.Buffer
	require.NoError(t, Run(context.Background(), &out))
	assert.Contains(t, out.String(), "built-in fake gateway")
	assert.Contains(t, out.String(), "issued 2 codes (ext_order_id ")
	assert.Contains(t, out.String(), "wrote 2502 rows (26 pages) to "+path)
	assert.NotContains(t, out.String(), "temporary directory", "the file was chosen")
	rows := readCSV(t, path)
	require.Len(t, rows, 2503) // the header, the batch's 2500 codes and the 2 issued
	assert.Equal(t, []string{"code", "code_status", "status", "bind_status", "gmt_modified"}, rows[0])
	seen := map[string]bool{}
	for _, r := range rows[1:] {
		assert.Len(t, r[0], 11)
		assert.False(t, seen[r[0]])
		seen[r[0]] = true
		assert.Contains(t, []string{"-2", "-1", "0", "2"}, r[1])
		assert.Len(t, r[4], 19)
	}
}

// With the three variables set, Run talks to that gateway (here a fake
// standing in for TOP) with the optional settings.
func TestRunOnGateway(t *testing.T) {
	clearEnv(t)
	b := taobaofilmtest.DefaultBatch()
	b.MixID, b.PartnerCode, b.Count = "mix/1", "partner", 30
	srv := taobaofilmtest.NewServer(taobaofilmtest.Config{AppKey: "k", AppSecret: "s", Session: "sess", Batches: []taobaofilmtest.Batch{b}})
	defer srv.Close()
	for k, v := range map[string]string{EnvGateway: srv.Gateway(), EnvAppKey: "k", EnvAppSecret: "s", EnvSession: "sess",
		EnvSignMethod: "md5", EnvMixID: "mix/1", EnvPartnerCode: "partner"} {
		t.Setenv(k, v)
	}
	t.Setenv("TMPDIR", t.TempDir())
	var out bytes.Buffer
	require.NoError(t, Run(context.Background(), &out))
	assert.Contains(t, out.String(), "exporting mix/1 from "+srv.Gateway())
	path := filepath.Join(os.TempDir(), "taobaofilm-mix_1.csv")
	assert.Contains(t, out.String(), "exporting the codes to "+path+", in the temporary directory (set TAOBAO_EXPORT_CSV to choose the file)\n",
		"a file in the temporary directory is announced before it is written")
	assert.Contains(t, out.String(), "wrote 30 rows (1 pages) to "+path)
	assert.Len(t, readCSV(t, path), 31)
	assert.Equal(t, "md5", taobaofilmtest.Params(srv.Requests()[0]).Get("sign_method"))

	// A failed export leaves no file behind.
	t.Setenv(EnvAppSecret, "wrong")
	path = filepath.Join(t.TempDir(), "failed.csv")
	t.Setenv(EnvCSV, path)
	err := Run(context.Background(), &out)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Invalid Signature")
	assert.NoFileExists(t, path)
}

func TestRunNeedsAllThreeVariables(t *testing.T) {
	clearEnv(t)
	t.Setenv(EnvGateway, "https://eco.taobao.com/router/rest")
	err := Run(context.Background(), &bytes.Buffer{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "together")
}
