package web

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rapportdesk/rapport"
)

// ReadBody reads a request body of at most MaxBodyBytes.
func ReadBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, rapport.Errorf(rapport.ETOOLARGE, "The request is larger than %d KB. Please shorten it or attach large files separately.", MaxBodyBytes>>10)
	} else if err != nil {
		return nil, rapport.Errorf(rapport.EINVALID, "The request body could not be read: %v.", err)
	}
	return body, nil
}

// newDecoder reads the body for Decode and returns a decoder on it that
// refuses unknown keys. The body must be UTF-8 text: encoding/json would
// quietly turn bad bytes, and \u escapes of half a character, into U+FFFD,
// changing what the person sent.
func newDecoder(w http.ResponseWriter, r *http.Request) (*json.Decoder, []byte, error) {
	body, err := ReadBody(w, r)
	if err != nil {
		return nil, nil, err
	}
	if !utf8.Valid(body) || hasLoneSurrogate(body) {
		return nil, nil, rapport.Errorf(rapport.EINVALID, "The request body is not valid UTF-8 text. Please send JSON encoded as UTF-8.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	return dec, body, nil
}

// hasLoneSurrogate reports whether body holds a \u escape of a UTF-16
// surrogate that is not part of a pair. Backslashes only occur inside JSON
// strings, so no tracking of string state is needed; an invalid document
// fails to parse anyway.
func hasLoneSurrogate(body []byte) bool {
	for i := 0; i < len(body); i++ {
		if body[i] != '\\' {
			continue
		}
		if i+1 >= len(body) || body[i+1] != 'u' {
			i++ // an escape such as \\ or \": skip the escaped byte
			continue
		}
		r := hex4(body, i+2)
		switch {
		case r >= 0xD800 && r <= 0xDBFF:
			if i+7 < len(body) && body[i+6] == '\\' && body[i+7] == 'u' {
				if lo := hex4(body, i+8); lo >= 0xDC00 && lo <= 0xDFFF {
					i += 11
					continue
				}
			}
			return true
		case r >= 0xDC00 && r <= 0xDFFF:
			return true
		}
		i += 5
	}
	return false
}

// hex4 reads four hex digits at b[i:], or returns -1.
func hex4(b []byte, i int) int {
	if i+4 > len(b) {
		return -1
	}
	n, err := strconv.ParseUint(string(b[i:i+4]), 16, 32)
	if err != nil {
		return -1
	}
	return int(n)
}

// unknownFieldError turns encoding/json's "unknown field" error into a
// field error for every unknown key in body, each named by its path
// ("impact.outtage") and with the closest known key when one is close. It
// returns nil for other errors.
func unknownFieldError(err error, body []byte, v any) error {
	name, ok := strings.CutPrefix(err.Error(), "json: unknown field ")
	if !ok {
		return nil
	}
	var doc any
	var p rapport.Problems
	if json.Unmarshal(body, &doc) == nil {
		walkUnknown(&p, "", doc, reflect.TypeOf(v))
	}
	if len(p) == 0 { // not expected: the walk and encoding/json disagree
		key, _ := strconv.Unquote(name)
		p.Add(key, "Unknown field %s.", name)
	}
	return p.Err()
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// walkUnknown adds a problem for each key of doc that type t has no field
// for, matching keys as encoding/json does (exactly, else ignoring case).
func walkUnknown(p *rapport.Problems, path string, doc any, t reflect.Type) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Implements(jsonUnmarshaler) || reflect.PointerTo(t).Implements(jsonUnmarshaler) ||
		t.Implements(textUnmarshaler) || reflect.PointerTo(t).Implements(textUnmarshaler) {
		return // decodes itself (json.RawMessage, time.Time)
	}
	switch doc := doc.(type) {
	case map[string]any:
		switch t.Kind() {
		case reflect.Map:
			for k, v := range doc {
				walkUnknown(p, join(path, k), v, t.Elem())
			}
		case reflect.Struct:
			fields := jsonFields(t)
			keys := make([]string, 0, len(doc))
			for k := range doc {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				ft, ok := fields[k]
				if !ok {
					ft, ok = foldField(fields, k)
				}
				if ok {
					walkUnknown(p, join(path, k), doc[k], ft)
					continue
				}
				msg := fmt.Sprintf("Unknown field %q", k)
				if s := closest(k, fields); s != "" {
					msg += fmt.Sprintf("; did you mean %q?", s)
				} else {
					msg += "."
				}
				p.Add(join(path, k), "%s", msg)
			}
		}
	case []any:
		if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			for i, v := range doc {
				walkUnknown(p, path+"["+strconv.Itoa(i)+"]", v, t.Elem())
			}
		}
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// jsonFields returns the JSON keys of struct type t and their types,
// following encoding/json's rules for tags and embedded structs.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		ft := f.Type
		if f.Anonymous && name == "" {
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range jsonFields(ft) {
					if _, ok := out[k]; !ok {
						out[k] = v
					}
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = ft
	}
	return out
}

func foldField(fields map[string]reflect.Type, key string) (reflect.Type, bool) {
	for k, t := range fields {
		if strings.EqualFold(k, key) {
			return t, true
		}
	}
	return nil, false
}

// closest returns the known key nearest to key by edit distance, if it is
// near enough to be a typo (at most 2 edits, fewer than half the key).
func closest(key string, fields map[string]reflect.Type) string {
	best, bestD := "", 3
	for k := range fields {
		d := editDistance(key, k)
		if d < bestD || d == bestD && k < best {
			best, bestD = k, d
		}
	}
	if bestD*2 >= utf8.RuneCountInString(key) {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in characters.
// Written out because it is ten lines and runs only on a refused request.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
