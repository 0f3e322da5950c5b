package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/rapportdesk/rapport/internal/config"
	"github.com/rapportdesk/rapport/internal/store"
)

// runConfig prints the effective configuration: each setting, its value
// (secrets masked) and where the value came from.
func runConfig(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, cf := newConfigFlags("config", stderr, config.Keys()...)
	if err := parse(fs, args); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tVALUE\tFROM")
	for _, s := range cf.Config.Settings() {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", s.Key, s.Value, s.From)
	}
	return tw.Flush()
}

// runBackup copies a SQLite database while it is in use.
func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dsn := newFlags("backup", stderr)
	to := fs.String("to", "", "`FILE` to write the copy to (required)")
	force := fs.Bool("force", false, "replace the file if it exists")
	if err := parse(fs, args); err != nil {
		return err
	}
	if store.IsPostgres(*dsn) {
		// Say so before connecting: the advice does not need the server.
		return fmt.Errorf("%w: %s", errUsage, store.PostgresBackupHelp)
	}
	if *to == "" {
		return fmt.Errorf("%w: --to FILE is required: the file to write the copy to", errUsage)
	}
	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, *to, *force); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Copied %s to %s.\n", *dsn, *to)
	return nil
}
