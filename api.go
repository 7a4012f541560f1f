package couponkit

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"unicode"
)

// API describes one typed call of a vendor package, for programs and tools
// that list or run calls by name. Each vendor package lists its calls once,
// in its APIs function; the couponkit command runs its single calls from
// those lists, and the call lists of the READMEs and of each package's doc
// are generated from them.
type API struct {
	// Vendor is the vendor package's name, such as "zvcms".
	Vendor string
	// Name is the call's name in the couponkit command: the method's name in
	// kebab case, such as "get-customer-coupons" for GetCustomerCoupons.
	Name string
	// Method is the name of the vendor Client's method, such as
	// "GetCustomerCoupons".
	Method string
	// Operation is the vendor's name of the API, as errors and observers
	// report it (Error.Operation, CallInfo.Operation), such as
	// "getCustomerCoupons" or "taobao.film.lottery.sendcode".
	Operation string
	// Class is the call's retry class with a default Config (a Config may
	// change it, as the method's doc says).
	Class Class
	// KeyName is the vendor's name of the idempotency key of a write, such
	// as "bizId"; empty for a read.
	KeyName string
	// Summary says in one line what the call does.
	Summary string
	// Path is the path the call is sent to by default, appended to the
	// vendor's gateway (empty where the vendor routes by a method name or
	// an action instead). A vendor whose paths a Config can move by API name
	// (zvcms's Config.Paths) lists its defaults here.
	Path string
	// Notes says what about the call is an assumption about the vendor,
	// marked [likely] or [open] as in the package docs (its path, params,
	// answer fields), or is empty. go generate writes it under the call in
	// the package doc, so that an assumption is written once, beside the
	// call's declaration.
	Notes string
	// Request and Answer are the method's request and result types: the
	// struct types its pointers point to.
	Request, Answer reflect.Type
	// Run calls the method on client, the vendor's *Client, with req, a
	// pointer to a Request, and returns its result, a pointer to an Answer.
	// A client or a request of another type is an error; nothing is sent.
	Run func(ctx context.Context, client, req any) (any, error)
}

// NewAPI returns the API of method, a method expression of a vendor's
// Client such as (*zvcms.Client).GetCustomerCoupons: Method (unless desc
// names it), Name, Request, Answer and Run come from method, the rest from
// desc. Give desc.Method when method is not a method expression (an
// adapter written as a function literal); Name is always Method in kebab
// case.
func NewAPI[C, Q, A any](method func(C, context.Context, *Q) (*A, error), desc API) API {
	api := desc
	if api.Method == "" {
		api.Method = methodName(method)
	}
	api.Name = KebabCase(api.Method)
	api.Request, api.Answer = reflect.TypeFor[Q](), reflect.TypeFor[A]()
	api.Run = func(ctx context.Context, client, req any) (any, error) {
		c, ok := client.(C)
		if !ok {
			return nil, fmt.Errorf("couponkit: %s %s: the client is a %T, not a %s", api.Vendor, api.Name, client, reflect.TypeFor[C]())
		}
		q, ok := req.(*Q)
		if !ok || q == nil {
			return nil, fmt.Errorf("couponkit: %s %s: the request is a %T, not a non-nil *%s", api.Vendor, api.Name, req, api.Request)
		}
		a, err := method(c, ctx, q)
		if err != nil {
			return nil, err
		}
		return a, nil
	}
	return api
}

// methodName returns the name of the method a method expression calls, or
// "" when f is not one (a function literal, say).
func methodName(f any) string {
	fn := runtime.FuncForPC(reflect.ValueOf(f).Pointer())
	if fn == nil {
		return ""
	}
	full := strings.TrimSuffix(fn.Name(), "-fm")
	// A method expression is named "path/pkg.(*T).M" or "path/pkg.T.M".
	i := strings.LastIndexByte(full, '.')
	recv := full[:max(i, 0)]
	if i < 0 || !strings.HasSuffix(recv, ")") && strings.Count(recv[strings.LastIndexByte(recv, '/')+1:], ".") != 1 {
		return ""
	}
	name := full[i+1:]
	if name == "" || !unicode.IsUpper(rune(name[0])) {
		return ""
	}
	return name
}

// ClassPhrase says how the call is retried with a default Config, as the
// generated call lists and the command's help print it: "a read", "a keyed
// write on bizId", "an unsafe write, key outerOrderId" or "an unsafe
// write".
func (a *API) ClassPhrase() string {
	switch {
	case a.Class == ClassRead:
		return "a read"
	case a.Class == ClassKeyed:
		return "a keyed write on " + a.KeyName
	case a.KeyName != "":
		return "an unsafe write, key " + a.KeyName
	default:
		return "an unsafe write"
	}
}

// KebabCase turns a Go name into the couponkit command's spelling, the
// spelling of an API's Name and of a request field's flag:
// GetCustomerCoupons → get-customer-coupons, CardIDs → card-ids (a plural
// "s" after initials is no word), UUID → uuid.
func KebabCase(name string) string {
	rs := []rune(name)
	var b strings.Builder
	for i, r := range rs {
		if i > 0 && unicode.IsUpper(r) {
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			// "IDs": the s is a plural, not a new word.
			plural := i+1 < len(rs) && rs[i+1] == 's' && (i+2 == len(rs) || unicode.IsUpper(rs[i+2]))
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower && !plural) {
				b.WriteByte('-')
			}
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// CheckAPIs reports what is wrong with a vendor package's list of APIs, as
// errors.Join of one error per problem, or nil: every field filled (KeyName
// for a Keyed call), Request and Answer structs, Name the kebab case of
// Method, and no Name twice for one vendor. Vendor packages test their list
// with it, and so does the generator of the call lists.
func CheckAPIs(apis ...API) error {
	var errs []error
	seen := map[string]bool{}
	for i, a := range apis {
		id := fmt.Sprintf("API %d (%s %s)", i, a.Vendor, a.Method)
		bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(id+": "+format, args...)) }
		for _, f := range []struct{ name, v string }{{"Vendor", a.Vendor}, {"Method", a.Method}, {"Operation", a.Operation}, {"Summary", a.Summary}} {
			if strings.TrimSpace(f.v) == "" {
				bad("no %s", f.name)
			}
		}
		if a.Name != KebabCase(a.Method) {
			bad("Name %q is not the method's name in kebab case (%q)", a.Name, KebabCase(a.Method))
		}
		if seen[a.Vendor+" "+a.Name] {
			bad("Name %q is listed twice", a.Name)
		}
		seen[a.Vendor+" "+a.Name] = true
		if a.Class != ClassRead && a.Class != ClassKeyed && a.Class != ClassUnsafe {
			bad("Class %v is not a class", a.Class)
		}
		if a.Class == ClassKeyed && a.KeyName == "" {
			bad("a keyed call without KeyName")
		}
		if a.Class == ClassRead && a.KeyName != "" {
			bad("a read with KeyName %q", a.KeyName)
		}
		if a.Request == nil || a.Request.Kind() != reflect.Struct || a.Answer == nil || a.Answer.Kind() != reflect.Struct {
			bad("Request and Answer must be struct types")
		}
		if a.Run == nil {
			bad("no Run")
		}
		if strings.ContainsAny(a.Summary, "\n|") {
			bad("Summary must be one line without '|'")
		}
		if strings.Contains(a.Notes, "\n") {
			bad("Notes must be one line")
		}
	}
	return errors.Join(errs...)
}
