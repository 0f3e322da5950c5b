package store

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"time"

	"github.com/rapportdesk/rapport"
)

// cursor is the sort key of the last row of a page: the next page starts
// strictly after it (keyset paging), so no page costs more than its rows
// and rows arriving between pages cause no gaps or repeats.
//
// On the wire it is base64url(JSON + 4 check bytes). The check bytes are a
// hash, not a signature: they catch a cursor that was cut or edited, which
// then answers a plain 400. Nothing in a cursor is secret, and an edited but
// well-formed key could only move the start of a page, never widen what the
// caller may see: access is enforced by the query itself.
type cursor struct {
	Kind string     `json:"k"`           // which list and order it belongs to
	ID   int64      `json:"i"`           // the row id, always the last tiebreak
	Time *time.Time `json:"t,omitempty"` // updated_at or created_at for those orders
	Tier int        `json:"r,omitempty"` // relevance tier (see search.go)
	// End marks where a search stopped without a row to name (its time was
	// up): every id from ID on (newest first), or up to ID (oldest first),
	// has been looked at, and so has ID's whole block (see search.go).
	End bool `json:"e,omitempty"`
}

const cursorCheck = 4

func (c cursor) encode() string {
	b, _ := json.Marshal(c)
	sum := sha256.Sum256(b)
	return base64.RawURLEncoding.EncodeToString(append(b, sum[:cursorCheck]...))
}

// decodeCursor reads s, which must have been made for the list kind.
func decodeCursor(s, kind string) (*cursor, error) {
	bad := rapport.Invalid("cursor", "This page link is damaged or belongs to another list or order. Please start again from the first page.")
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(raw) <= cursorCheck {
		return nil, bad
	}
	body, check := raw[:len(raw)-cursorCheck], raw[len(raw)-cursorCheck:]
	if sum := sha256.Sum256(body); string(sum[:cursorCheck]) != string(check) {
		return nil, bad
	}
	var c cursor
	if err := json.Unmarshal(body, &c); err != nil || c.Kind != kind || c.ID <= 0 || c.Tier < 0 || c.Tier >= searchTiers {
		return nil, bad
	}
	return &c, nil
}
