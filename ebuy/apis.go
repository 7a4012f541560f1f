package ebuy

import (
	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
)

// APIs lists the package's typed calls: the couponkit command runs them by
// name, and go generate writes the call lists of the READMEs and of this
// package's doc from them. Each entry reports its call with a default
// Config: MakeCodes is Keyed with Config.MakeCodesDeduplicates, and sent to
// Config.MakeCodesPath.
func APIs() []couponkit.API {
	return []couponkit.API{
		transport.Describe(Vendor, opActivate, (*Client).ActivateCodes, "activates made codes (03 → 00)"),
		transport.Describe(Vendor, opDeactivate, (*Client).DeactivateCodes, "deactivates active codes (00 → 03)"),
		transport.Describe(Vendor, opUpdateStatus, (*Client).UpdateCodeStatus, "voids, freezes, unfreezes or delays codes, 20 a request"),
		transport.Describe(Vendor, opThirdBatchMake, (*Client).ThirdBatchMake, "makes codes for a code merchant's order"),
		transport.Describe(Vendor, opMakeCodes, (*Client).MakeCodes, "issues codes to a sales channel's order"),
		transport.Describe(Vendor, opProductDetail, (*Client).ProductDetail, "one coupon product"),
		transport.Describe(Vendor, opCodeHistory, (*Client).CodeHistory, "a code's operation records"),
		transport.Describe(Vendor, opCancelRedemption, (*Client).CancelRedemption, "cancels a redemption: its codes become usable again"),
		transport.Describe(Vendor, opSyncRedemptions, (*Client).SyncRedemptions, "reports codes redeemed at a till outside e-Buy"),
		transport.Describe(Vendor, opCancelSynced, (*Client).CancelSyncedRedemptions, "takes back redemptions reported with SyncRedemptions"),
		transport.Describe(Vendor, opVoidMerchant, (*Client).VoidMerchantRedemption, "reports a code merchant's voided redemption of one code"),
	}
}
