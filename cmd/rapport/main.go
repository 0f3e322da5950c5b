// Command rapport runs the Rapport help desk and administers it:
//
//	rapport serve [--addr HOST:PORT] [--db DSN] [--reopen-window D] [--metrics-token T] [--public-url URL]
//	              [--smtp-url URL --mail-from ADDRESS]
//	rapport migrate [status] [--db DSN]
//	rapport config
//	rapport backup --to FILE [--force]
//	rapport user add --email E --name N --role requester|agent|supervisor|admin [--password-stdin]
//	rapport user password --email E
//	rapport user list [--role R]
//	rapport user update --email E [--name N] [--role R] [--disable | --enable]
//	rapport token create --email E [--label L]
//	rapport token revoke --email E
//	rapport token list --email E
//	rapport jobs [list] [--state ready|running|dead]
//	rapport jobs retry ID
//
// Settings come from defaults, a TOML file (--config FILE or RAPPORT_CONFIG),
// RAPPORT_* variables and flags, later ones winning; see internal/config. The
// database is --db or RAPPORT_DB (default data/rapport.db, SQLite); a
// postgres:// URL selects PostgreSQL.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/config"
)

const usage = `Rapport: an IT help desk that remembers there is a person on the other end.

Usage:
  rapport serve [--addr HOST:PORT] [--db DSN]     run the web server: the API and the web UI
  rapport migrate [status] [--db DSN]             bring the database schema up to date
  rapport config                                  show every setting, its value and where it came from
  rapport backup --to FILE [--force]              copy a SQLite database while it is in use
  rapport user add --email E --name N --role R    add an account (R: requester, agent, supervisor, admin);
                  [--password-stdin]              with it, read a web UI password from standard input
  rapport user password --email E                 set the web UI password (read from standard input)
                                                  and sign the account out of every browser
  rapport user list [--role R]                    list accounts
  rapport user update --email E [--name N] [--role R] [--disable | --enable]
                  [--preferred-name P] [--pronunciation P] [--phone P] [--channel C]
                  [--time-zone Z] [--language L] [--notes N]
                                                  change an account and its profile (C: email,
                                                  phone, portal; "" clears a profile field)
  rapport token create --email E [--label L]      print a new API token for the account
  rapport token revoke --email E                  revoke every token of the account
  rapport token list --email E                    list the account's live tokens (never the secrets)
  rapport jobs [list] [--state S]                 list background jobs (S: ready, running, dead)
  rapport jobs retry ID                           run a dead job again, with fresh attempts
  rapport templates [list] [--q TEXT]             list the shared response templates
  rapport templates show ID                       print a shared template's subject and text
  rapport audit [--user U] [--staff S]            the audit log of staff reads of private data, newest
                [--limit N] [--cursor C]          first (U, S: an email address or account number)
  rapport calendars [list]                        list the business-hours calendars SLAs count on
  rapport calendars show ID                       print a calendar's zone, hours, holidays and on-call
  rapport calendars import-ics ID FILE|URL        add the events of an iCalendar file as holidays

Every command takes --db (or RAPPORT_DB): a SQLite file path (default
data/rapport.db) or a postgres:// URL, and --config FILE (or RAPPORT_CONFIG):
a TOML file of settings. serve also takes --addr (RAPPORT_ADDR, default
127.0.0.1:8080), --reopen-window (RAPPORT_REOPEN_WINDOW, default 720h),
--metrics-token (RAPPORT_METRICS_TOKEN), --public-url (RAPPORT_PUBLIC_URL) and
--time-zone (RAPPORT_TIME_ZONE, default UTC: the site's zone for web pages
and report days).
With --smtp-url (RAPPORT_SMTP_URL) and --mail-from (RAPPORT_MAIL_FROM) serve
mails notices to requesters and staff; --smtp-listen (RAPPORT_SMTP_LISTEN) takes
mail in by SMTP and --imap-url (RAPPORT_IMAP_URL) polls a mailbox. Files go to
--attachments (RAPPORT_ATTACHMENTS: a folder or an s3:// URL), each at most
--attachment-max-size (RAPPORT_ATTACHMENT_MAX_SIZE, default 25MB).
A check-in and satisfaction survey follow each resolution after
--followup-after (RAPPORT_FOLLOWUP_AFTER, default 72h); the links of its mail
work for --survey-expiry (RAPPORT_SURVEY_EXPIRY, default 336h).
Flags win over variables, variables over the file. A bad setting stops any
command, naming it. Each command's --help lists its flags.
`

