// Package server assembles Vouch's HTTP server: the web UI, the JSON API,
// health checks and metrics behind one set of middleware, with graceful shutdown.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/vouchhq/vouch/internal/analytics"
	"github.com/vouchhq/vouch/internal/api"
	"github.com/vouchhq/vouch/internal/cadence"
	"github.com/vouchhq/vouch/internal/campaigns"
	"github.com/vouchhq/vouch/internal/catalog"
	"github.com/vouchhq/vouch/internal/changefeed"
	"github.com/vouchhq/vouch/internal/content"
	"github.com/vouchhq/vouch/internal/contentindex"
	"github.com/vouchhq/vouch/internal/coverage"
	"github.com/vouchhq/vouch/internal/files"
	"github.com/vouchhq/vouch/internal/fulfillment"
	"github.com/vouchhq/vouch/internal/goals"
	"github.com/vouchhq/vouch/internal/health"
	"github.com/vouchhq/vouch/internal/jobs"
	"github.com/vouchhq/vouch/internal/nominations"
	"github.com/vouchhq/vouch/internal/notify"
	"github.com/vouchhq/vouch/internal/references"
	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/scorecard"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
	"github.com/vouchhq/vouch/internal/web"
)

// Config configures the server.
type Config struct {
	Addr    string // e.g. "127.0.0.1:8080"; port 0 picks a free one
	BaseURL string // the public URL, e.g. https://vouch.example.com; https makes cookies Secure
	Version string
	Logger  *slog.Logger
	// ShutdownTimeout bounds how long in-flight requests may drain on stop.
	ShutdownTimeout time.Duration
	// SMTP is the mail server; without a Host mail stays in the outbox, unsent.
	SMTP notify.Config
	// MemoryLimit is the Go runtime's soft memory limit while serving; the
	// zero value sets none (the command line's default is automatic).
	MemoryLimit MemoryLimit
}

// Server is a configured, not yet listening, Vouch server.
type Server struct {
	cfg      Config
	db       *store.DB
	log      *slog.Logger
	handler  http.Handler
	listener net.Listener
	feed     *changefeed.Feed
	catalog  *catalog.Catalog
	index    *refindex.Index
	accounts *refindex.Accounts
	library  *contentindex.Index
	metrics  *analytics.Model
	web      *web.Handler
	fulfil   *fulfillment.Service
	content  *content.Service
	goals    *goals.Service // program and team member goals
	jobs     *jobs.Runner   // background work of web, API and services alike
	cards    *scorecard.Service
	sharing  *scorecard.Sharing // scorecard links and scheduled scorecard mail

	nominations *nominations.Service // nominations, with their duplicate index on the feed
	cadence     *cadence.Service     // the program's recurring tasks
	health      *health.Service      // program health assessments
}

// Content returns the server's content service.
func (s *Server) Content() *content.Service { return s.content }

// Library returns the server's content index.
func (s *Server) Library() *contentindex.Index { return s.library }

// Goals returns the server's goals service.
func (s *Server) Goals() *goals.Service { return s.goals }

// Metrics returns the server's metrics engine.
func (s *Server) Metrics() *analytics.Model { return s.metrics }

// Index returns the server's reference index.
func (s *Server) Index() *refindex.Index { return s.index }

