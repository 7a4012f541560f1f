package taobaofilm

import (
	"context"
	"strings"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// MethodAccountsByPhone is the TOP method of [Client.AccountsByPhone].
const MethodAccountsByPhone = "taobao.film.account.phone.query"

// opAccountsByPhone is taobao.film.account.phone.query: a read.
var opAccountsByPhone = &transport.Op{Name: MethodAccountsByPhone, Class: transport.Safe,
	Notes: "[likely]: phone in, result's return_code and account_list of mix_user_id and user_nick out (the API's metadata as generated SDKs carry it, not the vendor's page). [open]: whether it needs a session (the Config's is sent when set); what its return codes mean."}

var _ = registry.Add(transport.Describe(Vendor, opAccountsByPhone, (*Client).AccountsByPhone, "the accounts (open id, masked nick) a mobile number matches"))

// AccountsByPhoneRequest asks for the accounts of a mobile number
// (taobao.film.account.phone.query, 根据手机号查询匹配的账号列表).
type AccountsByPhoneRequest struct {
	// Phone is the 11-digit mobile number (phone, 11位手机号码), digits
	// only, such as "13800000000". Required.
	Phone string
}

// Account is one account a phone number matches
// (TaobaoFilmAccountPhoneQueryModel).
type Account struct {
	// MixUserID is the account's open id (mix_user_id, 对外开放ID).
	MixUserID string
	// Nick is the account's nick as TOP masks it (user_nick, 脱敏昵称).
	Nick string
}

// AccountsByPhoneResult is the answer to AccountsByPhone.
type AccountsByPhoneResult struct {
	// Accounts are the accounts matched, in TOP's order; nil when none is.
	Accounts []Account
	// Meta describes the HTTP exchange.
	Meta couponkit.Meta `json:"-"`
}

// AccountsByPhone returns the accounts matching req.Phone, to find a
// user's MixUserID. Whether SendCodesRequest.UserIDs takes a MixUserID is
// [open]: its UserIDType names a numeric Taobao user id (UserIDTaobao) or a
// nick (UserIDTaobaoName), and Nick here is masked. It is a read, retried on
// network failures, 5xx, throttling, isp.* errors and successes without
// result.return_code; an empty account list with return_code "0" is the
// answer "no account". An error_response and a return_code other than "0"
// (see [ErrBusiness]) are errors.
func (c *Client) AccountsByPhone(ctx context.Context, req *AccountsByPhoneRequest) (*AccountsByPhoneResult, error) {
	return transport.Read(ctx, &c.typed, opAccountsByPhone, req.validate, (*accountsParams)(req), (*accountsAnswer).result)
}

func (r *AccountsByPhoneRequest) validate() error {
	switch {
	case r == nil:
		return couponkit.Invalid("AccountsByPhoneRequest", "is nil")
	case r.Phone == "":
		return couponkit.Invalid("Phone", "is required")
	case len(r.Phone) != 11 || strings.Trim(r.Phone, "0123456789") != "":
		return couponkit.Invalid("Phone", "want 11 digits, such as 13800000000")
	}
	return nil
}

// accountsParams is the method's params: AccountsByPhoneRequest's field
// with its wire name.
type accountsParams struct {
	Phone string `json:"phone"`
}

// accountsAnswer is the payload: ResultListModel in result, its list plain
// (simplify=true) or wrapped in taobao_film_account_phone_query_model.
type accountsAnswer struct {
	Result struct {
		ReturnCode  wiretype.Text        `json:"return_code"`
		AccountList topList[wireAccount] `json:"account_list"`
	} `json:"result"`
}

// wireAccount is TaobaoFilmAccountPhoneQueryModel.
type wireAccount struct {
	MixUserID wiretype.Text `json:"mix_user_id"`
	UserNick  wiretype.Text `json:"user_nick"`
}

// Complete reports a success without result.return_code ("0"; another
// code is a business failure open reports): without it, an empty list
// would read as "no account".
func (a *accountsAnswer) Complete() error {
	if a.Result.ReturnCode == "" {
		return transport.Missing("result.return_code")
	}
	return nil
}

// result is the answer as AccountsByPhone returns it.
func (a *accountsAnswer) result(meta couponkit.Meta) *AccountsByPhoneResult {
	res := &AccountsByPhoneResult{Meta: meta}
	for _, w := range a.Result.AccountList {
		res.Accounts = append(res.Accounts, Account{MixUserID: string(w.MixUserID), Nick: string(w.UserNick)})
	}
	return res
}
