package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/vouchhq/vouch/internal/demo"
	"github.com/vouchhq/vouch/internal/files"
)

// migrate applies pending migrations; serve does too, on start.
func (m *Main) migrate(ctx context.Context, args []string) error {
	fs := m.newFlagSet("migrate", "")
	dbf := fs.database()
	if err := fs.parse(args); err != nil {
		return err
	}
	db, err := dbf.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "Database (%s) is at schema version %d.\n", db.Engine, v)
	return nil
}

// backup copies a SQLite database while it is in use.
func (m *Main) backup(ctx context.Context, args []string) error {
	fs := m.newFlagSet("backup", "FILE")
	dbf := fs.database()
	if err := fs.parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usageError{"name one backup file, e.g. vouch backup vouch-2026-11-23.db"}
	}
	db, err := dbf.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, fs.Arg(0)); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "Backed up %s to %s. To restore, stop Vouch and copy it over %s.\n", db.Path, fs.Arg(0), db.Path)
	// Uploaded content files live beside the database with SQLite.
	dir := files.BackupDir(fs.Arg(0))
	n, err := files.Backup(db, dir)
	if err != nil {
		return err
	}
	if n > 0 {
		fmt.Fprintf(m.Stdout, "Backed up %d uploaded files to %s. To restore, copy them into %s.\n", n, dir,
			filepath.Join(filepath.Dir(db.Path), "files"))
	}
	return nil
}

// demo loads the demo dataset.
func (m *Main) demo(ctx context.Context, args []string) error {
	fs := m.newFlagSet("demo", "")
	seed := fs.integer("seed", 1, "random seed: the same seed always gives the same dataset")
	refs := fs.integer("references", demo.DefaultReferences, "how many references to generate")
	baseURL := fs.str("base-url", "http://127.0.0.1:8080", "where links in the demo's mails point (the server's public URL)")
	dbf := fs.database()
	if err := fs.parse(args); err != nil {
		return err
	}
	db, err := dbf.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	return m.loadDemo(ctx, db, demo.Options{Seed: int64(*seed), References: *refs, BaseURL: *baseURL})
}

func (m *Main) printVersion(ctx context.Context, args []string) error {
	fs := m.newFlagSet("version", "")
	if err := fs.parse(args); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "vouch %s\n", version)
	return nil
}
