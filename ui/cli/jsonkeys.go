package cli

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"unicode"
)

// checkJSONKeys refuses what encoding/json would quietly accept: a key
// twice in one object (the last would win), also when written with other
// capitals ("child" and "CHILD"), and a key of t's that differs from its
// name only in case ("CHILD" for "child"), which json matches anyway.
// Syntax errors are left to json.Unmarshal. name is the input's name for
// the message.
func checkJSONKeys(name string, b []byte, t reflect.Type) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var bad error
	line := func() int { return 1 + bytes.Count(b[:min(int(dec.InputOffset()), len(b))], []byte("\n")) }
	var walk func(t reflect.Type) bool
	walk = func(t reflect.Type) bool {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		for t != nil && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch tok {
		case json.Delim('{'):
			fields := jsonFields(t)
			seen := map[string]string{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return false
				}
				key, _ := kt.(string)
				f := foldKey(key)
				if prev, ok := seen[f]; ok {
					if prev == key {
						bad = Usagef("--in: %s rad %d: nyckeln %q står två gånger i samma objekt", name, line(), key)
					} else {
						bad = Usagef("--in: %s rad %d: nyckeln %q står två gånger i samma objekt (som %q och %q)", name, line(), key, prev, key)
					}
					return false
				}
				seen[f] = key
				var ft reflect.Type
				if t != nil && t.Kind() == reflect.Map {
					ft = t.Elem()
				} else if typ, ok := fields[key]; ok {
					ft = typ
				} else {
					for n := range fields {
						if foldKey(n) == f {
							bad = Usagef("--in: %s rad %d: nyckeln %q ska skrivas %q", name, line(), key, n)
							return false
						}
					}
				}
				if !walk(ft) {
					return false
				}
			}
			_, err := dec.Token()
			return err == nil
		case json.Delim('['):
			var et reflect.Type
			if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
				et = t.Elem()
			}
			for dec.More() {
				if !walk(et) {
					return false
				}
			}
			_, err := dec.Token()
			return err == nil
		}
		return true
	}
	walk(t)
	return bad
}

// jsonFields maps the JSON names of struct type t's fields to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	if t == nil || t.Kind() != reflect.Struct {
		return out
	}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

// foldKey is key case-folded as encoding/json matches names (Unicode
// simple folding: "K" and the Kelvin sign are one).
func foldKey(key string) string {
	var b strings.Builder
	for _, r := range key {
		min := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f < min {
				min = f
			}
		}
		b.WriteRune(min)
	}
	return b.String()
}
