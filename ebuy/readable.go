package ebuy

import (
	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
)

// emptySuccess is the error for a verified success answer without what the
// call exists for: unreadable, so the pipeline treats it as ambiguous.
func emptySuccess(what string) error {
	return transport.Unreadable(couponkit.FaultUnknown, "success answer without "+what+": the outcome cannot be read from it", nil)
}
