package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
)

// runAudit prints the audit log of staff reads of private data, newest
// first: rapport audit [--user U] [--staff S] [--limit N] [--cursor C].
// Access to the database is the right to read it, as for the other
// commands.
func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dsn := newFlags("audit", stderr)
	user := fs.String("user", "", "only reads of this person's data: an email address or an account number")
	staff := fs.String("staff", "", "only reads by this member of staff: an email address or an account number")
	limit := fs.Int("limit", 50, "at most this many entries (1 to 500)")
	cursor := fs.String("cursor", "", "start after the page that printed this cursor")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *limit < 1 || *limit > 500 {
		return fmt.Errorf("%w: --limit must be a whole number from 1 to 500", errUsage)
	}
	return withDesk(ctx, *dsn, func(d *desk.Desk) error {
		f := rapport.AuditFilter{After: *cursor, Limit: *limit}
		var err error
		if f.UserID, err = d.AuditPerson(ctx, "user", *user); err != nil {
			return err
		}
		if f.StaffID, err = d.AuditPerson(ctx, "staff", *staff); err != nil {
			return err
		}
		es, next, err := d.AuditAsOperator(ctx, f)
		if err != nil {
			return err
		}
		if len(es) == 0 {
			fmt.Fprintln(stdout, "No reads of private data to show.")
			return nil
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tWHEN\tREAD BY\tWHOSE DATA\tWHAT\tROUTE\tREF")
		for _, e := range es {
			whose := "(no account)"
			if e.User != nil {
				whose = e.User.Email
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", e.ID, e.At.Format(time.RFC3339), e.Staff.Email, whose, e.What, e.Route, e.Ref)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		if next != "" {
			fmt.Fprintf(stdout, "More: rapport audit --cursor %s (with the same filters)\n", next)
		}
		return nil
	})
}