// New wires every route.
func New(db *store.DB, cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.ShutdownTimeout == 0 {
		cfg.ShutdownTimeout = 15 * time.Second
	}
	s := &Server{cfg: cfg, db: db, log: cfg.Logger}
	// The read models are loaded before the first request and follow every
	// write from here on, through one feed. The catalog subscribes first:
	// the reference index copies its names.
	ctx := context.Background()
	s.feed = changefeed.New(db, cfg.Logger)
	s.catalog = catalog.New(db)
	s.index = refindex.New(db, s.catalog, cfg.Logger)
	s.accounts = refindex.NewAccounts(db, s.index)
	s.library = contentindex.New(db, s.catalog, cfg.Logger)
	s.metrics = analytics.New(db, s.catalog, cfg.Logger)
	for _, m := range []struct {
		name  string
		kinds []vouch.EntityKind
		model changefeed.ReadModel
	}{{"catalog", catalog.Kinds, s.catalog}, {"reference index", refindex.Kinds, s.index},
		{"account list", refindex.AccountKinds, s.accounts}, {"content index", contentindex.Kinds, s.library},
		{"metrics engine", analytics.Kinds, s.metrics}} {
		if _, err := s.feed.Subscribe(ctx, m.name, m.kinds, m.model); err != nil {
			s.feed.Close()
			return nil, err
		}
	}
	var err error
	s.fulfil, err = fulfillment.New(ctx, db, s.index, cfg.BaseURL, cfg.Logger)
	if err != nil {
		return nil, err
	}
	refs := references.New(db, s.catalog)
	// Nominations: the duplicate index follows accounts, references and
	// nominations on the same feed as the other read models.
	dupes := nominations.NewIndex(db)
	if _, err := s.feed.Subscribe(ctx, "nomination duplicates", nominations.Kinds, dupes); err != nil {
		s.feed.Close()
		return nil, err
	}
	s.nominations = nominations.New(db, refs, dupes)
	s.nominations.SetBaseURL(cfg.BaseURL)
	// One runner for every background job: jobs an earlier run left running
	// are marked failed before any page shows them.
	if s.jobs, err = jobs.New(ctx, db, jobs.Options{Logger: cfg.Logger}); err != nil {
		return nil, err
	}
	fileStore, err := files.New(db)
	if err != nil {
		return nil, err
	}
	lib := content.New(db, s.catalog)
	lib.SetFiles(fileStore, s.jobs)
	lib.SetLogger(cfg.Logger)
	s.content = lib
	s.goals = goals.New(db, s.catalog, s.metrics)
	// The scorecard reads every figure from the metrics engine, and the
	// progress of the program goals from the goals service.
	s.cards = scorecard.New(s.metrics, s.catalog, db.Clock.Today, s.goals)
	s.cards.SetUsers(db)
	s.sharing = scorecard.NewSharing(db, func(ctx context.Context, q vouch.MetricQuery) (*vouch.Scorecard, error) {
		c, err := s.cards.Card(ctx, scorecard.Selection{Query: q})
		if err != nil {
			return nil, err
		}
		return c.Scorecard, nil
	}, s.catalog.ValueName)
	// The cadence starts with its default tasks for a new program; the
	// health signals read the metrics engine and the cadence.
	s.cadence = cadence.New(db, s.catalog)
	if err := s.cadence.Seed(ctx); err != nil {
		return nil, fmt.Errorf("seeding the program cadence: %w", err)
	}
	s.health = health.New(db, s.catalog, s.metrics, s.cadence)
	s.health.SetCoverage(coverage.Reader{Index: s.index, Metrics: s.metrics, Catalog: s.catalog})
	// Campaigns nominate through the nominations service and rank
	// candidates by the recent wins the metrics engine knows; the outreach
	// preview reads the ask ledger's model.
	camps := campaigns.New(db, s.catalog, s.nominations, s.index.Ledger())
	camps.SetWins(s.metrics)
	https := strings.HasPrefix(cfg.BaseURL, "https://")
	w, err := web.New(db, web.Options{
		References:     refs,
		Catalog:        s.catalog,
		Index:          s.index,
		Accounts:       s.accounts,
		Fulfillment:    s.fulfil,
		Content:        lib,
		Library:        s.library,
		Metrics:        s.metrics,
		Goals:          s.goals,
		Scorecard:      s.cards,
		Sharing:        s.sharing,
		Nominations:    s.nominations,
		Jobs:           s.jobs,
		MailConfigured: cfg.SMTP.Enabled(),
		Cadence:        s.cadence,
		Health:         s.health,
		Campaigns:      camps,
		SecureCookies:  https,
		Logger:         cfg.Logger,
		Version:        cfg.Version,
	})
	if err != nil {
		return nil, err
	}
	s.web = w
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", s.ready)
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m := newMetrics(reg)
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	api.New(db, s.catalog, s.index, s.accounts, s.fulfil, refs, cfg.Logger).WithContent(lib, s.library).WithMeasure(s.metrics, s.jobs).WithGoals(s.goals).WithScorecard(s.cards).WithSharing(s.sharing).WithNominations(s.nominations).WithCampaigns(camps).WithCadence(s.cadence, s.health).Routes(mux)
	w.Routes(mux)

	// Every non-safe browser request from another origin is refused before it
	// reaches a handler (CSRF). API clients send no Origin or Sec-Fetch-Site header.
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.log.Warn("cross-origin request refused", "method", r.Method, "path", vouch.LoggablePath(r.URL.Path), "origin", r.Header.Get("Origin"))
		http.Error(w, "Cross-origin request refused: this form did not come from Vouch.", http.StatusForbidden)
	}))
	s.handler = m.wrap(s.recoverer(securityHeaders(https, cop.Handler(s.checkInput(mux)))))
	return s, nil
}

// Handler returns the root handler (for tests that use httptest).
func (s *Server) Handler() http.Handler { return s.handler }

func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.db.Ping(ctx); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "database unreachable")
		return
	}
	fmt.Fprintln(w, "ok")
}

// Listen binds the address; its error names the problem ("port in use").
func (s *Server) Listen() error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("cannot listen on %s: the port is already in use (is another Vouch running? choose another with --addr)", s.cfg.Addr)
		}
		return fmt.Errorf("cannot listen on %s: %w", s.cfg.Addr, unwrapOpError(err))
	}
	s.listener = ln
	if s.cfg.BaseURL == "" {
		// Links in mails need an absolute address; without --base-url it is
		// the one just bound, which is right for a laptop and a demo.
		s.fulfil.SetBaseURL("http://" + ln.Addr().String())
		s.nominations.SetBaseURL("http://" + ln.Addr().String())
	}
	return nil
}