// errUsage marks a mistake in the command line itself.
var errUsage = errors.New("usage")

func main() {
	// Reads through the command are audited as route cli (audit.go).
	ctx, stop := signal.NotifyContext(rapport.NewContextWithRoute(context.Background(), rapport.RouteCLI), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		code := 1
		if errors.Is(err, errUsage) {
			code = 2
		}
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, describe(err))
		} else {
			code = 0
		}
		os.Exit(code)
	}
}

// run executes one command line; main is only its process wrapper.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("%w: no command given", errUsage)
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return runServe(ctx, rest, stderr)
	case "migrate":
		return runMigrate(ctx, rest, stdout, stderr)
	case "config":
		return runConfig(ctx, rest, stdout, stderr)
	case "backup":
		return runBackup(ctx, rest, stdout, stderr)
	case "user", "token":
		if len(rest) == 0 {
			return fmt.Errorf("%w: %q needs a subcommand; see rapport help", errUsage, cmd)
		}
		fn, ok := map[string]func(context.Context, []string, io.Writer, io.Writer) error{
			"user add": runUserAdd, "user list": runUserList, "user update": runUserUpdate, "user password": runUserPassword,
			"token create": runTokenCreate, "token revoke": runTokenRevoke, "token list": runTokenList,
		}[cmd+" "+rest[0]]
		if !ok {
			return fmt.Errorf("%w: unknown command %q; see rapport help", errUsage, cmd+" "+rest[0])
		}
		return fn(ctx, rest[1:], stdout, stderr)
	// Background jobs: the dead-job list and retry (jobs.go).
	case "jobs":
		return runJobs(ctx, rest, stdout, stderr)
	// Shared response templates (templates.go).
	case "templates":
		return runTemplates(ctx, rest, stdout, stderr)
	// The audit log of staff reads of private data (audit.go).
	case "audit":
		return runAudit(ctx, rest, stdout, stderr)
	// Business-hours calendars for SLAs (calendars.go).
	case "calendars":
		return runCalendars(ctx, rest, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return fmt.Errorf("%w: unknown command %q; see rapport help", errUsage, cmd)
}

// newFlags returns a flag set with --config and the --db flag every command
// takes. The database is read through the configuration, like every other
// setting, when parse runs.
func newFlags(name string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs, cf := newConfigFlags(name, stderr, "db")
	return fs, &cf.Config.DB
}

// newConfigFlags returns a flag set with --config and a flag for each of the
// named settings; parse fills the returned configuration.
func newConfigFlags(name string, stderr io.Writer, keys ...string) (*flag.FlagSet, *config.Flags) {
	fs := flag.NewFlagSet("rapport "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs, config.Bind(fs, keys...)
}

// parse reads the command line, then the whole configuration (file,
// environment, flags), which must be valid for any command to run.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	if cf := config.FromFlagSet(fs); cf != nil {
		return cf.Load(os.Getenv)
	}
	return nil
}

// describe renders err for a person at a terminal.
func describe(err error) string {
	if errors.Is(err, errUsage) {
		return "rapport: " + strings.TrimPrefix(err.Error(), "usage: ")
	}
	if code := rapport.ErrorCode(err); code != rapport.EINTERNAL {
		var b strings.Builder
		b.WriteString("rapport: " + rapport.ErrorMessage(err))
		for _, f := range rapport.ErrorFields(err) {
			fmt.Fprintf(&b, "\n  --%s: %s", f.Field, f.Message)
		}
		return b.String()
	}
	return "rapport: " + err.Error()
}
