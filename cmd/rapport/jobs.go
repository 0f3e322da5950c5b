package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
)

// runJobs is `rapport jobs [list|retry ID]`: the background jobs, and the
// way to give a dead one another go once its cause is fixed.
func runJobs(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runGroup(ctx, "jobs", args, stdout, stderr, map[string]command{"list": runJobsList, "retry": runJobsRetry})
}

// command is one subcommand: its arguments after the name, and the output.
type command func(ctx context.Context, args []string, stdout, stderr io.Writer) error

// runGroup runs the subcommand of group named by args[0], "list" when
// args is empty or starts with a flag.
func runGroup(ctx context.Context, group string, args []string, stdout, stderr io.Writer, subs map[string]command) error {
	sub := "list"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	if run, ok := subs[sub]; ok {
		return run(ctx, args, stdout, stderr)
	}
	return fmt.Errorf("%w: unknown command \"%s %s\"; see rapport help", errUsage, group, sub)
}

func runJobsList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dsn := newFlags("jobs list", stderr)
	state := fs.String("state", "", "only jobs in this state: ready, running or dead (default: all)")
	limit := fs.Int("limit", 100, "at most this many, newest first")
	if err := parse(fs, args); err != nil {
		return err
	}
	return withDesk(ctx, *dsn, func(d *desk.Desk) error {
		jobs, err := d.Jobs(ctx, rapport.JobFilter{State: rapport.JobState(*state), Limit: *limit})
		if err != nil {
			return err
		}
		if len(jobs) == 0 {
			fmt.Fprintln(stdout, "No jobs.")
			return nil
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tKIND\tSTATE\tATTEMPTS\tRUN AT\tLAST ERROR")
		for _, j := range jobs {
			why := strings.Join(strings.Fields(j.LastError), " ")
			if len(why) > 100 {
				why = why[:100] + "…"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%d/%d\t%s\t%s\n", j.ID, j.Kind, j.State, j.Attempts, j.MaxAttempts,
				j.RunAt.Format(time.RFC3339), why)
		}
		return tw.Flush()
	})
}

func runJobsRetry(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dsn := newFlags("jobs retry", stderr)
	// The id comes first (rapport jobs retry 42 [--db ...]).
	var idArg string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		idArg, args = args[0], args[1:]
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if idArg == "" && fs.NArg() > 0 {
		idArg = fs.Arg(0)
	}
	id, err := strconv.ParseInt(idArg, 10, 64)
	if err != nil || id <= 0 {
		return fmt.Errorf("%w: rapport jobs retry needs a job number, like: rapport jobs retry 42 (see rapport jobs list --state dead)", errUsage)
	}
	return withDesk(ctx, *dsn, func(d *desk.Desk) error {
		j, err := d.RetryJob(ctx, id)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Job %d (%s) will run again now, with %d fresh attempts.\n", j.ID, j.Kind, j.MaxAttempts)
		return nil
	})
}
