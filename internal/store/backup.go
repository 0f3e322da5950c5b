package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"

	"github.com/rapportdesk/rapport"
)

// PostgresBackupHelp says how to back up PostgreSQL, which Backup does not do.
const PostgresBackupHelp = "rapport backup copies SQLite databases. For PostgreSQL use its own tools: " +
	"pg_dump -Fc -f rapport.dump 'postgres://…' makes a consistent copy while the servers run, " +
	"and pg_restore --clean --if-exists -d 'postgres://…' rapport.dump brings it back."

// Backup writes a consistent copy of a SQLite database to path while the
// database stays in use (VACUUM INTO reads one snapshot and never blocks
// the writer). The copy is made beside path and moved into place only when
// complete, so path never holds half a copy. An existing file at path is
// replaced only when overwrite is set.
func (db *DB) Backup(ctx context.Context, path string, overwrite bool) (err error) {
	if db.dialect.name != "sqlite" {
		return rapport.Errorf(rapport.EINVALID, "%s", PostgresBackupHelp)
	}
	if path == "" {
		return rapport.Invalid("to", "Please name the file to write the copy to.")
	}
	if _, err := os.Stat(path); err == nil && !overwrite {
		return rapport.Invalid("to", "%s already exists. Choose another name, or add --force to replace it.", path)
	}
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return rapport.Invalid("to", "The folder %s does not exist; please create it first.", dir)
	}
	var seq int
	var name, src string
	if err := db.read.QueryRowContext(ctx, "PRAGMA database_list").Scan(&seq, &name, &src); err != nil {
		return fmt.Errorf("backup: find the database file: %w", err)
	}
	if src == "" {
		return rapport.Errorf(rapport.EINVALID, "An in-memory database cannot be backed up.")
	}
	// The pools of db refuse VACUUM (query_only) or serve the writer, so the
	// copy runs on a read-only connection of its own.
	ro, err := sql.Open("sqlite", "file:"+(&url.URL{Path: src}).EscapedPath()+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer ro.Close()
	tmp := filepath.Join(dir, ".rapport-backup-"+rand.Text()+".tmp")
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	if _, err := ro.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		return fmt.Errorf("backup: copy %s: %w", src, err)
	}
	if err := syncFile(tmp); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if !overwrite {
		// A link fails, rather than replaces, if path appeared meanwhile.
		err = os.Link(tmp, path)
		if err == nil {
			os.Remove(tmp)
			return syncFile(dir) // the new name survives a power cut too
		}
		if _, statErr := os.Stat(path); errors.Is(err, fs.ErrExist) || statErr == nil {
			return rapport.Invalid("to", "%s already exists. Choose another name, or add --force to replace it.", path)
		}
		// No hard links on this file system: a rename will do.
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return syncFile(dir)
}

// syncFile flushes a file or folder to stable storage.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
