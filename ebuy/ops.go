package ebuy

import "github.com/couponkit/couponkit/internal/transport"

// The operations of this package, each declared once: its API, path, retry
// class and idempotency key, followed by its call's registry entry (APIs).
//
// Every write is Keyed on the assumption that e-Buy de-duplicates a request
// repeated with the same uuid (or, for verify-syncVerifyNotify, the same
// cashierTransNo on the same day, which e-Buy documents). e-Buy does not
// publish the uuid de-duplication (an open point, see the package doc): a
// program that cannot rely on it reaches the same API through Client.Call,
// which is Unsafe unless told otherwise.
//
// The one exception is makeCode (opMakeCodes, which a client moves to
// Config.MakeCodesPath): it is Unsafe, with outerOrderId as the key
// reported on an unknown outcome, unless Config.MakeCodesDeduplicates makes
// it Keyed on outerOrderId (opMakeCodesKeyed). If the uuid assumption is wrong, a
// repeated status change, activation or cancellation is refused by the
// code's new state and ThirdBatchMake by its unique saleChannelOrderId
// (documented), so nothing happens twice; a repeated makeCode would issue
// codes twice, and e-Buy 4.1 publishes neither a de-duplication of
// outerOrderId (its 4.0 MakeCode has one) nor a query of a make order to
// find out.
var (
	// opActivate (batchActivateCode): Keyed on the uuid (assumed).
	opActivate = &transport.Op{Name: apiActivate, Path: apiPrefix + apiActivate, Class: transport.Keyed, KeyName: "uuid", NewKey: defaultUUID}
	_          = registry.Add(transport.Describe(Vendor, opActivate, (*Client).ActivateCodes, "activates made codes (03 → 00)"))
	// opDeactivate (batchUnActivateCode): Keyed on the uuid (assumed).
	opDeactivate = &transport.Op{Name: apiDeactivate, Path: apiPrefix + apiDeactivate, Class: transport.Keyed, KeyName: "uuid", NewKey: defaultUUID}
	_            = registry.Add(transport.Describe(Vendor, opDeactivate, (*Client).DeactivateCodes, "deactivates active codes (00 → 03)"))
	// opUpdateStatus (batchUpdateCodeStatus): Keyed on each chunk's uuid (assumed).
	opUpdateStatus = &transport.Op{Name: apiUpdateStatus, Path: apiPrefix + apiUpdateStatus, Class: transport.Keyed, KeyName: "uuid", NewKey: defaultUUID}
	_              = registry.Add(transport.Describe(Vendor, opUpdateStatus, (*Client).UpdateCodeStatus, "voids, freezes, unfreezes or delays codes, 20 a request"))
	// opThirdBatchMake (thirdBatchMake): Keyed on the uuid (assumed); e-Buy
	// also keeps saleChannelOrderId unique.
	opThirdBatchMake = &transport.Op{Name: apiThirdBatchMake, Path: apiPrefix + apiThirdBatchMake, Class: transport.Keyed, KeyName: "uuid", NewKey: defaultUUID}
	_                = registry.Add(transport.Describe(Vendor, opThirdBatchMake, (*Client).ThirdBatchMake, "makes codes for a code merchant's order"))
	// opCancelRedemption (verify-verifyCancel): Keyed on the uuid (assumed).
	opCancelRedemption = &transport.Op{Name: apiCancelRedemption, Path: apiPrefix + apiCancelRedemption, Class: transport.Keyed, KeyName: "uuid", NewKey: defaultUUID}
	_                  = registry.Add(transport.Describe(Vendor, opCancelRedemption, (*Client).CancelRedemption, "cancels a redemption: its codes become usable again"))
	// opSyncRedemptions (verify-syncVerifyNotify): Keyed on cashierTransNo,
	// which e-Buy documents as de-duplicated for the day. The caller gives
	// it; the uuid is fixed for the logical call too.
	opSyncRedemptions = &transport.Op{Name: apiSyncRedemptions, Path: apiPrefix + apiSyncRedemptions, Class: transport.Keyed, KeyName: "cashierTransNo"}
	_                 = registry.Add(transport.Describe(Vendor, opSyncRedemptions, (*Client).SyncRedemptions, "reports codes redeemed at a till outside e-Buy"))
	// opCancelSynced (verify-syncVerifyVoidNotify): Keyed on the uuid
	// (assumed, like every write); e-Buy's page names no key of the void
	// itself, and originalUuid names the report taken back, not the request.
	opCancelSynced = &transport.Op{Name: apiCancelSynced, Path: apiPrefix + apiCancelSynced, Class: transport.Keyed, KeyName: "uuid", NewKey: defaultUUID}
	_              = registry.Add(transport.Describe(Vendor, opCancelSynced, (*Client).CancelSyncedRedemptions, "takes back redemptions reported with SyncRedemptions"))
	// opVoidMerchant (verify-codeVerifyVoidNotify): Keyed on requestId, the
	// void's serial number (e-Buy refuses a repeated serial number with
	// ErrCodeDuplicateSerial, which is why that code marks the refusal
	// couponkit.AlreadyApplied); the uuid is fixed for the logical call too.
	opVoidMerchant = &transport.Op{Name: apiVoidMerchant, Path: apiPrefix + apiVoidMerchant, Class: transport.Keyed, KeyName: "requestId", NewKey: defaultUUID,
		AppliedCodes: []string{ErrCodeDuplicateSerial}}
	_ = registry.Add(transport.Describe(Vendor, opVoidMerchant, (*Client).VoidMerchantRedemption, "reports a code merchant's voided redemption of one code"))

	// opMakeCodes (makeCode): Unsafe, outerOrderId reported on an unknown
	// outcome; opMakeCodesKeyed is the same Op Keyed on outerOrderId
	// (Config.MakeCodesDeduplicates).
	opMakeCodes      = &transport.Op{Name: apiMakeCodes, Path: apiPrefix + DefaultMakeCodesPath, Class: transport.Unsafe, KeyName: "outerOrderId"}
	opMakeCodesKeyed = &transport.Op{Name: apiMakeCodes, Path: apiPrefix + DefaultMakeCodesPath, Class: transport.Keyed, KeyName: "outerOrderId"}
	_                = registry.Add(transport.Describe(Vendor, opMakeCodes, (*Client).MakeCodes, "issues codes to a sales channel's order"))

	// opProductDetail (_getBrandProductDetailDirect): a read, sent with a
	// fresh uuid.
	opProductDetail = &transport.Op{Name: apiProductDetail, Path: apiPrefix + apiProductDetail, Class: transport.Safe}
	_               = registry.Add(transport.Describe(Vendor, opProductDetail, (*Client).ProductDetail, "one coupon product"))
	// opCodeHistory (_queryCodeDetailList): a read, sent with a fresh uuid.
	opCodeHistory = &transport.Op{Name: apiCodeHistory, Path: apiPrefix + apiCodeHistory, Class: transport.Safe}
	_             = registry.Add(transport.Describe(Vendor, opCodeHistory, (*Client).CodeHistory, "a code's operation records"))
)
