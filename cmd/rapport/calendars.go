package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
)

// runCalendars is `rapport calendars [list|show ID|import-ics ID FILE|URL]`:
// the business-hours calendars SLA clocks count on, from the machine's own
// shell. Calendars are edited in the web UI or through the API.
func runCalendars(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runGroup(ctx, "calendars", args, stdout, stderr, map[string]command{
		"list": runCalendarsList, "show": runCalendarsShow, "import-ics": runCalendarsImport})
}

func runCalendarsList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dsn := newFlags("calendars list", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	return withDesk(ctx, *dsn, func(d *desk.Desk) error {
		cs, err := d.Calendars(ctx)
		if err != nil {
			return err
		}
		if len(cs) == 0 {
			fmt.Fprintln(stdout, "No calendars yet: rapport serve adds the default one when it starts.")
			return nil
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tTIME ZONE\tHOLIDAYS\tDEFAULT")
		for _, c := range cs {
			def := ""
			if c.Default {
				def = "yes"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\n", c.ID, c.Name, c.Config.TimeZone, len(c.Config.Holidays), def)
		}
		return tw.Flush()
	})
}

// calendarArg reads the calendar number leading args.
func calendarArg(cmd string, args []string) (int64, []string, error) {
	var idArg string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		idArg, args = args[0], args[1:]
	}
	id, err := strconv.ParseInt(idArg, 10, 64)
	if err != nil || id <= 0 {
		return 0, nil, fmt.Errorf("%w: rapport calendars %s needs a calendar number, like: rapport calendars %s 1 (see rapport calendars list)", errUsage, cmd, cmd)
	}
	return id, args, nil
}

func runCalendarsShow(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	id, args, err := calendarArg("show", args)
	if err != nil {
		return err
	}
	fs, dsn := newFlags("calendars show", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	return withDesk(ctx, *dsn, func(d *desk.Desk) error {
		c, err := d.Calendar(ctx, id)
		if err != nil {
			return err
		}
		printCalendar(stdout, c)
		return nil
	})
}

func printCalendar(w io.Writer, c *rapport.Calendar) {
	fmt.Fprintf(w, "Name: %s\nTime zone: %s\n", c.Name, c.Config.TimeZone)
	if c.Default {
		fmt.Fprintln(w, "Default: yes")
	}
	fmt.Fprintln(w, "Office hours:")
	if len(c.Config.Hours) == 0 {
		fmt.Fprintln(w, "  none")
	}
	for _, h := range c.Config.Hours {
		fmt.Fprintf(w, "  %-10s %s-%s\n", h.Day, h.From, h.To)
	}
	fmt.Fprintf(w, "Holidays: %d\n", len(c.Config.Holidays))
	for _, h := range c.Config.Holidays {
		when := h.Date
		switch {
		case !h.Start.IsZero():
			when = h.Start.Format(time.RFC3339) + " to " + h.End.Format(time.RFC3339)
		case h.Until != "":
			when += " to " + h.Until
		case h.From != "" || h.To != "":
			when += " " + h.From + "-" + h.To
		}
		fmt.Fprintf(w, "  %s  %s\n", when, h.Name)
	}
	if len(c.Config.OnCall) > 0 {
		fmt.Fprintf(w, "On call: %d periods\n", len(c.Config.OnCall))
		for _, s := range c.Config.OnCall {
			fmt.Fprintf(w, "  %s to %s\n", s.Start.Format(time.RFC3339), s.End.Format(time.RFC3339))
		}
	}
}

func runCalendarsImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	id, args, err := calendarArg("import-ics", args)
	if err != nil {
		return err
	}
	var src string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		src, args = args[0], args[1:]
	}
	fs, dsn := newFlags("calendars import-ics", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	if src == "" {
		return fmt.Errorf("%w: rapport calendars import-ics needs a file or an https:// address, like: rapport calendars import-ics 1 holidays.ics", errUsage)
	}
	return withDesk(ctx, *dsn, func(d *desk.Desk) error {
		var c *rapport.Calendar
		var n int
		if strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://") {
			c, n, err = d.ImportICSURL(ctx, id, src)
		} else {
			f, ferr := os.Open(src)
			if ferr != nil {
				return fmt.Errorf("rapport: cannot read %s: %w", src, ferr)
			}
			defer f.Close()
			c, n, err = d.ImportICS(ctx, id, f)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Added %d holidays to %q (%d in all).\n", n, c.Name, len(c.Config.Holidays))
		return nil
	})
}
