package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/deals"
	"github.com/vouchhq/vouch/internal/demo"
	"github.com/vouchhq/vouch/internal/server"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// serve runs the web interface and API until SIGINT/SIGTERM, then drains.
func (m *Main) serve(ctx context.Context, args []string) error {
	fs := m.newFlagSet("serve", "")
	addr := fs.str("addr", "127.0.0.1:8080", "address to listen on (host:port)")
	baseURL := fs.str("base-url", "", "public URL of this Vouch, e.g. https://vouch.example.com (used in emails; https makes cookies Secure)")
	withDemo := fs.boolean("demo", false, "load the demo dataset (and create a demo admin on an empty database)")
	logLevel := fs.str("log-level", "info", "log level: debug, info, warn or error")
	logFormat := fs.str("log-format", "text", "log format: text or json")
	memLimit := fs.str("memory-limit", "auto", "soft memory limit for the Go runtime: auto (follows the live heap), off, or a size such as 300MiB (GOMEMLIMIT, when set, rules)")
	dbf := fs.database()
	smtpf := fs.smtp()
	if err := fs.parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	log, err := newLogger(m, *logLevel, *logFormat)
	if err != nil {
		return usageError{err.Error()}
	}
	if *baseURL != "" && !strings.HasPrefix(*baseURL, "http://") && !strings.HasPrefix(*baseURL, "https://") {
		return usageError{fmt.Sprintf("--base-url %q must start with http:// or https://", *baseURL)}
	}
	smtp, err := smtpf.config(fs)
	if err != nil {
		return err
	}
	memoryLimit, err := server.ParseMemoryLimit(*memLimit)
	if err != nil {
		return usageError{"--memory-limit " + err.Error()}
	}
	if os.Getenv("GOMEMLIMIT") != "" {
		memoryLimit = server.MemoryLimit{} // the runtime has it already
	}
	// The reference index is most of the heap and lives for the whole run, so
	// the default GOGC=100 would let garbage grow as large as the index
	// before collecting. Half that keeps resident memory near the index's
	// size (100,000 references: under 300 MB) for a little more GC work.
	// GOGC and GOMEMLIMIT, when set, still rule.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}
	start := time.Now() // how long starting took, in real time: not the program's clock
	db, err := dbf.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	// A listed won or lost stage decides a deal's status (internal/deals);
	// deals saved before that rule, with a status the API set apart, are
	// brought in line once, audited, so the figures count what is stored.
	if err := deals.New(db).FollowStages(vouch.WithActor(ctx, vouch.Actor{Label: "start-up"})); err != nil {
		log.Warn("deals: following the won and lost stages", "err", err)
	}
	if *withDemo {
		if err := m.loadDemo(ctx, db, demo.Options{Seed: 1, BaseURL: demoBaseURL(*baseURL, *addr)}); err != nil {
			return err
		}
	}
	srv, err := server.New(db, server.Config{Addr: *addr, BaseURL: *baseURL, Version: version, Logger: log, SMTP: smtp,
		MemoryLimit: memoryLimit})
	if err != nil {
		return err
	}
	if err := srv.Listen(); err != nil {
		return err
	}
	url := *baseURL
	if url == "" {
		url = "http://" + srv.Addr()
	}
	log.Info("vouch is ready", "url", url, "database", string(db.Engine), "version", version,
		"startup", time.Since(start).Round(time.Millisecond).String())
	fmt.Fprintf(m.Stdout, "Vouch is running at %s (press Ctrl+C to stop)\n", url)
	if err := srv.Serve(ctx); err != nil {
		return err
	}
	log.Info("stopped")
	return nil
}

// loadDemo fills the database with the demo dataset and says how to sign
// in: the demo logins (admin, program manager, seller) that still have the
// demo password, every time, so a second start is as clear as the first.
func (m *Main) loadDemo(ctx context.Context, db *store.DB, opts demo.Options) error {
	ctx = vouch.WithActor(ctx, vouch.Actor{Label: "demo"})
	res, err := demo.Load(ctx, db, opts)
	if err != nil {
		return fmt.Errorf("loading demo data: %w", err)
	}
	fmt.Fprintln(m.Stdout, res.Summary())
	logins, err := demo.SignIns(ctx, db)
	if err != nil {
		return fmt.Errorf("reading the demo logins: %w", err)
	}
	if len(logins) > 0 {
		fmt.Fprintf(m.Stdout, "Sign in with password %q (demo only: change it on the Account page) as:\n", demo.Password)
		for _, l := range logins {
			fmt.Fprintf(m.Stdout, "  %-16s %s (%s)\n", l.Role.Label(), l.Email, l.Name)
		}
	}
	return nil
}

func newLogger(m *Main, level, format string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q must be debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(m.Stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(m.Stderr, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q must be text or json", format)
}

// demoBaseURL is where the demo's mails point: the base URL, or the
// address the server listens on.
func demoBaseURL(baseURL, addr string) string {
	if baseURL != "" {
		return baseURL
	}
	if strings.HasPrefix(addr, ":") {
		addr = "127.0.0.1" + addr
	}
	return "http://" + addr
}
