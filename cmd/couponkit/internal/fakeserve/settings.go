package fakeserve

import (
	"encoding"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/couponkit/couponkit/ebuy/ebuytest"
	"github.com/couponkit/couponkit/houcaller/houcallertest"
	"github.com/couponkit/couponkit/suning/suningtest"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

// Settings are the fake's KEY=value settings (couponkit fake <vendor>
// KEY=value …): each names a field of the vendor's fake Config
// (ebuytest.Config.MakeCodesDeduplicates as MakeCodesDeduplicates=true,
// zvcmstest.Config.NativeTypes as NativeTypes=true, MaxPageSize=50 …), case
// insensitive. Booleans, integers, strings, durations ("90s") and the
// Config's named types that read text (houcaller.CipherMode: CipherMode=CBC)
// can be set; a value that does not fit its field, or a name the Config does
// not have, is an error naming the settable fields.
type Settings map[string]string

// ParseSettings reads KEY=value arguments. An argument without '=' or with
// an empty key is an error, and so is a key given twice.
func ParseSettings(args []string) (Settings, error) {
	out := Settings{}
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("setting %q: not KEY=value", a)
		}
		for have := range out {
			if strings.EqualFold(have, k) {
				return nil, fmt.Errorf("setting %s given twice", k)
			}
		}
		out[k] = v
	}
	return out, nil
}

// unsettable are Config fields that are the server's own business (how it is
// reached, its clock) or not a single value.
var unsettable = []string{"InMemory", "Clock"}

// settable reports whether the field can be set from text.
func settable(f reflect.StructField) bool {
	if !f.IsExported() || slices.Contains(unsettable, f.Name) {
		return false
	}
	if reflect.PointerTo(f.Type).Implements(textUnmarshaler) {
		return true
	}
	switch f.Type.Kind() {
	case reflect.Bool, reflect.String, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}

var (
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	durationType    = reflect.TypeFor[time.Duration]()
)

// SettingNames lists the settable fields of cfg (a pointer to a fake's
// Config) with their types, as "Name (type)".
func SettingNames(cfg any) []string {
	t := reflect.TypeOf(cfg).Elem()
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		if !settable(f) {
			continue
		}
		typ := f.Type.Kind().String()
		switch {
		case f.Type == durationType:
			typ = "duration"
		case f.Type.Name() != "" && f.Type.PkgPath() != "":
			typ = f.Type.String()
		}
		out = append(out, f.Name+" ("+typ+")")
	}
	return out
}

// apply sets the fields of cfg (a pointer to a fake's Config) that s names.
func (s Settings) apply(vendor string, cfg any) error {
	v := reflect.ValueOf(cfg).Elem()
	t := v.Type()
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		i := slices.IndexFunc(reflect.VisibleFields(t), func(f reflect.StructField) bool {
			return len(f.Index) == 1 && settable(f) && strings.EqualFold(f.Name, k)
		})
		if i < 0 {
			return fmt.Errorf("setting %s: the %s fake has no such setting (settings: %s)", k, vendor, strings.Join(SettingNames(cfg), ", "))
		}
		f := reflect.VisibleFields(t)[i]
		if err := setField(v.FieldByIndex(f.Index), s[k]); err != nil {
			return fmt.Errorf("setting %s=%s: %v", f.Name, s[k], err)
		}
	}
	return nil
}

func setField(fv reflect.Value, text string) error {
	if tu, ok := fv.Addr().Interface().(encoding.TextUnmarshaler); ok {
		return tu.UnmarshalText([]byte(text))
	}
	switch {
	case fv.Type() == durationType:
		d, err := time.ParseDuration(text)
		if err != nil {
			return err
		}
		fv.SetInt(int64(d))
		return nil
	case fv.Kind() == reflect.Bool:
		b, err := strconv.ParseBool(text)
		if err != nil {
			return fmt.Errorf("not a boolean (true or false)")
		}
		fv.SetBool(b)
	case fv.Kind() == reflect.String:
		fv.SetString(text)
	case fv.CanInt():
		n, err := strconv.ParseInt(text, 10, fv.Type().Bits())
		if err == nil {
			fv.SetInt(n)
			return nil
		}
		// A named enum reads its own names (CipherMode=CBC).
		if _, ok := fv.Interface().(fmt.Stringer); ok {
			orig := fv.Int()
			for i := range int64(64) {
				fv.SetInt(i)
				if strings.EqualFold(fv.Interface().(fmt.Stringer).String(), text) {
					return nil
				}
			}
			fv.SetInt(orig)
			return fmt.Errorf("not an integer or a name of %s", fv.Type())
		}
		return fmt.Errorf("not an integer")
	case fv.CanUint():
		n, err := strconv.ParseUint(text, 10, fv.Type().Bits())
		if err != nil {
			return fmt.Errorf("not a non-negative integer")
		}
		fv.SetUint(n)
	}
	return nil
}

// SettingNamesOf lists the settable fields of vendor's fake Config (see
// SettingNames), or nil for a vendor without a fake.
func SettingNamesOf(vendor string) []string {
	switch vendor {
	case "ebuy":
		return SettingNames(&ebuytest.Config{})
	case "zvcms":
		return SettingNames(&zvcmstest.Config{})
	case "taobaofilm":
		return SettingNames(&taobaofilmtest.Config{})
	case "houcaller":
		return SettingNames(&houcallertest.Config{})
	case "suning":
		return SettingNames(&suningtest.Config{})
	}
	return nil
}
