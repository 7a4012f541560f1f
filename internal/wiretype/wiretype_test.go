package wiretype

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
)

// beijing is UTC+8, written out here rather than taken from cntime, so the
// expected instants do not come from the code under test.
var beijing = time.FixedZone("UTC+8", 8*3600)

// answer is a wire struct as a vendor package declares one: every type of
// this package behind a json tag, as the vendors' pages print them.
type answer struct {
	Amount    Fen         `json:"amount"`
	Price     Yuan        `json:"price"`
	Total     YuanNumber  `json:"total"`
	BeginAt   Time        `json:"beginAt"`
	Created   CompactTime `json:"createDate"`
	Updated   Millis      `json:"updateTime"`
	Stamp     Unix        `json:"timestamp"`
	CustID    Digits      `json:"customerId"`
	Status    Bool        `json:"status"`
	UseStatus Int         `json:"useStatus"`
	Code      Text        `json:"code"`
}

func TestDecodesWhatVendorsPrint(t *testing.T) {
	t.Parallel()
	at := time.Date(2019, 10, 15, 17, 10, 2, 0, beijing)
	cases := []struct {
		name, body string
		want       answer
	}{
		{"strings, as zvcms's page prints them",
			`{"amount":"1122","price":"11.22","total":"11.2","beginAt":"2019-10-15 17:10:2","createDate":"20191015171002","updateTime":"1571130602000","timestamp":"1571130602","customerId":"383933091455959041","status":"true","useStatus":"0","code":"0"}`,
			answer{1122, 1122, 1120, Time(at), CompactTime(at), Millis(at), Unix(at), "383933091455959041", true, 0, "0"}},
		{"native types, as zvcms's sibling platform prints them",
			`{"amount":1122,"price":11.22,"total":11.00,"beginAt":1571130602000,"createDate":"2019-10-15 17:10:02","updateTime":1571130602000,"timestamp":1571130602,"customerId":383933091455959041,"status":true,"useStatus":2,"code":0}`,
			answer{1122, 1122, 1100, Time(at), CompactTime(at), Millis(at), Unix(at), "383933091455959041", true, 2, "0"}},
		{"empty values",
			`{"amount":"","price":"","total":"","beginAt":"","createDate":"","updateTime":0,"timestamp":"0","customerId":"","status":"","useStatus":"","code":""}`,
			answer{}},
		{"nulls", `{"amount":null,"price":null,"total":null,"beginAt":null,"createDate":null,"updateTime":null,"timestamp":null,"customerId":null,"status":null,"useStatus":null,"code":null}`,
			answer{}},
		{"other spellings",
			`{"amount":-5,"price":"-0.05","total":5,"beginAt":"2019-10-15","createDate":"20191015","updateTime":"2019-10-15 17:10:02.0","timestamp":1571130602,"status":"1","useStatus":"-3","code":true}`,
			answer{-5, -5, 500, Time(time.Date(2019, 10, 15, 0, 0, 0, 0, beijing)), CompactTime(time.Date(2019, 10, 15, 0, 0, 0, 0, beijing)), Millis(at), Unix(at), "", true, -3, "true"}},
		{"Bool in capitals", `{"status":"TRUE"}`, answer{Status: true}},
		{"Bool false as 0", `{"status":0}`, answer{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got answer
			require.NoError(t, json.Unmarshal([]byte(c.body), &got))
			// Times compare as instants; the zone read is always UTC+8.
			for _, pair := range [][2]time.Time{
				{time.Time(c.want.BeginAt), time.Time(got.BeginAt)}, {time.Time(c.want.Created), time.Time(got.Created)},
				{time.Time(c.want.Updated), time.Time(got.Updated)}, {time.Time(c.want.Stamp), time.Time(got.Stamp)},
			} {
				assert.True(t, pair[0].Equal(pair[1]), "want %v, got %v", pair[0], pair[1])
				if !pair[1].IsZero() {
					_, off := pair[1].Zone()
					assert.Equal(t, 8*3600, off)
				}
			}
			got.BeginAt, got.Created, got.Updated, got.Stamp = Time{}, CompactTime{}, Millis{}, Unix{}
			c.want.BeginAt, c.want.Created, c.want.Updated, c.want.Stamp = Time{}, CompactTime{}, Millis{}, Unix{}
			assert.Equal(t, c.want, got)
		})
	}
}

func TestRefusesWhatIsNotAValue(t *testing.T) {
	t.Parallel()
	bad := []string{
		`{"amount":12.5}`, `{"amount":1e3}`, `{"amount":"12.5"}`, `{"amount":"x"}`, `{"amount":99999999999999999999}`, `{"amount":{}}`,
		`{"price":"11.225"}`, `{"price":"1e3"}`, `{"price":"11."}`, `{"price":"."}`, `{"price":"12345678901234567"}`, `{"price":[]}`,
		`{"total":"abc"}`,
		`{"beginAt":"2019-13-01 00:00:00"}`, `{"beginAt":"yesterday"}`, `{"beginAt":123}`, `{"beginAt":"201910151710"}`, `{"beginAt":"20191332"}`,
		`{"customerId":-1}`, `{"customerId":1.5}`, `{"customerId":"12a"}`,
		`{"status":"yes"}`, `{"status":2}`, `{"status":"T"}`,
		`{"useStatus":"1.0"}`, `{"useStatus":"one"}`,
		`{"code":{}}`,
	}
	for _, body := range bad {
		var got answer
		assert.Error(t, json.Unmarshal([]byte(body), &got), body)
	}
}

