package config

import (
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// load binds every setting to a new flag set, parses args and loads with env.
func load(t *testing.T, env map[string]string, args ...string) (*Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f := Bind(fs, Keys()...)
	if err := fs.Parse(args); err != nil {
		t.Fatalf("parse %v: %v", args, err)
	}
	if FromFlagSet(fs) != f {
		t.Fatalf("FromFlagSet did not find the binding")
	}
	err := f.Load(func(k string) string { return env[k] })
	return &f.Config, err
}

func writeFile(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "rapport.toml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDefaults(t *testing.T) {
	c := Default()
	if c.DB != "data/rapport.db" || c.Addr != "127.0.0.1:8080" || c.ReopenWindow != 720*time.Hour {
		t.Fatalf("Default()=%+v", c)
	}
	for _, s := range c.Settings() {
		if s.From != "default" {
			t.Fatalf("%s from %q, want default", s.Key, s.From)
		}
	}
}

// TestPrecedence: default < file < environment < flag, and the source of
// each value is recorded.
func TestPrecedence(t *testing.T) {
	file := writeFile(t, "db = \"file.db\"\naddr = \"127.0.0.1:1111\"\nreopen_window = \"48h\"\n")
	c, err := load(t, map[string]string{
		EnvFile: file, "RAPPORT_ADDR": "127.0.0.1:2222", "RAPPORT_REOPEN_WINDOW": "24h",
	}, "--reopen-window", "90m")
	if err != nil {
		t.Fatal(err)
	}
	if c.DB != "file.db" || c.Addr != "127.0.0.1:2222" || c.ReopenWindow != 90*time.Minute || c.MetricsToken != "" {
		t.Fatalf("Config=%+v", c)
	}
	want := map[string]string{"db": "file " + file, "addr": "env RAPPORT_ADDR", "reopen_window": "flag --reopen-window", "metrics_token": "default", "public_url": "default"}
	for _, s := range c.Settings() {
		if w, ok := want[s.Key]; ok && s.From != w {
			t.Fatalf("%s from %q, want %q", s.Key, s.From, want[s.Key])
		}
	}
	// --config wins over RAPPORT_CONFIG.
	other := writeFile(t, "db = \"other.db\"\n")
	c, err = load(t, map[string]string{EnvFile: file}, "--config", other)
	if err != nil || c.DB != "other.db" {
		t.Fatalf("DB=%q (%v), want other.db", c.DB, err)
	}
}

// TestInvalid: every bad setting stops the load, named as it was given and
// with a hint of what a good value looks like.
func TestInvalid(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		file string
		args []string
		want []string
	}{
		{"duration in days", map[string]string{"RAPPORT_REOPEN_WINDOW": "30d"}, "", nil,
			[]string{`RAPPORT_REOPEN_WINDOW: "30d" is not a duration; write it like 720h (hours), 90m or 45s`}},
		{"negative duration", map[string]string{"RAPPORT_REOPEN_WINDOW": "-1h"}, "", nil, []string{"RAPPORT_REOPEN_WINDOW", "longer than zero"}},
		{"bad flag", nil, "", []string{"--reopen-window", "soon"}, []string{`--reopen-window: "soon" is not a duration`}},
		{"bad address", map[string]string{"RAPPORT_ADDR": "8080"}, "", nil, []string{`RAPPORT_ADDR: "8080" is not an address`, "127.0.0.1:8080"}},
		{"port out of range", nil, "", []string{"--addr", "localhost:99999"}, []string{"--addr:", "not an address"}},
		{"empty db flag", nil, "", []string{"--db", ""}, []string{"--db: must not be empty"}},
		{"public URL without scheme", map[string]string{"RAPPORT_PUBLIC_URL": "help.example.com"}, "", nil, []string{`RAPPORT_PUBLIC_URL: "help.example.com" is not a web address`}},
		{"unknown key in file", nil, "reopen_windw = \"1h\"\n", nil, []string{`unknown setting "reopen_windw"`, "addr, attachment_max_size, attachments, db, followup_after, imap_url, mail_from, metrics_token, public_url, reopen_window"}},
		{"smtp URL with another scheme", map[string]string{"RAPPORT_SMTP_URL": "http://mail.example.com"}, "", nil, []string{"RAPPORT_SMTP_URL: is not a mail server address", "smtp://"}},
		{"IMAP URL without user", map[string]string{"RAPPORT_IMAP_URL": "imaps://mail.example.com/INBOX"}, "", nil, []string{"RAPPORT_IMAP_URL", "user name and password"}},
		{"sender not an address", map[string]string{"RAPPORT_MAIL_FROM": "Help Desk"}, "", nil, []string{`RAPPORT_MAIL_FROM: "Help Desk" is not an email address`}},
		{"listener without port", nil, "", []string{"--smtp-listen", "localhost"}, []string{"--smtp-listen:", "not an address"}},
		{"size without number", map[string]string{"RAPPORT_ATTACHMENT_MAX_SIZE": "big"}, "", nil, []string{`RAPPORT_ATTACHMENT_MAX_SIZE: "big" is not a size; write it like 25MB`}},
		{"size in an unknown unit", nil, "", []string{"--attachment-max-size", "3 TB"}, []string{`--attachment-max-size: "3 TB" is not a size`}},
		{"zero size", nil, "attachment_max_size = 0\n", nil, []string{`attachment_max_size: "0" is not a size`}},
		{"storage of another kind", map[string]string{"RAPPORT_ATTACHMENTS": "gs://bucket"}, "", nil, []string{`RAPPORT_ATTACHMENTS: "gs://bucket" is neither a folder nor a storage address`}},
		{"bad value in file", nil, "reopen_window = 30\n", nil, []string{`reopen_window: "30" is not a duration`}},
		{"table in file", nil, "[db]\npath = \"x\"\n", nil, []string{"db must be a single value"}},
		{"syntax error in file", nil, "addr = \n", nil, []string{"line 1"}},
		{"two at once", map[string]string{"RAPPORT_ADDR": "x", "RAPPORT_REOPEN_WINDOW": "1 week"}, "", nil, []string{"RAPPORT_ADDR", "RAPPORT_REOPEN_WINDOW"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{}
			for k, v := range tc.env {
				env[k] = v
			}
			if tc.file != "" {
				env[EnvFile] = writeFile(t, tc.file)
			}
			_, err := load(t, env, tc.args...)
			var cerr *Error
			if !errors.As(err, &cerr) {
				t.Fatalf("err=%v, want a *config.Error", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Fatalf("err=%q, want it to contain %q", err, w)
				}
			}
		})
	}
	if _, err := load(t, map[string]string{EnvFile: filepath.Join(t.TempDir(), "missing.toml")}); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("missing file: err=%v, want it to say it does not exist", err)
	}
}