func unwrapOpError(err error) error {
	var oe *net.OpError
	if errors.As(err, &oe) {
		return oe.Err
	}
	return err
}

// Addr returns the bound address, after Listen.
func (s *Server) Addr() string { return s.listener.Addr().String() }

// Serve serves until ctx is cancelled, then stops accepting connections and
// lets in-flight requests finish (up to ShutdownTimeout).
func (s *Server) Serve(ctx context.Context) error {
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // uploads of large spreadsheets
		WriteTimeout:      5 * time.Minute, // large exports
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(s.listener) }()
	// Background work stops, and is waited for, before Serve returns: the
	// caller closes the database next.
	bg, stopBackground := context.WithCancel(context.Background())
	var background sync.WaitGroup
	background.Go(func() { s.feed.Run(bg, ChangePollInterval) })
	background.Go(func() { s.wakeResting(bg) })
	// The limit is the process's; it is put back when Serve returns, so a
	// server started inside another program (tests) leaves no trace.
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	switch {
	case s.cfg.MemoryLimit.Auto:
		background.Go(func() { followLiveHeap(bg, memoryFollowInterval) })
	case s.cfg.MemoryLimit.Bytes > 0:
		debug.SetMemoryLimit(s.cfg.MemoryLimit.Bytes)
	}
	if s.cfg.SMTP.Enabled() {
		// Mail stops being sent as soon as shutdown starts (a send under way
		// finishes), not after the drain: the outbox keeps the rest.
		mailCtx, stopMail := context.WithCancel(ctx)
		stopWithBackground := context.AfterFunc(bg, stopMail)
		sender := notify.NewSender(s.db, s.cfg.SMTP, s.log)
		background.Go(func() {
			defer stopWithBackground()
			defer stopMail()
			sender.Run(mailCtx)
		})
	} else {
		s.log.Info("SMTP is not configured: mail is kept in the outbox, unsent (see --smtp-host)")
	}
	background.Go(func() { s.fulfil.RunReminders(bg, ReminderInterval) })
	// Files whose text a stopped server did not finish reading are read again.
	background.Go(func() {
		if err := s.content.ResumeText(bg); err != nil && bg.Err() == nil {
			s.log.Error("reading the text of files left pending", "err", err)
		}
	})
	background.Go(func() { s.content.RunExpiryEvery(bg, ConsentInterval, s.fulfil.BaseURL, s.log) })
	background.Go(func() { s.sharing.RunSchedulesEvery(bg, ScheduleInterval, s.fulfil.BaseURL, s.log) })
	background.Go(func() { s.cadence.RunRemindersEvery(bg, ConsentInterval, s.fulfil.BaseURL, s.log) })
	defer func() {
		stopBackground()
		background.Wait()
		s.feed.Close()
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down: draining in-flight requests")
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	// Imports still running in the background are stopped (their transaction
	// rolls back: nothing half-written) and their uploads removed, before the
	// caller closes the database.
	s.web.Close()
	s.jobs.Close()
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// ReminderInterval is how often unanswered asks are looked at for a
// reminder or expiry.
const ReminderInterval = 5 * time.Minute

// ScheduleInterval is how often scheduled scorecards are looked at: each
// goes out within this long after its month or quarter closes.
const ScheduleInterval = time.Hour

// ConsentInterval is how often content whose consent ended is marked
// expired and owners of content whose consent ends soon are reminded.
const ConsentInterval = time.Hour

// ChangePollInterval is how often the server looks for writes made by other
// processes; such writes show up in searches within about this long.
const ChangePollInterval = 500 * time.Millisecond

// wakeResting makes references whose rest has ended active again, at start
// and every ten minutes. Searches already treat them as active; this records
// the change in their history and the audit log.
func (s *Server) wakeResting(ctx context.Context) {
	tick := time.NewTicker(10 * time.Minute)
	defer tick.Stop()
	for {
		if n, err := s.db.WakeRestingReferences(ctx, s.db.Today()); err != nil && ctx.Err() == nil {
			s.log.Error("waking resting references", "err", err)
		} else if n > 0 {
			s.log.Info("resting references are active again", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// securityHeaders sets the headers every answer carries. Behind an https base
// URL, HSTS tells browsers to use https for a year, subdomains included, so
// a network attacker cannot downgrade a later visit to http; on http it is
// left out, since browsers would then refuse the only address that works.
func securityHeaders(https bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if https {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")
		next.ServeHTTP(w, r)
	})
}

// recoverer turns a panic into a logged 500 rather than a dropped connection.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "method", r.Method, "path", vouch.LoggablePath(r.URL.Path), "panic", v)
				http.Error(w, "Internal server error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}
