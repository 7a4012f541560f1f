package couponkit_test

import (
	"errors"
	"fmt"

	"github.com/couponkit/couponkit"
)

// A program tells the kinds of failure apart: bad input (nothing was sent),
// a key the vendor says was applied before, a write whose outcome is unknown
// (check with the key before writing again), and a vendor failure with its
// Fault.
func Example_errorHandling() {
	handle := func(err error) {
		var ve *couponkit.ValidationError
		var ce *couponkit.Error
		switch {
		case errors.As(err, &ve):
			fmt.Println("fix the input:", ve.Field)
		case couponkit.AlreadyApplied(err):
			key, _ := couponkit.IdempotencyKey(err)
			fmt.Println("applied before: do not write again; look up key", key)
		case errors.Is(err, couponkit.ErrUnknownOutcome):
			key, _ := couponkit.IdempotencyKey(err)
			fmt.Println("query the vendor before retrying, key", key)
		case errors.As(err, &ce) && ce.Fault == couponkit.FaultThrottle:
			fmt.Println("slow down for", ce.RetryAfter)
		case errors.As(err, &ce):
			fmt.Println("vendor said", ce.Code, "fault", ce.Fault)
		}
	}
	handle(couponkit.Invalid("SaleNo", "required"))
	handle(&couponkit.UnknownOutcomeError{Vendor: "houcaller", Operation: "sendMncardForSale", KeyName: "saleNo", Key: "S-20240101-1",
		Err: &couponkit.Error{Vendor: "houcaller", Message: "EOF", Fault: couponkit.FaultServer}})
	handle(&couponkit.UnknownOutcomeError{Vendor: "ebuy", Operation: "verify-codeVerifyVoidNotify", KeyName: "requestId", Key: "V-1", Attempts: 2,
		Err: &couponkit.Error{Vendor: "ebuy", Code: "32", Fault: couponkit.FaultClient, AlreadyApplied: true}})
	handle(&couponkit.Error{Vendor: "taobaofilm", Code: "7", Fault: couponkit.FaultThrottle, RetryAfter: 3e9})
	handle(&couponkit.Error{Vendor: "suning", Code: "biz.custom.createappoint.missing-parameter:actionName", Fault: couponkit.FaultClient})
	// Output:
	// fix the input: SaleNo
	// query the vendor before retrying, key S-20240101-1
	// applied before: do not write again; look up key V-1
	// slow down for 3s
	// vendor said biz.custom.createappoint.missing-parameter:actionName fault client
}

// Fen keeps money exact: yuan text in, yuan text out, no float in between.
func ExampleParseYuan() {
	f, err := couponkit.ParseYuan("11.22")
	if err != nil {
		panic(err)
	}
	fmt.Println(int64(f), f.Yuan(), (f * 3).Yuan())
	// Output: 1122 11.22 33.66
}
