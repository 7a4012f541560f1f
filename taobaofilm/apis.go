package taobaofilm

import (
	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
)

// APIs lists the package's typed calls: the couponkit command runs them by
// name, and go generate writes the call lists of the READMEs and of this
// package's doc from them. SendCodes is listed Keyed, its class with a
// default Config (Config.SendCodesUnsafe makes it Unsafe).
func APIs() []couponkit.API {
	return []couponkit.API{
		transport.Describe(Vendor, opExport, (*Client).ExportCodes, "one page of a batch's codes, the first or the one after a cursor (Pages and Codes iterate over all of them)"),
		transport.Describe(Vendor, opAccountsByPhone, (*Client).AccountsByPhone, "the accounts (open id, masked nick) a mobile number matches"),
		transport.Describe(Vendor, opSendCodes, (*Client).SendCodes, "issues codes of a batch for an order of the caller's (Unsafe with Config.SendCodesUnsafe)"),
		transport.Describe(Vendor, opMerchantSend, (*Client).MerchantSendCodes, "issues codes of an activity's product for an order of the caller's (the older merchant call)"),
		transport.Describe(Vendor, opTokenCreate, (*Client).CreateToken, "a session (access token) from an authorization code"),
		transport.Describe(Vendor, opTokenRefresh, (*Client).RefreshToken, "a new session from a refresh token, which TOP rotates"),
		transport.Describe(Vendor, opPermitUser, (*Client).PermitUser, "permits the session's user TMC messages on the topics given, replacing the user's topics"),
		transport.Describe(Vendor, opConsumeMessages, (*Client).ConsumeMessages, "takes a batch of a TMC group's messages, in flight until confirmed (HandleMessages loops over it)"),
		transport.Describe(Vendor, opConfirmMessages, (*Client).ConfirmMessages, "confirms TMC messages handled, so that they are not handed out again"),
	}
}
