package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"
	"text/tabwriter"
	"time"
)

// writeTable prints a call's result readably: its scalar fields as FIELD
// VALUE lines, then each list of records as a table of its own. Fields left
// out of JSON (Meta) are left out here too.
func writeTable(w io.Writer, v any) error {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			return nil
		}
		rv = rv.Elem()
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	if rv.Kind() == reflect.Slice && isRecord(rv.Type().Elem()) {
		writeRecords(tw, "", rv)
		return tw.Flush()
	}
	if rv.Kind() != reflect.Struct {
		fmt.Fprintln(tw, cell(rv))
		return tw.Flush()
	}
	var lists []reflect.StructField
	var listVals []reflect.Value
	for _, col := range flatten(rv.Type(), "") {
		fv := rv.FieldByIndex(col.index)
		if col.list {
			lists = append(lists, reflect.StructField{Name: col.name})
			listVals = append(listVals, fv)
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\n", col.name, cell(fv))
	}
	for i, l := range lists {
		writeRecords(tw, l.Name, listVals[i])
	}
	return tw.Flush()
}

func writeRecords(tw *tabwriter.Writer, name string, sl reflect.Value) {
	et := sl.Type().Elem()
	for et.Kind() == reflect.Pointer {
		et = et.Elem()
	}
	cols := flatten(et, "")
	if name != "" {
		fmt.Fprintf(tw, "\n%s (%d)\n", name, sl.Len())
	}
	hdr := make([]string, 0, len(cols))
	for _, c := range cols {
		hdr = append(hdr, strings.ToUpper(c.name))
	}
	fmt.Fprintln(tw, strings.Join(hdr, "\t"))
	for i := range sl.Len() {
		e := sl.Index(i)
		for e.Kind() == reflect.Pointer {
			if e.IsNil() {
				break
			}
			e = e.Elem()
		}
		row := make([]string, 0, len(cols))
		for _, c := range cols {
			if e.Kind() != reflect.Struct {
				row = append(row, "")
				continue
			}
			row = append(row, cell(e.FieldByIndex(c.index)))
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
}

type column struct {
	name  string
	index []int
	list  bool
}

// isRecord reports whether t (a list's element) is printed as a table row.
func isRecord(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Kind() == reflect.Struct && t != timeType
}

// flatten lists t's exported JSON-visible fields, nested structs as
// Parent.Field, lists of records marked.
func flatten(t reflect.Type, prefix string) []column {
	var out []column
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || f.Tag.Get("json") == "-" {
			continue
		}
		ft := f.Type
		switch {
		case ft.Kind() == reflect.Struct && ft != timeType && !hasStringer(ft):
			for _, c := range flatten(ft, prefix+f.Name+".") {
				c.index = append([]int{i}, c.index...)
				out = append(out, c)
			}
		case ft.Kind() == reflect.Slice && isRecord(ft.Elem()):
			out = append(out, column{name: prefix + f.Name, index: []int{i}, list: true})
		default:
			out = append(out, column{name: prefix + f.Name, index: []int{i}})
		}
	}
	return out
}

var (
	stringerType = reflect.TypeFor[fmt.Stringer]()
	errorType    = reflect.TypeFor[error]()
	rawType      = reflect.TypeFor[json.RawMessage]()
)

func hasStringer(t reflect.Type) bool {
	return t.Implements(stringerType) || reflect.PointerTo(t).Implements(stringerType)
}

// cell formats one value: times in Beijing time (empty when zero), amounts
// in yuan, lists comma-separated, raw JSON compacted.
func cell(v reflect.Value) string {
	if !v.IsValid() {
		return ""
	}
	if v.Type() == rawType {
		var b bytes.Buffer
		if err := json.Compact(&b, v.Bytes()); err != nil {
			return string(v.Bytes())
		}
		return b.String()
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return ""
		}
		if v.Type().Implements(errorType) {
			return v.Interface().(error).Error()
		}
		return cell(v.Elem())
	}
	if v.Type() == timeType {
		t := v.Interface().(time.Time)
		if t.IsZero() {
			return ""
		}
		return t.In(beijing).Format("2006-01-02 15:04:05")
	}
	if v.Type().Implements(stringerType) {
		return v.Interface().(fmt.Stringer).String()
	}
	switch v.Kind() {
	case reflect.Slice:
		parts := make([]string, v.Len())
		for i := range v.Len() {
			parts[i] = cell(v.Index(i))
		}
		return strings.Join(parts, ",")
	case reflect.Map, reflect.Struct:
		b, _ := json.Marshal(v.Interface())
		return string(b)
	}
	return fmt.Sprint(v.Interface())
}
