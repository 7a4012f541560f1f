package sign

import "testing"

func TestSuningSignInfoVectors(t *testing.T) {
	var vectors []struct {
		Name           string
		AppSecret      string `json:"appSecret"`
		AppMethod      string `json:"appMethod"`
		AppRequestTime string `json:"appRequestTime"`
		AppKey         string `json:"appKey"`
		VersionNo      string `json:"versionNo"`
		Body           string
		SignInfo       string `json:"signInfo"`
	}
	loadVectors(t, "suning.json", &vectors)
	if len(vectors) == 0 {
		t.Fatal("no vectors")
	}
	for _, v := range vectors {
		got := SuningSignInfo(v.AppSecret, v.AppMethod, v.AppRequestTime, v.AppKey, v.VersionNo, []byte(v.Body))
		if got != v.SignInfo {
			t.Errorf("%s: SuningSignInfo = %s, want %s", v.Name, got, v.SignInfo)
		}
	}
}
