package cli

import (
	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/taobaofilm"
)

// taobaofilmAPIs lists taobaofilm's typed calls for the command while the
// package has no registry of its own; its registries line takes
// taobaofilm.APIs instead once it has.
func taobaofilmAPIs() []couponkit.API {
	api := func(operation string, class couponkit.Class, key, summary string) couponkit.API {
		return couponkit.API{Vendor: "taobaofilm", Operation: operation, Class: class, KeyName: key, Summary: summary}
	}
	return []couponkit.API{
		couponkit.NewAPI((*taobaofilm.Client).ExportCodes, api("taobao.film.fcode.export.query", couponkit.ClassRead, "", "one page of a batch's codes: the first, or the one after LastSequence")),
		couponkit.NewAPI((*taobaofilm.Client).SendCodes, api("taobao.film.lottery.sendcode", couponkit.ClassKeyed, "ext_order_id", "issues codes of a batch (mixId)")),
		couponkit.NewAPI((*taobaofilm.Client).MerchantSendCodes, api("taobao.film.fcode.merchant.send", couponkit.ClassUnsafe, "ext_order_id", "issues codes through the merchant API (apiId 24722)")),
	}
}
