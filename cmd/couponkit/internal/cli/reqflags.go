package cli

import (
	"encoding"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
)

// Request flags: every scalar field of a call's request struct is a flag
// named after the field in kebab case (CustomerID: --customer-id, Ext.OrderNo:
// --ext-order-no). Lists are comma-separated, times are
// "2006-01-02 15:04:05" in Beijing time (or RFC 3339), amounts are yuan
// ("12.50"). Fields that are lists of structs, maps or pointers to structs
// come only from --input.

var (
	timeType = reflect.TypeFor[time.Time]()
	fenType  = reflect.TypeFor[couponkit.Fen]()
	beijing  = time.FixedZone("CST", 8*3600)
)

// reqField is one flag of a request: the path of field indexes to set.
type reqField struct {
	name  string
	index []int
	typ   reflect.Type
	usage string
}

// flaggable reports whether t can be set from one flag value.
func flaggable(t reflect.Type) bool {
	if t == timeType || t == fenType {
		return true
	}
	if reflect.PointerTo(t).Implements(reflect.TypeFor[encoding.TextUnmarshaler]()) && t.Kind() != reflect.Struct {
		return true
	}
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float64:
		return true
	case reflect.Slice:
		return t.Elem().Kind() == reflect.String
	case reflect.Pointer:
		return t.Elem().Kind() != reflect.Struct && flaggable(t.Elem())
	}
	return false
}

// reqFields lists the flaggable fields of struct type t, nested structs
// flattened with their field name as prefix; the rest are named in inputOnly.
func reqFields(t reflect.Type, prefix string, index []int) (out []reqField, inputOnly []string) {
	return reqFieldsIn(t, prefix, "", index)
}

func reqFieldsIn(t reflect.Type, prefix, goPrefix string, index []int) (out []reqField, inputOnly []string) {
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || f.Tag.Get("json") == "-" || f.Type == reflect.TypeFor[func(time.Time) string]() {
			continue
		}
		idx := append(append([]int(nil), index...), i)
		name := prefix + couponkit.KebabCase(f.Name)
		switch {
		case flaggable(f.Type):
			out = append(out, reqField{name: name, index: idx, typ: f.Type, usage: usageFor(goPrefix+f.Name, f.Type)})
		case f.Type.Kind() == reflect.Struct && f.Type != timeType:
			o, io := reqFieldsIn(f.Type, name+"-", goPrefix+f.Name+".", idx)
			out = append(out, o...)
			inputOnly = append(inputOnly, io...)
		default:
			inputOnly = append(inputOnly, goPrefix+f.Name)
		}
	}
	return out, inputOnly
}

// usageFor is a flag's help: the request field it sets and what it takes.
func usageFor(field string, t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	named := ""
	if t.PkgPath() != "" && t != timeType && t != fenType {
		named = " (" + t.String() + ")"
	}
	switch {
	case t == timeType:
		return "`time` for " + field + ": 2006-01-02 15:04:05 Beijing time, or RFC 3339"
	case t == fenType:
		return "`yuan` for " + field + ": an amount such as 12.50"
	case t.Kind() == reflect.Slice:
		return "`list` for " + field + ": comma-separated" + named
	case t.Kind() == reflect.Bool:
		return "sets " + field + named
	case t.Kind() == reflect.String:
		return "`string` for " + field + named
	case t.Kind() == reflect.Float64:
		return "`number` for " + field + named
	}
	return "`int` for " + field + named
}

// rawValue records a flag's text; it is applied after --input is read.
type rawValue struct {
	s     string
	isSet bool
	bool_ bool
}

func (v *rawValue) String() string     { return v.s }
func (v *rawValue) Set(s string) error { v.s, v.isSet = s, true; return nil }
func (v *rawValue) IsBoolFlag() bool   { return v.bool_ }

// requestFlags defines the flags of request type t on fs and returns a
// function that builds the request: --input's JSON first, then the flags set.
func requestFlags(fs *flag.FlagSet, t reflect.Type) (build func(inputPath string) (any, error), inputOnly []string) {
	fields, inputOnly := reqFields(t, "", nil)
	vals := make([]*rawValue, len(fields))
	for i, f := range fields {
		vals[i] = &rawValue{bool_: f.typ.Kind() == reflect.Bool}
		fs.Var(vals[i], f.name, f.usage)
	}
	return func(inputPath string) (any, error) {
		req := reflect.New(t)
		if inputPath != "" {
			b, err := os.ReadFile(inputPath)
			if err != nil {
				return nil, err
			}
			d := json.NewDecoder(strings.NewReader(string(b)))
			d.DisallowUnknownFields()
			if err := d.Decode(req.Interface()); err != nil {
				return nil, usageErr("--input %s: %v", inputPath, err)
			}
		}
		for i, f := range fields {
			if !vals[i].isSet {
				continue
			}
			if err := setField(req.Elem().FieldByIndex(f.index), vals[i].s); err != nil {
				return nil, usageErr("--%s: %v", f.name, err)
			}
		}
		return req.Interface(), nil
	}, inputOnly
}

func setField(v reflect.Value, s string) error {
	t := v.Type()
	switch {
	case t == timeType:
		tm, err := time.ParseInLocation("2006-01-02 15:04:05", s, beijing)
		if err != nil {
			if tm, err = time.Parse(time.RFC3339, s); err != nil {
				return fmt.Errorf("%q is not a time (2006-01-02 15:04:05 or RFC 3339)", s)
			}
		}
		v.Set(reflect.ValueOf(tm))
		return nil
	case t == fenType:
		f, err := couponkit.ParseYuan(s)
		if err != nil {
			return err
		}
		v.SetInt(int64(f))
		return nil
	case t.Kind() == reflect.Pointer:
		p := reflect.New(t.Elem())
		if err := setField(p.Elem(), s); err != nil {
			return err
		}
		v.Set(p)
		return nil
	case t.Kind() != reflect.String && reflect.PointerTo(t).Implements(reflect.TypeFor[encoding.TextUnmarshaler]()):
		return v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s))
	}
	switch t.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return err
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(s, 10, t.Bits())
		if err != nil {
			return err
		}
		v.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := strconv.ParseUint(s, 10, t.Bits())
		if err != nil {
			return err
		}
		v.SetUint(n)
	case reflect.Float64:
		n, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return err
		}
		v.SetFloat(n)
	case reflect.Slice:
		var parts []string
		for p := range strings.SplitSeq(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
		sl := reflect.MakeSlice(t, len(parts), len(parts))
		for i, p := range parts {
			sl.Index(i).SetString(p)
		}
		v.Set(sl)
	default:
		return fmt.Errorf("cannot set a %s from a flag", t)
	}
	return nil
}
