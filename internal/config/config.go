// Package config holds Rapport's settings in one typed struct. Each setting
// is read, lowest precedence first, from its default, an optional TOML file
// (--config FILE or RAPPORT_CONFIG), the RAPPORT_* environment and the
// command line, and every value is checked before anything starts: a bad
// setting stops the program with a message that names it.
package config

import (
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Config is every setting of Rapport. Adding a setting is one line here: a
// field whose key is its TOML name; its environment variable is RAPPORT_
// and the key in capitals, its flag --key with dashes. Tags: default (text,
// parsed like any other source), help (for --help; a {WORD} in braces
// names the flag's argument), check (hostport, nonempty or url) and secret
// (masked when shown; so is any key that mentions a password, token or
// secret).
type Config struct {
	DB           string        `key:"db" default:"data/rapport.db" check:"nonempty" help:"the database {DSN}: a SQLite file path or a postgres:// URL"`
	Addr         string        `key:"addr" default:"127.0.0.1:8080" check:"hostport" help:"{HOST:PORT} to serve on"`
	ReopenWindow time.Duration `key:"reopen_window" default:"720h" help:"how long after resolution a requester can reopen a ticket (a {DURATION} such as 720h)"`
	MetricsToken string        `key:"metrics_token" help:"bearer {TOKEN} that /metrics asks of every client (unset: /metrics answers loopback clients only)"`
	PublicURL    string        `key:"public_url" check:"url" help:"the {URL} people open Rapport at, when a proxy in front ends TLS: https:// makes the web UI's cookies Secure"`
	TimeZone     string        `key:"time_zone" default:"UTC" check:"timezone" help:"the site's time {ZONE}, an IANA name such as Europe/London: the web UI shows times in it to people who chose none on their profile, and reports count its days"`
	// Follow-through (issue 9): check-ins after resolution and their survey.
	FollowUpAfter time.Duration `key:"followup_after" default:"72h" help:"how long after resolution the check-in \"Is everything still working?\" and its satisfaction survey follow (a {DURATION} such as 72h)"`
	SurveyExpiry  time.Duration `key:"survey_expiry" default:"336h" help:"how long the one-click links of a check-in mail work, without signing in (a {DURATION} such as 336h, 14 days)"`

	SMTPURL    string `key:"smtp_url" check:"smtpurl" help:"outgoing mail server {URL}: smtp://[user:pass@]host:port (STARTTLS when offered) or smtps:// for implicit TLS; unset: no mail is sent"`
	MailFrom   string `key:"mail_from" check:"email" help:"the help desk's email {ADDRESS}, the sender of every notice"`
	SMTPListen string `key:"smtp_listen" check:"listen" help:"{HOST:PORT} of the inbound SMTP listener, such as 127.0.0.1:2525 (unset: off)"`
	IMAPURL    string `key:"imap_url" check:"imapurl" help:"mailbox to poll for mail to the help desk: imap[s]://user:pass@host:port/MAILBOX (unset: off)"`

	// Attachments (web).
	Attachments       string `key:"attachments" check:"storage" help:"where files on tickets are kept: a {FOLDER}, or s3://BUCKET?region=R[&endpoint=URL&use_path_style=true] for S3-compatible storage shared by several nodes (unset: an attachments folder next to the SQLite file, or data/attachments with PostgreSQL)"`
	AttachmentMaxSize Size   `key:"attachment_max_size" default:"25MB" help:"the largest file one can attach, a {SIZE} such as 25MB or 500KB (1 MB = 1024 KB)"`

	from map[string]string // key → where its value came from
}

// EnvFile names the variable that points at a TOML settings file when
// --config is not given.
const EnvFile = "RAPPORT_CONFIG"

// setting describes one field of Config.
type setting struct {
	key, env, flag string
	def, help      string
	check          string
	secret         bool
	index          int
	typ            reflect.Type
}

var (
	settings = describe()
	byKey    = func() map[string]*setting {
		m := map[string]*setting{}
		for _, s := range settings {
			m[s.key] = s
		}
		return m
	}()
)

func describe() []*setting {
	t := reflect.TypeOf(Config{})
	var out []*setting
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		key := f.Tag.Get("key")
		if key == "" {
			continue
		}
		_, secret := f.Tag.Lookup("secret")
		for _, w := range []string{"password", "token", "secret"} {
			secret = secret || strings.Contains(key, w)
		}
		out = append(out, &setting{
			key: key, env: "RAPPORT_" + strings.ToUpper(key), flag: strings.ReplaceAll(key, "_", "-"),
			def: f.Tag.Get("default"), help: helpText(f.Tag.Get("help")), check: f.Tag.Get("check"),
			secret: secret, index: i, typ: f.Type,
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out
}

// helpText turns {WORD} into `WORD`, which the flag package shows as the
// name of the flag's argument (struct tags cannot hold backquotes).
func helpText(tag string) string {
	return strings.NewReplacer("{", "`", "}", "`").Replace(tag)
}

// Keys returns the key of every setting, sorted.
func Keys() []string {
	keys := make([]string, len(settings))
	for i, s := range settings {
		keys[i] = s.key
	}
	return keys
}

// Default returns the configuration made of defaults only.
func Default() *Config {
	c := &Config{from: map[string]string{}}
	for _, s := range settings {
		if err := c.set(s, s.def, "default"); err != "" {
			panic("config: default of " + s.key + ": " + err) // a programming error, caught by the tests
		}
	}
	return c
}

var (
	durationType = reflect.TypeOf(time.Duration(0))
	sizeType     = reflect.TypeOf(Size(0))
)

// set parses text into the setting's field, recording where it came from.
// It returns what is wrong with text, in words for a person, or "".
func (c *Config) set(s *setting, text, from string) string {
	v := reflect.ValueOf(c).Elem().Field(s.index)
	switch {
	case s.typ == durationType:
		d, err := time.ParseDuration(text)
		if err != nil {
			return fmt.Sprintf("%q is not a duration; write it like 720h (hours), 90m or 45s", text)
		}
		if d <= 0 {
			return fmt.Sprintf("%q must be longer than zero; write it like 720h (hours), 90m or 45s", text)
		}
		v.SetInt(int64(d))
	case s.typ == sizeType:
		n, msg := parseSize(text)
		if msg != "" {
			return msg
		}
		v.SetInt(n)
	case s.typ.Kind() == reflect.Bool:
		b, err := strconv.ParseBool(text)
		if err != nil {
			return fmt.Sprintf("%q is not true or false", text)
		}
		v.SetBool(b)
	case s.typ.Kind() == reflect.Int:
		n, err := strconv.Atoi(text)
		if err != nil {
			return fmt.Sprintf("%q is not a whole number; write it like 10", text)
		}
		v.SetInt(int64(n))
	case s.typ.Kind() == reflect.String:
		if msg := checkString(s.check, text); msg != "" {
			return msg
		}
		v.SetString(text)
	default:
		panic("config: unsupported type of " + s.key)
	}
	c.from[s.key] = from
	return ""
}

func checkString(check, text string) string {
	switch check {
	case "nonempty":
		if strings.TrimSpace(text) == "" {
			return "must not be empty"
		}
	case "url":
		if u, err := url.Parse(text); text != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
			return fmt.Sprintf("%q is not a web address; write it like https://help.example.com", text)
		}
	case "smtpurl", "imapurl":
		if text == "" {
			return ""
		}
		scheme, example := "smtp", "smtp://user:password@mail.example.com:587"
		if check == "imapurl" {
			scheme, example = "imap", "imaps://user:password@mail.example.com:993/INBOX"
		}
		u, err := url.Parse(text)
		if err != nil || (u.Scheme != scheme && u.Scheme != scheme+"s") || u.Hostname() == "" {
			return "is not a mail server address; write it like " + example
		}
		if check == "imapurl" && u.User.Username() == "" {
			return "needs the mailbox's user name and password; write it like " + example
		}
	case "timezone":
		if _, err := time.LoadLocation(text); err != nil || text == "" || text == "Local" {
			return fmt.Sprintf("%q is not a time zone; write an IANA name like Europe/London or UTC", text)
		}
	case "email":
		if text == "" {
			return ""
		}
		if a, err := mail.ParseAddress(text); err != nil || a.Address != text || !strings.Contains(text, "@") {
			return fmt.Sprintf("%q is not an email address; write it like help@example.com", text)
		}
	case "storage":
		if text == "" || !strings.Contains(text, "://") {
			return ""
		}
		if u, err := url.Parse(text); err != nil || (u.Scheme != "s3" && u.Scheme != "file") || (u.Scheme == "s3" && u.Host == "") {
			return fmt.Sprintf("%q is neither a folder nor a storage address; write a folder like data/attachments, or s3://bucket?region=eu-west-1", text)
		}
	case "listen":
		if text == "" {
			return ""
		}
		return checkString("hostport", text)
	case "hostport":
		// Any host name or IP will do; an empty one means every interface.
		_, port, err := net.SplitHostPort(text)
		if n, perr := strconv.Atoi(port); err != nil || perr != nil || n < 0 || n > 65535 {
			return fmt.Sprintf("%q is not an address to listen on; write it like 127.0.0.1:8080, :8080 or [::1]:8080", text)
		}
	}
	return ""
}

// Error lists every invalid setting found, each named as it was given
// (RAPPORT_ADDR, --addr, or addr in a file).
type Error struct {
	Problems []string
}

func (e *Error) Error() string {
	if len(e.Problems) == 1 {
		return "bad setting: " + e.Problems[0]
	}
	return "bad settings:\n  " + strings.Join(e.Problems, "\n  ")
}

// Setting is one setting as `rapport config` shows it.
type Setting struct {
	Key   string
	Value string // masked when secret
	From  string // "default", "file F", "env RAPPORT_X" or "flag --x"
}

// Settings returns every setting with its effective value, secrets masked,
// and where the value came from, sorted by key.
func (c *Config) Settings() []Setting {
	out := make([]Setting, len(settings))
	for i, s := range settings {
		v := reflect.ValueOf(c).Elem().Field(s.index)
		var text string
		switch {
		case s.typ == durationType:
			text = FormatDuration(time.Duration(v.Int()))
		default:
			text = fmt.Sprint(v.Interface())
		}
		if s.secret && text != "" {
			text = masked
		} else {
			text = maskURL(text)
		}
		out[i] = Setting{Key: s.key, Value: text, From: c.from[s.key]}
	}
	return out
}

// FormatDuration writes d as people write it in settings: 720h, not 720h0m0s.
func FormatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// Location is the site's time zone (TimeZone, checked when loaded).
func (c *Config) Location() *time.Location {
	if loc, err := time.LoadLocation(c.TimeZone); err == nil {
		return loc
	}
	return time.UTC
}
