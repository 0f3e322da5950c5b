package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/rapportdesk/rapport/internal/desk"
)

// runTemplates is `rapport templates [list|show ID]`: the shared response
// templates, such as the starter set, from the machine's own shell.
// Personal templates stay their owners'; staff edit templates in the web UI
// or through the API.
func runTemplates(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runGroup(ctx, "templates", args, stdout, stderr, map[string]command{"list": runTemplatesList, "show": runTemplatesShow})
}

func runTemplatesList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dsn := newFlags("templates list", stderr)
	q := fs.String("q", "", "only templates whose name, subject or text contains this")
	if err := parse(fs, args); err != nil {
		return err
	}
	return withDesk(ctx, *dsn, func(d *desk.Desk) error {
		ts, err := d.SharedTemplates(ctx, *q)
		if err != nil {
			return err
		}
		if len(ts) == 0 {
			fmt.Fprintln(stdout, "No shared templates.")
			return nil
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tSUBJECT")
		for _, t := range ts {
			fmt.Fprintf(tw, "%d\t%s\t%s\n", t.ID, t.Name, t.Subject)
		}
		return tw.Flush()
	})
}

func runTemplatesShow(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dsn := newFlags("templates show", stderr)
	var idArg string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		idArg, args = args[0], args[1:]
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	id, err := strconv.ParseInt(idArg, 10, 64)
	if err != nil || id <= 0 {
		return fmt.Errorf("%w: rapport templates show needs a template number, like: rapport templates show 3 (see rapport templates list)", errUsage)
	}
	return withDesk(ctx, *dsn, func(d *desk.Desk) error {
		ts, err := d.SharedTemplates(ctx, "")
		if err != nil {
			return err
		}
		for _, t := range ts {
			if t.ID == id {
				fmt.Fprintf(stdout, "Name: %s\nSubject: %s\n\n%s\n", t.Name, t.Subject, t.Body)
				return nil
			}
		}
		return fmt.Errorf("rapport: there is no shared template %d; see rapport templates list", id)
	})
}
