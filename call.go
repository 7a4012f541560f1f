package couponkit

import "strconv"

// Class says how an operation may be retried, and what an ambiguous answer
// means for it.
type Class int

const (
	// ClassUnsafe is a write the vendor is not known to de-duplicate. It is
	// sent again only when the request provably never left this process, or
	// the vendor refused it by throttling; once it may have left, an answer
	// that is not a definite vendor answer is reported at once as an error
	// matching [ErrUnknownOutcome]. It is the default of every generic Call.
	ClassUnsafe Class = iota
	// ClassRead is a read: retried on network failures, 5xx, throttling,
	// server faults and unreadable answers.
	ClassRead
	// ClassKeyed is a write the vendor de-duplicates on an idempotency key
	// fixed for the logical call: retried like a read with the same key,
	// re-signed every attempt. When its last attempt is still ambiguous the
	// error matches [ErrUnknownOutcome] and carries the key.
	ClassKeyed
)

// String returns "unsafe", "read" or "keyed".
func (c Class) String() string {
	switch c {
	case ClassRead:
		return "read"
	case ClassKeyed:
		return "keyed"
	case ClassUnsafe:
		return "unsafe"
	default:
		return "class(" + strconv.Itoa(int(c)) + ")"
	}
}

// CallOption sets how a generic Call (ebuy.Client.Call, zvcms.Client.Call, …)
// is retried, and vendor-specific settings. Without options a generic call is
// [ClassUnsafe].
type CallOption func(*CallSettings)

// CallSettings are the resolved [CallOption]s of one generic call. Vendor
// packages read them; programs set them through options.
type CallSettings struct {
	// Class is the retry class. Default ClassUnsafe.
	Class Class
	// KeyName is the vendor's name for the idempotency key ("bizId", "uuid"),
	// reported when the outcome is unknown.
	KeyName string
	// Key is the idempotency key's value. For ClassKeyed it is required by
	// vendors that cannot generate one; vendors that carry a key of their own
	// in the envelope (e-Buy's uuid) send it there.
	Key string
	// Vendor holds vendor-specific settings set by a vendor package's own
	// options (such as suning.Node), keyed by names that package documents.
	Vendor map[string]string
}

// Read declares a generic call a read: it is retried on network failures,
// 5xx, throttling and unreadable answers.
func Read() CallOption { return func(s *CallSettings) { s.Class = ClassRead } }

// Keyed declares a generic call a write the vendor de-duplicates on the
// field keyName with value key (such as Keyed("bizId", id)): it is retried
// with the same key, and an unknown outcome reports keyName and key.
func Keyed(keyName, key string) CallOption {
	return func(s *CallSettings) { s.Class, s.KeyName, s.Key = ClassKeyed, keyName, key }
}

// VendorSetting returns an option that sets a vendor-specific setting. Vendor
// packages wrap it in named options; programs use those.
func VendorSetting(name, value string) CallOption {
	return func(s *CallSettings) {
		if s.Vendor == nil {
			s.Vendor = make(map[string]string, 1)
		}
		s.Vendor[name] = value
	}
}

// ResolveCallOptions applies opts in order over the defaults (ClassUnsafe).
func ResolveCallOptions(opts ...CallOption) CallSettings {
	var s CallSettings
	for _, o := range opts {
		if o != nil {
			o(&s)
		}
	}
	return s
}
