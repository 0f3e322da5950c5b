package api_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestOpenAPIWellFormed: no object in the document has a key twice (a JSON
// parser keeps only the last, silently dropping the first), and every
// $ref names something the document defines.
func TestOpenAPIWellFormed(t *testing.T) {
	raw, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	var refs []string
	var walk func(path string) // reads one value
	walk = func(path string) {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		switch tok {
		case json.Delim('{'):
			seen := map[string]bool{}
			for dec.More() {
				k, _ := dec.Token()
				key := k.(string)
				if seen[key] {
					t.Errorf("%s has the key %q twice", path, key)
				}
				seen[key] = true
				if key == "$ref" {
					v, _ := dec.Token()
					refs = append(refs, v.(string))
					continue
				}
				walk(path + "/" + key)
			}
			dec.Token()
		case json.Delim('['):
			for dec.More() {
				walk(path + "[]")
			}
			dec.Token()
		}
	}
	walk("#")
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for _, ref := range refs {
		var node any = doc
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			m, _ := node.(map[string]any)
			node = m[part]
		}
		if node == nil {
			t.Errorf("$ref %q names nothing in the document", ref)
		}
	}
}
