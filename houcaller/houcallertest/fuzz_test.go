package houcallertest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzGatewayDecrypt sends arbitrary envelopes and params to the sale
// endpoint: the fake always answers 200 with a vendor envelope, and sells
// only what decrypts with the channel's key into a complete sale.
func FuzzGatewayDecrypt(f *testing.F) {
	s := NewServer(Config{})
	defer s.Close()
	good := s.cipher.EncryptHex([]byte(`{"cardInfoId":"L68F353AD0019","saleTime":"2021-06-16 16:02:15","num":"1","payAmt":"11.22","saleNo":"1","memberId":"m"}`))
	f.Add("hkl-test", "1623893916291", good)
	f.Add("hkl-test", "1623893916291", strings.ToLower(good))
	f.Add("hkl-test", "1623893916291", good[:len(good)-16])
	f.Add("hkl-test", "1623893916291", "ZZ")
	f.Add("hkl-test", "162389391629", good)
	f.Add("other", "1623893916291", good)
	f.Add("hkl-test", "1623893916291", s.cipher.EncryptHex([]byte(`[1,2]`)))
	f.Add("hkl-test", "1623893916291", s.cipher.EncryptHex([]byte(`{"saleNo":"x"}`)))
	f.Fuzz(func(t *testing.T, channel, timestamp, param string) {
		body, err := json.Marshal(requestEnvelope{Channel: channel, Timestamp: timestamp, Param: param})
		require.NoError(t, err)
		before := len(s.Sales())
		w := httptest.NewRecorder()
		s.serve(w, httptest.NewRequest(http.MethodPost, GatewayPath+"/sendMncardForSale", strings.NewReader(string(body))))
		assert.Equal(t, http.StatusOK, w.Code)
		var env struct {
			Code *int   `json:"code"`
			Msg  string `json:"msg"`
		}
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &env))
		require.NotNil(t, env.Code)
		assert.NotEmpty(t, env.Msg)
		if *env.Code != 0 { // 0 is the vendor's success code
			assert.Equal(t, before, len(s.Sales()), "a refused request sells nothing")
			return
		}
		plain, err := s.Decrypt(param)
		require.NoError(t, err, "success only for a param that decrypts")
		assert.True(t, json.Valid(plain))
		assert.Equal(t, "hkl-test", channel)
	})
}