func TestMailSettings(t *testing.T) {
	c, err := load(t, map[string]string{
		"RAPPORT_SMTP_URL": "smtps://desk:pw@mail.example.com:465", "RAPPORT_MAIL_FROM": "help@example.com",
		"RAPPORT_SMTP_LISTEN": "127.0.0.1:2525", "RAPPORT_IMAP_URL": "imap://desk:pw@127.0.0.1:143/INBOX",
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.SMTPURL == "" || c.MailFrom != "help@example.com" || c.SMTPListen != "127.0.0.1:2525" || c.IMAPURL == "" {
		t.Fatalf("Config=%+v", c)
	}
	for _, s := range c.Settings() {
		if strings.Contains(s.Value, "pw") {
			t.Fatalf("%s shown as %q: the password must be masked", s.Key, s.Value)
		}
	}
}

func TestEmptyEnvIsUnset(t *testing.T) {
	c, err := load(t, map[string]string{"RAPPORT_DB": "", "RAPPORT_REOPEN_WINDOW": ""})
	if err != nil || c.DB != "data/rapport.db" || c.ReopenWindow != 720*time.Hour {
		t.Fatalf("Config=%+v, err=%v; want defaults", c, err)
	}
}

func TestMasking(t *testing.T) {
	for _, tc := range []struct{ db, token, wantDB, wantToken string }{
		{"data/rapport.db", "", "data/rapport.db", ""},
		{"postgres://app:hunter2@db.example.com:5432/rapport?sslmode=require", "s3cret",
			"postgres://app:********@db.example.com:5432/rapport?sslmode=require", "********"},
		{"postgres://app@db/rapport?password=hunter2&sslmode=disable", "", "postgres://app@db/rapport?password=********&sslmode=disable", ""},
	} {
		c, err := load(t, map[string]string{"RAPPORT_DB": tc.db, "RAPPORT_METRICS_TOKEN": tc.token})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, s := range c.Settings() {
			got[s.Key] = s.Value
			if strings.Contains(s.Value, "hunter2") || strings.Contains(s.Value, "s3cret") {
				t.Fatalf("%s shown as %q: the secret shows", s.Key, s.Value)
			}
		}
		if got["db"] != tc.wantDB || got["metrics_token"] != tc.wantToken {
			t.Fatalf("db=%q metrics_token=%q, want %q and %q", got["db"], got["metrics_token"], tc.wantDB, tc.wantToken)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{{720 * time.Hour, "720h"}, {90 * time.Minute, "1h30m"}, {45 * time.Second, "45s"}, {time.Hour + time.Second, "1h0m1s"}} {
		if got := FormatDuration(tc.d); got != tc.want {
			t.Fatalf("FormatDuration(%v)=%q, want %q", tc.d, got, tc.want)
		}
	}
}

// TestAttachmentSettings: sizes read as people write them and show the
// same way. (Where files go by default: store.TestDataFolder.)
func TestAttachmentSettings(t *testing.T) {
	c := Default()
	if c.AttachmentMaxSize != 25<<20 || c.Attachments != "" {
		t.Fatalf("defaults: %d bytes in %q", c.AttachmentMaxSize, c.Attachments)
	}
	for text, want := range map[string]Size{"25MB": 25 << 20, "500 KB": 500 << 10, "1gb": 1 << 30, "2MiB": 2 << 20, "1000": 1000, "7b": 7} {
		got, msg := parseSize(text)
		if msg != "" || Size(got) != want {
			t.Errorf("parseSize(%q)=%d %q, want %d", text, got, msg, want)
		}
	}
	for s, want := range map[Size]string{25 << 20: "25MB", 1536: "1536", 1000: "1000", 3 << 30: "3GB"} {
		if s.String() != want {
			t.Errorf("Size(%d).String()=%q, want %q", int64(s), s.String(), want)
		}
	}
	c, err := load(t, map[string]string{"RAPPORT_ATTACHMENTS": "s3://files?region=eu-west-1"}, "--attachment-max-size", "10MB")
	if err != nil || c.Attachments != "s3://files?region=eu-west-1" || c.AttachmentMaxSize != 10<<20 {
		t.Fatalf("load: %v %q %d", err, c.Attachments, c.AttachmentMaxSize)
	}
}
