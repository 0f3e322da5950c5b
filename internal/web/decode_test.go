package web_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/web"
)

type impactIn struct {
	Outage     bool `json:"outage"`
	CostsMoney bool `json:"costs_money"`
	BlocksWork bool `json:"blocks_work"`
}

type base struct {
	Channel string `json:"channel"`
}

// ticketIn has the shapes the API's request structs use: nested objects,
// an embedded struct, a raw value, a time and a list.
type ticketIn struct {
	base
	Subject  string          `json:"subject"`
	Body     string          `json:"body"`
	Impact   impactIn        `json:"impact"`
	Assignee json.RawMessage `json:"assignee"`
	Until    *time.Time      `json:"until"`
	Tags     []impactIn      `json:"tags"`
	Ignored  string          `json:"-"`
}

func decode(body string) (*ticketIn, error) {
	var in ticketIn
	r := httptest.NewRequest("POST", "/api/v1/tickets", strings.NewReader(body))
	err := web.Decode(httptest.NewRecorder(), r, &in)
	return &in, err
}

func TestDecodeRefusesUnknownKeys(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		field, msg string // the one field error expected; "" for none
	}{
		{"known", `{"subject":"a","impact":{"outage":true},"channel":"api","assignee":{"x":1},"until":"2030-01-02T03:04:05Z","tags":[{"outage":true}]}`, "", ""},
		{"typo", `{"subject":"a","impcat":{"outage":true}}`, "impcat", `Unknown field "impcat"; did you mean "impact"?`},
		{"nested typo", `{"subject":"a","impact":{"outtage":true}}`, "impact.outtage", `Unknown field "outtage"; did you mean "outage"?`},
		{"in a list", `{"tags":[{"outage":true},{"blocks":true}]}`, "tags[1].blocks", `Unknown field "blocks".`},
		{"nothing close", `{"colour":"red"}`, "colour", `Unknown field "colour".`},
		{"dash tag is not a key", `{"Ignored":"x"}`, "Ignored", `Unknown field "Ignored".`},
		{"case differs", `{"Subject":"a"}`, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decode(tc.body)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Decode: %v, want nil", err)
				}
				return
			}
			f := rapport.ErrorFields(err)
			if rapport.ErrorCode(err) != rapport.EINVALID || len(f) != 1 || f[0].Field != tc.field || f[0].Message != tc.msg {
				t.Fatalf("Decode: %v, want field %s: %s", err, tc.field, tc.msg)
			}
		})
	}
	// Every unknown key is named, not just the first.
	_, err := decode(`{"subjet":"a","impact":{"outage":true,"cost_money":true},"bdy":"x"}`)
	var got []string
	for _, f := range rapport.ErrorFields(err) {
		got = append(got, f.Field)
	}
	if strings.Join(got, ",") != "bdy,impact.cost_money,subjet" {
		t.Fatalf("fields=%v, want bdy, impact.cost_money, subjet", got)
	}
}

func TestDecodeRefusesInvalidUTF8(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		ok         bool
	}{
		{"latin-1 byte", "{\"subject\":\"caf\xe9\"}", false},
		{"cut multi-byte", "{\"subject\":\"\xd0\"}", false},
		{"lone high surrogate", `{"subject":"\ud83d"}`, false},
		{"lone low surrogate", `{"subject":"\ude00 x"}`, false},
		{"reversed pair", `{"subject":"\ude00\ud83d"}`, false},
		{"pair", `{"subject":"\ud83d\ude00"}`, true},
		{"escaped backslash then u", `{"subject":"\\ud83d"}`, true},
		{"utf-8", `{"subject":"Ж漢😀"}`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, err := decode(tc.body)
			if tc.ok != (err == nil) {
				t.Fatalf("Decode(%q): %v, want ok=%v", tc.body, err, tc.ok)
			}
			if !tc.ok && (rapport.ErrorCode(err) != rapport.EINVALID || !strings.Contains(rapport.ErrorMessage(err), "UTF-8")) {
				t.Fatalf("Decode(%q): %v, want a plain message about UTF-8", tc.body, err)
			}
			if tc.ok && strings.ContainsRune(in.Subject, utf8.RuneError) {
				t.Fatalf("subject %q holds a replacement character", in.Subject)
			}
		})
	}
}

// FuzzDecode: Decode never panics, and what it accepts holds only valid
// UTF-8 without replacement characters the sender did not write.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"subject":"a","impact":{"outage":true}}`, `{"impcat":1}`, `{"subject":"\ud83d\ude00"}`,
		"{\"subject\":\"\xff\"}", `{"subject":"\ud83d"}`, `{"tags":[{"outage":1}]}`, `{"subject":"Ж漢😀"}`, `[]`, ``,
		`{"subject":"\\\ud83d"}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		in, err := decode(body)
		if err != nil {
			if rapport.ErrorMessage(err) == "" {
				t.Fatalf("Decode(%q): error without a message: %v", body, err)
			}
			return
		}
		if !utf8.ValidString(body) {
			t.Fatalf("Decode accepted invalid UTF-8 %q", body)
		}
		for _, s := range []string{in.Subject, in.Body, in.Channel} {
			if strings.ContainsRune(s, utf8.RuneError) && !strings.ContainsRune(body, utf8.RuneError) && !strings.Contains(strings.ToLower(body), `\ufffd`) {
				t.Fatalf("Decode(%q) made up a replacement character in %q", body, s)
			}
		}
	})
}
