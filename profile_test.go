package rapport_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rapportdesk/rapport"
)

func ptr(s string) *string { return &s }

// fakeLanguages knows a few tags, as golang.org/x/text would canonicalise them.
func fakeLanguages(s string) (string, bool) {
	switch strings.ToLower(strings.ReplaceAll(s, "_", "-")) {
	case "en":
		return "en", true
	case "fr-ca":
		return "fr-CA", true
	case "pt-br":
		return "pt-BR", true
	}
	return "", false
}

func TestApplyProfile(t *testing.T) {
	base := rapport.User{ID: 1, Email: "bob@example.com", Name: "Robert Smith", Role: rapport.RoleRequester,
		Phone: "+33 1 23 45 67 89", PreferredChannel: rapport.ChannelEmail}
	for _, tc := range []struct {
		name   string
		up     rapport.ProfileUpdate
		fields []string            // the fields at fault; none means it applies
		want   func(*rapport.User) // the change expected on base
	}{
		{"nothing", rapport.ProfileUpdate{}, nil, func(*rapport.User) {}},
		{"all fields", rapport.ProfileUpdate{PreferredName: ptr(" Bob "), Pronunciation: ptr("ROB-ert"),
			Phone: ptr(" +44  20 7946 0958 "), PreferredChannel: ptr("Phone"), TimeZone: ptr("Europe/London"),
			Language: ptr("fr_CA"), Notes: ptr("Prefers mornings.")}, nil,
			func(u *rapport.User) {
				u.PreferredName, u.Pronunciation, u.Phone = "Bob", "ROB-ert", "+44 20 7946 0958"
				u.PreferredChannel, u.TimeZone, u.Language, u.Notes = rapport.ChannelPhone, "Europe/London", "fr-CA", "Prefers mornings."
			}},
		{"clear", rapport.ProfileUpdate{Phone: ptr(""), PreferredChannel: ptr("")}, nil,
			func(u *rapport.User) { u.Phone, u.PreferredChannel = "", "" }},
		{"extension", rapport.ProfileUpdate{Phone: ptr("020 7946 0958 ext 12")}, nil,
			func(u *rapport.User) { u.Phone = "020 7946 0958 ext 12" }},
		{"short internal number", rapport.ProfileUpdate{Phone: ptr("4321")}, nil, func(u *rapport.User) { u.Phone = "4321" }},
		{"UTC", rapport.ProfileUpdate{TimeZone: ptr("UTC")}, nil, func(u *rapport.User) { u.TimeZone = "UTC" }},
		{"letters in phone", rapport.ProfileUpdate{Phone: ptr("call my desk")}, []string{"phone"}, nil},
		{"plus inside phone", rapport.ProfileUpdate{Phone: ptr("12+34567")}, []string{"phone"}, nil},
		{"too few digits", rapport.ProfileUpdate{Phone: ptr("12")}, []string{"phone"}, nil},
		{"too many digits", rapport.ProfileUpdate{Phone: ptr("+1234567890123456")}, []string{"phone"}, nil},
		{"extension without digits", rapport.ProfileUpdate{Phone: ptr("020 7946 0958 ext")}, []string{"phone"}, nil},
		{"phone too long", rapport.ProfileUpdate{Phone: ptr(strings.Repeat("1 ", 30))}, []string{"phone"}, nil},
		{"channel", rapport.ProfileUpdate{PreferredChannel: ptr("pigeon")}, []string{"preferred_channel"}, nil},
		{"walk-up is no preference", rapport.ProfileUpdate{PreferredChannel: ptr("walk_up")}, []string{"preferred_channel"}, nil},
		{"call me without a number", rapport.ProfileUpdate{Phone: ptr(""), PreferredChannel: ptr("phone")}, []string{"phone"}, nil},
		{"clearing the number of a caller", rapport.ProfileUpdate{Phone: ptr("")}, nil,
			func(u *rapport.User) { u.Phone = "" }},
		{"time zone", rapport.ProfileUpdate{TimeZone: ptr("Mars/Olympus")}, []string{"time_zone"}, nil},
		{"server's zone", rapport.ProfileUpdate{TimeZone: ptr("Local")}, []string{"time_zone"}, nil},
		{"path in zone", rapport.ProfileUpdate{TimeZone: ptr("../../etc/passwd")}, []string{"time_zone"}, nil},
		{"language", rapport.ProfileUpdate{Language: ptr("klingon-ish")}, []string{"language"}, nil},
		{"language not a code", rapport.ProfileUpdate{Language: ptr("français")}, []string{"language"}, nil},
		{"preferred name on two lines", rapport.ProfileUpdate{PreferredName: ptr("Bob\nby")}, []string{"preferred_name"}, nil},
		{"preferred name too long", rapport.ProfileUpdate{PreferredName: ptr(strings.Repeat("b", rapport.MaxNameLen+1))}, []string{"preferred_name"}, nil},
		{"pronunciation too long", rapport.ProfileUpdate{Pronunciation: ptr(strings.Repeat("b", rapport.MaxPronunciationLen+1))}, []string{"pronunciation"}, nil},
		{"notes too long", rapport.ProfileUpdate{Notes: ptr(strings.Repeat("n", rapport.MaxNotesLen+1))}, []string{"notes"}, nil},
		{"notes with NUL", rapport.ProfileUpdate{Notes: ptr("a\x00b")}, []string{"notes"}, nil},
		{"several at once", rapport.ProfileUpdate{PreferredName: ptr("Bob"), TimeZone: ptr("Nowhere"), Language: ptr("zz-zz-zz")},
			[]string{"time_zone", "language"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := base
			err := u.ApplyProfile(tc.up, fakeLanguages)
			var got []string
			for _, f := range rapport.ErrorFields(err) {
				got = append(got, f.Field)
				if f.Message == "" || !strings.HasSuffix(f.Message, ".") && !strings.HasSuffix(f.Message, ")") {
					t.Errorf("message %q is not a plain sentence", f.Message)
				}
			}
			if !slices.Equal(got, tc.fields) {
				t.Fatalf("fields at fault=%v, want %v (err %v)", got, tc.fields, err)
			}
			want := base
			if tc.want != nil {
				tc.want(&want)
			}
			if diff := cmp.Diff(want, u); diff != "" {
				t.Errorf("user (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTelURI(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"+44 20 7946 0958", "tel:+442079460958"},
		{"(020) 7946-0958 ext 12", "tel:02079460958;ext=12"},
		{"555 0100 x7", "tel:5550100;ext=7"},
		{"4321", "tel:4321"},
	} {
		if got := rapport.TelURI(tc.in); got != tc.want {
			t.Errorf("TelURI(%q)=%q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestUserLocationAndCall(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	for _, tc := range []struct {
		name     string
		u        *rapport.User
		fallback *time.Location
		want     string
		call     bool
	}{
		{"nobody", nil, nil, "UTC", false},
		{"no zone, site's", &rapport.User{}, paris, "Europe/Paris", false},
		{"own zone", &rapport.User{TimeZone: "Asia/Tokyo"}, paris, "Asia/Tokyo", false},
		{"call me", &rapport.User{PreferredChannel: rapport.ChannelPhone, Phone: "4321"}, nil, "UTC", true},
		{"call me, no number", &rapport.User{PreferredChannel: rapport.ChannelPhone}, nil, "UTC", false},
		{"email", &rapport.User{PreferredChannel: rapport.ChannelEmail, Phone: "4321"}, nil, "UTC", false},
	} {
		if got := tc.u.Location(tc.fallback).String(); got != tc.want {
			t.Errorf("%s: Location=%s, want %s", tc.name, got, tc.want)
		}
		if got := tc.u.PrefersCall(); got != tc.call {
			t.Errorf("%s: PrefersCall=%v, want %v", tc.name, got, tc.call)
		}
	}
}

func TestGreetingName(t *testing.T) {
	for _, tc := range []struct {
		u    *rapport.User
		want string
	}{
		{nil, "there"},
		{&rapport.User{Name: "Robert Smith"}, "Robert"},
		{&rapport.User{Name: "Robert Smith", PreferredName: "Bob"}, "Bob"},
		{&rapport.User{}, "there"},
	} {
		if got := tc.u.GreetingName(); got != tc.want {
			t.Errorf("GreetingName(%+v)=%q, want %q", tc.u, got, tc.want)
		}
	}
}
