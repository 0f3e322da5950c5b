package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestBadSettingRefusesToStart: a bad setting stops serve (and every other
// command) before anything starts, naming the setting. The context is
// already cancelled, so a server that ignored the setting would fail on
// something else rather than hang.
func TestBadSettingRefusesToStart(t *testing.T) {
	t.Setenv("RAPPORT_DB", filepath.Join(t.TempDir(), "r.db"))
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"serve, window in days", map[string]string{"RAPPORT_REOPEN_WINDOW": "30d"}, []string{"serve", "--addr", "127.0.0.1:0"},
			`RAPPORT_REOPEN_WINDOW: "30d" is not a duration; write it like 720h (hours), 90m or 45s`},
		{"serve, bad flag", nil, []string{"serve", "--reopen-window", "0s"}, "--reopen-window"},
		{"serve, bad address", map[string]string{"RAPPORT_ADDR": "localhost"}, []string{"serve"}, "RAPPORT_ADDR"},
		{"user list too", map[string]string{"RAPPORT_REOPEN_WINDOW": "1 month"}, []string{"user", "list"}, "RAPPORT_REOPEN_WINDOW"},
		{"unknown key in the file", map[string]string{"RAPPORT_CONFIG": writeConfig(t, "adress = \":8080\"\n")}, []string{"serve"}, `unknown setting "adress"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			err := run(cancelled, tc.args, io.Discard, io.Discard)
			if err == nil || !strings.Contains(describe(err), tc.want) {
				t.Fatalf("error %q, want it to mention %q", describe(err), tc.want)
			}
		})
	}
}

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "rapport.toml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestConfigCommand: rapport config shows each setting's value and source,
// with secrets masked.
func TestConfigCommand(t *testing.T) {
	file := writeConfig(t, "reopen_window = \"48h\"\naddr = \"127.0.0.1:9000\"\n")
	t.Setenv("RAPPORT_DB", "postgres://rapport:hunter2@db.example.com/rapport")
	t.Setenv("RAPPORT_METRICS_TOKEN", "s3cret")
	out, err := runCmd(t, "config", "--config", file, "--addr", "127.0.0.1:9100")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "hunter2") || strings.Contains(out, "s3cret") {
		t.Fatalf("config shows a secret:\n%s", out)
	}
	// Columns widen with the longest key: compare with spaces collapsed.
	flat := regexp.MustCompile(` +`).ReplaceAllString(out, " ")
	for _, want := range []string{
		"addr 127.0.0.1:9100",
		"flag --addr",
		"postgres://rapport:********@db.example.com/rapport env RAPPORT_DB",
		"metrics_token ********",
		"reopen_window 48h",
		"attachment_max_size 25MB default",
		"file " + file,
	} {
		if !strings.Contains(flat, want) {
			t.Fatalf("config output lacks %q:\n%s", want, out)
		}
	}
}

// TestBackupCommand: a copy is made, an existing file is kept unless
// --force, and PostgreSQL users are sent to pg_dump.
func TestBackupCommand(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("RAPPORT_DB", filepath.Join(dir, "r.db"))
	if _, err := runCmd(t, "user", "add", "--email", "ann@example.com", "--name", "Ann", "--role", "agent"); err != nil {
		t.Fatal(err)
	}
	to := filepath.Join(dir, "copy.db")
	if out, err := runCmd(t, "backup", "--to", to); err != nil || !strings.Contains(out, "Copied") {
		t.Fatalf("backup: %q %v", out, err)
	}
	if out, err := runCmd(t, "user", "list", "--db", to); err != nil || !strings.Contains(out, "ann@example.com") {
		t.Fatalf("user list on the copy: %q %v", out, err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"backup", "--to", to}, "add --force"},
		{[]string{"backup"}, "--to FILE is required"},
		{[]string{"backup", "--db", "postgres://u@127.0.0.1:1/x", "--to", filepath.Join(dir, "pg.db")}, "pg_dump -Fc"},
	} {
		if _, err := runCmd(t, tc.args...); err == nil || !strings.Contains(describe(err), tc.want) {
			t.Fatalf("%v: error %q, want it to mention %q", tc.args, describe(err), tc.want)
		}
	}
	if _, err := runCmd(t, "backup", "--to", to, "--force"); err != nil {
		t.Fatalf("backup --force: %v", err)
	}
}
