package sign

import (
	"strings"
	"testing"
)

type zvcmsVectors struct {
	HMACSHA1 []struct {
		Name, Key, Msg, Base64 string
	} `json:"hmacSha1"`
	Token []struct {
		Name      string
		OpenKey   string `json:"openKey"`
		OpenID    string `json:"openId"`
		GrantCode string `json:"grantCode"`
		Timestamp string
		Nonce     string
		Base64    string
		Token     string
	}
}

func TestHMACSHA1Base64Vectors(t *testing.T) {
	var v zvcmsVectors
	loadVectors(t, "zvcms.json", &v)
	if len(v.HMACSHA1) == 0 {
		t.Fatal("no vectors")
	}
	for _, c := range v.HMACSHA1 {
		if got := HMACSHA1Base64(c.Key, c.Msg); got != c.Base64 {
			t.Errorf("%s: HMACSHA1Base64 = %s, want %s", c.Name, got, c.Base64)
		}
	}
}

func TestZvcmsTokenVectors(t *testing.T) {
	var v zvcmsVectors
	loadVectors(t, "zvcms.json", &v)
	if len(v.Token) == 0 {
		t.Fatal("no vectors")
	}
	for _, c := range v.Token {
		t.Run(c.Name, func(t *testing.T) {
			if !strings.ContainsAny(c.Base64, "+/") || !strings.Contains(c.Base64, "=") {
				t.Fatalf("vector %s does not exercise escaping: %s", c.Name, c.Base64)
			}
			msg := "grantCode=" + c.GrantCode + "&nonce=" + c.Nonce + "&openId=" + c.OpenID + "&timestamp=" + c.Timestamp
			if got := HMACSHA1Base64(c.OpenKey, msg); got != c.Base64 {
				t.Errorf("HMACSHA1Base64 = %s, want %s", got, c.Base64)
			}
			got := ZvcmsToken(c.OpenKey, c.OpenID, c.GrantCode, c.Timestamp, c.Nonce)
			if got != c.Token {
				t.Errorf("ZvcmsToken = %s, want %s", got, c.Token)
			}
			if strings.ContainsAny(got, "+/=") {
				t.Errorf("token %s is not escaped", got)
			}
		})
	}
}
