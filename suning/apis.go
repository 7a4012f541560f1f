package suning

import (
	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
)

// APIs lists the package's typed calls: the couponkit command runs them by
// name, and go generate writes the call lists of the READMEs and of this
// package's doc from them. Create, Modify and Stop are one vendor method
// (suning.custom.appoint.create, by operateType), each listed under its own
// command name.
func APIs() []couponkit.API {
	return []couponkit.API{
		transport.Describe(Vendor, opAppointCreate, (*Client).Create, "creates an appointment activity (operateType 01); the vendor assigns its actionId"),
		transport.Describe(Vendor, opAppointCreate, (*Client).Modify, "modifies an activity, sending it whole again (operateType 02)"),
		transport.Describe(Vendor, opAppointCreate, (*Client).Stop, "stops an activity (operateType 03)"),
		transport.Describe(Vendor, opAppointQuery, (*Client).Query, "an activity by its actionId, one of its goods and its merchant"),
		transport.Describe(Vendor, opGotoAppoint, (*Client).GotoAppoint, "enrols a customer in an activity's goods"),
		transport.Describe(Vendor, opBookingInfo, (*Client).BookingInfo, "a customer's bookings in an activity"),
		transport.Describe(Vendor, opTokenCreate, (*Client).CreateToken, "an OAuth access token from an authorization code"),
		transport.Describe(Vendor, opTokenRefresh, (*Client).RefreshToken, "a new OAuth access token from a refresh token"),
	}
}
