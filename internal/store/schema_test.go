package store_test

import (
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// column is one column as both catalogs can describe it.
type column struct {
	Name    string
	Type    string // a loose class: int, text, bool, time, float, bytes
	NotNull bool
}

// schema is what the migrations made: tables and views with their columns,
// and indexes by name.
type schema struct {
	Tables  map[string][]column
	Views   map[string][]string // column names, in order (SELECT * reads them so)
	Indexes []string
	// Search names the full-text tables: FTS5 virtual tables on SQLite,
	// tables with a tsvector column on PostgreSQL. Their columns differ by
	// design; their names must agree.
	Search []string
}

// TestMigrationSchemasAgree applies every migration of both dialects to
// fresh databases and compares what they made: tables, columns in order
// with a loose type and nullability, views with their columns, and index
// names. It reads the catalogs, so it checks new migrations without change.
// What one engine does in a way of its own is left out on purpose:
// SQLite's virtual tables (FTS5) with their shadow tables, and PostgreSQL's
// tsvector columns and GIN indexes, which serve the same search.
func TestMigrationSchemasAgree(t *testing.T) {
	if len(testdb.Dialects()) < 2 {
		t.Skip(testdb.EnvPostgres + " is not set: there is only one schema to look at")
	}
	lite := readSQLiteSchema(t, testdb.DSN(t, "sqlite"))
	pg := readPostgresSchema(t, testdb.DSN(t, "postgres"))
	if len(lite.Tables) == 0 || len(lite.Views) == 0 || len(lite.Indexes) == 0 {
		t.Fatalf("SQLite catalog read as %+v: the test reads nothing", lite)
	}
	if diff := cmp.Diff(lite, pg); diff != "" {
		t.Fatalf("the SQLite and PostgreSQL migrations disagree (-sqlite +postgres):\n%s", diff)
	}
}

func readSQLiteSchema(t *testing.T, dsn string) schema {
	t.Helper()
	mustOpenClose(t, dsn)
	db, err := sql.Open("sqlite", "file:"+dsn+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := schema{Tables: map[string][]column{}, Views: map[string][]string{}}
	type object struct{ typ, name, sql string }
	var objs []object
	var virtual []string
	rows := query(t, db, `SELECT type, name, COALESCE(sql, '') FROM sqlite_master
		WHERE name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version' AND type IN ('table', 'view', 'index')`)
	for rows.Next() {
		var o object
		if err := rows.Scan(&o.typ, &o.name, &o.sql); err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(strings.ToUpper(o.sql), "CREATE VIRTUAL TABLE") {
			virtual = append(virtual, o.name)
		}
		objs = append(objs, o)
	}
	rows.Close()
	s.Search = append(s.Search, virtual...)
	sort.Strings(s.Search)
	shadowOfVirtual := func(name string) bool {
		for _, v := range virtual {
			if name == v || strings.HasPrefix(name, v+"_") {
				return true
			}
		}
		return false
	}
	for _, o := range objs {
		if shadowOfVirtual(o.name) {
			continue
		}
		switch o.typ {
		case "index":
			if o.sql != "" { // "" is an index SQLite made for a constraint
				s.Indexes = append(s.Indexes, o.name)
			}
		case "table", "view":
			rows := query(t, db, fmt.Sprintf("SELECT name, type, \"notnull\", pk FROM pragma_table_info(%s)", quote(o.name)))
			for rows.Next() {
				var c column
				var typ string
				var notNull, pk int
				if err := rows.Scan(&c.Name, &typ, &notNull, &pk); err != nil {
					t.Fatal(err)
				}
				if o.typ == "view" {
					s.Views[o.name] = append(s.Views[o.name], c.Name)
					continue
				}
				c.Type = typeClass(typ)
				c.NotNull = notNull == 1 || pk > 0 // a primary key is never null
				s.Tables[o.name] = append(s.Tables[o.name], c)
			}
			rows.Close()
		}
	}
	sort.Strings(s.Indexes)
	return s
}

func readPostgresSchema(t *testing.T, dsn string) schema {
	t.Helper()
	mustOpenClose(t, dsn)
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := schema{Tables: map[string][]column{}, Views: map[string][]string{}}
	rows := query(t, db, `SELECT c.table_name, t.table_type, c.column_name, c.data_type, c.is_nullable = 'NO'
		FROM information_schema.columns c
		JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		WHERE c.table_schema = current_schema() AND c.table_name <> 'goose_db_version'
		ORDER BY c.table_name, c.ordinal_position`)
	for rows.Next() {
		var table, tableType, name, typ string
		var notNull bool
		if err := rows.Scan(&table, &tableType, &name, &typ, &notNull); err != nil {
			t.Fatal(err)
		}
		switch {
		case tableType == "VIEW":
			s.Views[table] = append(s.Views[table], name)
		case typ == "tsvector":
			// PostgreSQL's search column; SQLite keeps search in FTS5.
			if !slices.Contains(s.Search, table) {
				s.Search = append(s.Search, table)
			}
		default:
			s.Tables[table] = append(s.Tables[table], column{Name: name, Type: typeClass(typ), NotNull: notNull})
		}
	}
	rows.Close()
	for _, table := range s.Search {
		delete(s.Tables, table)
	}
	sort.Strings(s.Search)
	// Indexes that back a constraint (primary key, unique) have names of
	// PostgreSQL's choosing, as their SQLite twins have; GIN has no SQLite twin.
	rows = query(t, db, `SELECT i.indexname FROM pg_indexes i
		WHERE i.schemaname = current_schema() AND i.tablename <> 'goose_db_version'
		  AND i.indexdef NOT LIKE '% USING gin %'
		  AND NOT EXISTS (SELECT 1 FROM pg_constraint c
		                  WHERE c.conname = i.indexname AND c.connamespace = current_schema()::regnamespace)
		ORDER BY i.indexname`)
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		s.Indexes = append(s.Indexes, name)
	}
	rows.Close()
	sort.Strings(s.Indexes)
	return s
}

// typeClass maps a declared type of either engine to a loose class, so
// that INTEGER and BIGINT, TIMESTAMP and timestamptz compare equal.
func typeClass(typ string) string {
	typ = strings.ToLower(typ)
	switch {
	case strings.Contains(typ, "int"), typ == "serial", typ == "bigserial":
		return "int"
	case strings.Contains(typ, "char"), strings.Contains(typ, "text"), strings.Contains(typ, "clob"), strings.HasPrefix(typ, "json"):
		return "text"
	case strings.HasPrefix(typ, "bool"):
		return "bool"
	case strings.HasPrefix(typ, "timestamp"), typ == "datetime", typ == "date":
		return "time"
	case strings.Contains(typ, "real"), strings.Contains(typ, "double"), strings.Contains(typ, "float"), strings.Contains(typ, "numeric"), strings.Contains(typ, "decimal"):
		return "float"
	case typ == "blob", typ == "bytea":
		return "bytes"
	}
	return typ // unknown: compared as written, so a mismatch shows
}

// mustOpenClose applies every migration through the store itself.
func mustOpenClose(t *testing.T, dsn string) {
	t.Helper()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
}

func query(t *testing.T, db *sql.DB, q string) *sql.Rows {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return rows
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
