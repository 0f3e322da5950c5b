package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/store"
)

// withDesk opens the database, runs fn on a desk over it and closes it.
func withDesk(ctx context.Context, dsn string, fn func(d *desk.Desk) error) error {
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(desk.New(db))
}

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	status := len(args) > 0 && args[0] == "status"
	if status {
		args = args[1:]
	}
	fs, dsn := newFlags("migrate", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if !status {
		fmt.Fprintf(stdout, "The %s database is up to date.\n", db.Dialect())
		return nil
	}
	lines, err := db.MigrationStatus(ctx)
	for _, l := range lines {
		fmt.Fprintln(stdout, l)
	}
	return err
}

func runUserAdd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dsn := newFlags("user add", stderr)
	email := fs.String("email", "", "email address (required)")
	name := fs.String("name", "", "full name (required)")
	role := fs.String("role", "requester", "requester, agent, supervisor or admin")
	withPassword := fs.Bool("password-stdin", false, "read a web UI password from standard input (one line)")
	if err := parse(fs, args); err != nil {
		return err
	}
	var password string
	if *withPassword {
		var err error
		if password, err = readPassword(stderr, *email); err != nil {
			return err
		}
	}
	return withDesk(ctx, *dsn, func(d *desk.Desk) error {
		var u *rapport.User
		var err error
		if *withPassword {
			u, err = d.AddUserWithPassword(ctx, *email, *name, rapport.Role(*role), password)
			err = plainPasswordError(err)
		} else {
			u, err = d.AddUser(ctx, *email, *name, rapport.Role(*role))
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Added %s <%s> as %s (user %d).\n", u.Name, u.Email, u.Role, u.ID)
		return nil
	})
}

func runUserList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dsn := newFlags("user list", stderr)
	role := fs.String("role", "", "only this role")
	if err := parse(fs, args); err != nil {
		return err
	}
	return withDesk(ctx, *dsn, func(d *desk.Desk) error {
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tEMAIL\tNAME\tROLE\tSTATE")
		for after := ""; ; {
			users, next, err := d.AllUsers(ctx, rapport.UserFilter{Role: rapport.Role(*role), Limit: 500, After: after})
			if err != nil {
				return err
			}
			for _, u := range users {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Name, u.Role, accountState(u))
			}
			if after = next; after == "" {
				return tw.Flush()
			}
		}
	})
}

func runUserUpdate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dsn := newFlags("user update", stderr)
	email := fs.String("email", "", "the account's email address (required)")
	name := fs.String("name", "", "new full name")
	role := fs.String("role", "", "new role")
	disable := fs.Bool("disable", false, "stop the account from signing in and revoke all its tokens")
	enable := fs.Bool("enable", false, "let a disabled account sign in again (its old tokens stay revoked)")
	// The profile: a flag given sets its field, "" clears it.
	var prof rapport.ProfileUpdate
	for _, f := range []struct {
		name, help string
		field      **string
	}{
		{"preferred-name", "what to call them, such as Bob for Robert", &prof.PreferredName},
		{"pronunciation", "how to say their name, such as SHIV-on", &prof.Pronunciation},
		{"phone", "phone number; a staff member's signs their replies by mail", &prof.Phone},
		{"channel", "best way to reach them: email, phone (\"call me\") or portal", &prof.PreferredChannel},
		{"time-zone", "IANA time zone, such as Europe/London", &prof.TimeZone},
		{"language", "BCP 47 language tag, such as en or pt-BR", &prof.Language},
		{"notes", "staff-only notes about the person", &prof.Notes},
	} {
		fs.Func(f.name, f.help+" (\"\" clears it)", func(v string) error { *f.field = &v; return nil })
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if *disable && *enable {
		return fmt.Errorf("%w: choose --disable or --enable, not both", errUsage)
	}
	up := desk.UserUpdate{Profile: prof}
	if *name != "" {
		up.Name = name
	}
	if *role != "" {
		r := rapport.Role(*role)
		up.Role = &r
	}
	if *disable || *enable {
		up.Disabled = disable
	}
	return withDesk(ctx, *dsn, func(d *desk.Desk) error {
		u, err := d.UpdateUser(ctx, *email, up)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Updated %s <%s>: %s, %s.\n", u.Name, u.Email, u.Role, accountState(u))
		if p := profileLine(u); p != "" {
			fmt.Fprintf(stdout, "Profile: %s.\n", p)
		}
		return nil
	})
}

func runTokenCreate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dsn := newFlags("token create", stderr)
	email := fs.String("email", "", "the account's email address (required)")
	label := fs.String("label", "", "a note on what the token is for")
	if err := parse(fs, args); err != nil {
		return err
	}
	return withDesk(ctx, *dsn, func(d *desk.Desk) error {
		secret, err := d.CreateToken(ctx, *email, *label)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, secret)
		return nil
	})
}

func runTokenRevoke(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dsn := newFlags("token revoke", stderr)
	email := fs.String("email", "", "the account's email address (required)")
	if err := parse(fs, args); err != nil {
		return err
	}
	return withDesk(ctx, *dsn, func(d *desk.Desk) error {
		n, err := d.RevokeTokens(ctx, *email)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Revoked %d token(s).\n", n)
		return nil
	})
}

func runTokenList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dsn := newFlags("token list", stderr)
	email := fs.String("email", "", "the account's email address (required)")
	if err := parse(fs, args); err != nil {
		return err
	}
	return withDesk(ctx, *dsn, func(d *desk.Desk) error {
		toks, err := d.Tokens(ctx, *email)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tCREATED\tLABEL")
		for _, t := range toks {
			fmt.Fprintf(tw, "%d\t%s\t%s\n", t.ID, t.CreatedAt.Format(time.RFC3339), t.Label)
		}
		return tw.Flush()
	})
}

func accountState(u *rapport.User) string {
	if u.DisabledAt != nil {
		return "disabled"
	}
	return "active"
}

// profileLine sums up u's profile in one line ("" when empty).
func profileLine(u *rapport.User) string {
	var parts []string
	for _, f := range []struct{ label, v string }{
		{"preferred name", u.PreferredName}, {"says", u.Pronunciation}, {"phone", u.Phone},
		{"prefers", string(u.PreferredChannel)}, {"time zone", u.TimeZone}, {"language", u.Language},
	} {
		if f.v != "" {
			parts = append(parts, f.label+" "+f.v)
		}
	}
	if u.Notes != "" {
		parts = append(parts, "with staff notes")
	}
	return strings.Join(parts, ", ")
}