// request is a wire request struct: what a typed call encodes.
type request struct {
	Amount  Fen         `json:"amount"`
	Price   Yuan        `json:"price"`
	Total   YuanNumber  `json:"total"`
	BeginAt Time        `json:"beginAt,omitzero"`
	EndAt   Time        `json:"endAt"`
	Created CompactTime `json:"createDate"`
	Updated Millis      `json:"updateTime"`
	Stamp   Unix        `json:"timestamp"`
	CustID  Digits      `json:"customerId,omitempty"`
	Card    Digits      `json:"cardId,omitempty"`
	Flag    Bool        `json:"flag"`
	N       Int         `json:"n"`
	Code    Text        `json:"code"`
}

func TestEncodesAsVendorsRead(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 1, 2, 3, 4, 5e8, time.UTC) // 10:03:04.5 in Beijing
	r := request{Amount: 1122, Price: 1122, Total: 1100, EndAt: Time(at), Created: CompactTime(at), Updated: Millis(at), Stamp: Unix(at),
		CustID: "383933091455959041", Flag: true, N: -7, Code: "0"}
	b, err := json.Marshal(r)
	require.NoError(t, err)
	assert.Equal(t, `{"amount":1122,"price":"11.22","total":11.00,"endAt":"2026-12-01 10:03:04","createDate":"20261201100304","updateTime":1796090584500,"timestamp":1796090584,"customerId":383933091455959041,"flag":true,"n":-7,"code":"0"}`, string(b))

	zero, err := json.Marshal(request{})
	require.NoError(t, err)
	assert.Equal(t, `{"amount":0,"price":"0.00","total":0.00,"endAt":"","createDate":"","updateTime":0,"timestamp":0,"flag":false,"n":0,"code":""}`, string(zero))

	for _, d := range []Digits{"012", "-1", "1.5", "12a", " 1"} {
		_, err := json.Marshal(request{Card: d})
		assert.Error(t, err, "%q", d)
	}
	_, err = json.Marshal(request{EndAt: Time(time.Date(10000, 1, 1, 0, 0, 0, 0, beijing))})
	assert.Error(t, err)
	_, err = json.Marshal(request{Created: CompactTime(time.Date(-1, 1, 1, 0, 0, 0, 0, beijing))})
	assert.Error(t, err)
}

func TestTextForms(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 1, 10, 3, 4, 0, beijing)
	// As map keys and form values, through encoding.TextMarshaler.
	b, err := json.Marshal(map[Time]Yuan{Time(at): 5})
	require.NoError(t, err)
	assert.Equal(t, `{"2026-12-01 10:03:04":"0.05"}`, string(b))
	var back map[CompactTime]Fen
	require.NoError(t, json.Unmarshal([]byte(`{"20261201100304":"7"}`), &back))
	for k, v := range back {
		assert.True(t, time.Time(k).Equal(at))
		assert.Equal(t, Fen(7), v)
	}
	text, _ := YuanNumber(-105).MarshalText()
	assert.Equal(t, "-1.05", string(text))
	text, _ = Millis(at).MarshalText()
	assert.Equal(t, "1796090584000", string(text))
	text, _ = Digits("42").MarshalText()
	assert.Equal(t, "42", string(text))
	var i Int
	require.NoError(t, i.UnmarshalText([]byte("+12")))
	assert.Equal(t, Int(12), i)
}

func TestNullLeavesTheValue(t *testing.T) {
	t.Parallel()
	a := answer{Amount: 1, Price: 2, CustID: "3", Status: true, UseStatus: 4, Code: "x", BeginAt: Time(time.Unix(1, 0))}
	require.NoError(t, json.Unmarshal([]byte(`{"amount":null,"price":null,"customerId":null,"status":null,"useStatus":null,"code":null,"beginAt":null}`), &a))
	// encoding/json itself sets a Text (a string kind) to "" on null; the
	// types with an UnmarshalJSON leave their value, as json.Unmarshal
	// documents for null.
	assert.Equal(t, answer{Amount: 1, Price: 2, CustID: "3", Status: true, UseStatus: 4, BeginAt: Time(time.Unix(1, 0))}, a)
}

func TestChecks(t *testing.T) {
	t.Parallel()
	var ve *couponkit.ValidationError
	require.ErrorAs(t, CheckYear("ValidEnd", time.Date(10000, 1, 1, 0, 0, 0, 0, beijing)), &ve)
	assert.Equal(t, "ValidEnd", ve.Field)
	// 9999-12-31 16:00 UTC is already year 10000 in Beijing.
	require.ErrorAs(t, CheckYear("ValidEnd", time.Date(9999, 12, 31, 16, 0, 0, 0, time.UTC)), &ve)
	assert.NoError(t, CheckYear("ValidEnd", time.Date(9999, 12, 31, 15, 59, 59, 0, time.UTC)))
	assert.NoError(t, CheckYear("ValidEnd", time.Time{}))

	require.ErrorAs(t, CheckDigits("CustomerID", "007", false), &ve)
	assert.Equal(t, "CustomerID", ve.Field)
	assert.Error(t, CheckDigits("CustomerID", "", false))
	assert.NoError(t, CheckDigits("CustomerID", "", true))
	assert.NoError(t, CheckDigits("CustomerID", "0", false))
	assert.NoError(t, CheckDigits("CustomerID", "383933091455959041", false))
}
