// Package changefeed keeps in-memory read models current with every write to
// the database: this process's own writes as they commit, and other
// processes' writes (other instances, the command line) by polling the audit
// log. A read model subscribes with the entity kinds it cares about and is
// handed the entities of those kinds that changed.
package changefeed

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// ReadModel is data held in memory and rebuilt from the database.
type ReadModel interface {
	// Load reads the model afresh from the database.
	Load(ctx context.Context) error
	// Apply brings the model up to date with changed entities, all of the
	// kinds it subscribed to. An entity may come more than once, and may be
	// gone (deleted): Apply reads its current state.
	Apply(ctx context.Context, changes []vouch.Touched) error
}

// ReloadAbove is the batch size past which a model is loaded afresh rather
// than handed the changes: past a few thousand (an import, a demo load), one
// full load beats looking up each entity.
const ReloadAbove = 2000

// lookback is how far behind the newest change a poll re-reads. On
// PostgreSQL ids are handed out at insert but become visible at commit, so a
// smaller id can appear after a larger one; re-reading a window and skipping
// ids already seen catches it. (SQLite has one writer: ids appear in order.)
const lookback = 500

// pageSize is how many audit entries one poll reads at a time.
const pageSize = 5000

// Feed delivers changes to the read models subscribed to it. Models get
// changes in the order they subscribed, so a model may read from one that
// subscribed before it (the reference index reads the catalog's names).
type Feed struct {
	db        *store.DB
	log       *slog.Logger
	stopLocal func()

	// polling lets one poll or subscription run at a time; it guards the
	// position in the audit log.
	polling sync.Mutex
	started bool
	last    int64          // the newest audit id seen
	seen    map[int64]bool // ids seen within the lookback window

	mu   sync.RWMutex
	subs []*subscription
}

// subscription is one read model and the kinds it follows.
type subscription struct {
	name  string
	kinds map[vouch.EntityKind]bool
	model ReadModel

	// mu lets one Load or Apply of the model run at a time, so a model need
	// not order its own reloads.
	mu    sync.Mutex
	gone  bool // unsubscribed: deliver nothing more
	stale bool // an Apply failed: the next poll loads the model afresh
}

// New returns a feed over db, following this process's commits from now on.
// Call Close when done with it.
func New(db *store.DB, log *slog.Logger) *Feed {
	if log == nil {
		log = slog.Default()
	}
	f := &Feed{db: db, log: log}
	f.stopLocal = db.Subscribe(f.local)
	return f
}

// Close stops following this process's commits. Models stay as they are.
func (f *Feed) Close() { f.stopLocal() }

// Subscribe loads model and from then on hands it every change of the given
// (base) kinds: no change committed between its load and its first change is
// lost. name says which model failed, in errors and logs. The returned func
// unsubscribes it; once it returns, the model is handed nothing more.
func (f *Feed) Subscribe(ctx context.Context, name string, kinds []vouch.EntityKind, model ReadModel) (unsubscribe func(), err error) {
	if len(kinds) == 0 {
		return nil, fmt.Errorf("read model %s subscribes to no entity kinds", name)
	}
	sub := &subscription{name: name, kinds: map[vouch.EntityKind]bool{}, model: model}
	for _, k := range kinds {
		sub.kinds[k.Base()] = true
	}
	f.polling.Lock()
	defer f.polling.Unlock()
	// Catch up first: every change seen so far was committed before the load
	// below reads, so the load reflects it; every change not seen yet is
	// handed to the model by a later poll (or, when local, at its commit).
	if err := f.poll(ctx); err != nil {
		return nil, err
	}
	if err := model.Load(ctx); err != nil {
		return nil, fmt.Errorf("loading %s: %w", name, err)
	}
	f.mu.Lock()
	f.subs = append(f.subs, sub)
	f.mu.Unlock()
	return func() {
		f.mu.Lock()
		for i, s := range f.subs {
			if s == sub {
				f.subs = append(f.subs[:i:i], f.subs[i+1:]...)
				break
			}
		}
		f.mu.Unlock()
		sub.mu.Lock()
		sub.gone = true
		sub.mu.Unlock()
	}, nil
}

// local hands a commit of this process to the models before the commit
// returns to its caller, so a person sees their own write on the next page.
func (f *Feed) local(changes []vouch.Touched) {
	for _, sub := range f.subscriptions() {
		mine := sub.filter(changes)
		if len(mine) == 0 {
			continue
		}
		if err := sub.deliver(context.Background(), mine, false); err != nil {
			f.log.Error("read model: applying a local change", "model", sub.name, "err", err)
		}
	}
}

func (f *Feed) subscriptions() []*subscription {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return append([]*subscription(nil), f.subs...)
}

// Poll hands the models every change committed since the last poll, by any
// process. Run calls it every interval; tests call it to catch up at once.
func (f *Feed) Poll(ctx context.Context) error {
	f.polling.Lock()
	defer f.polling.Unlock()
	return f.poll(ctx)
}

// Run polls every interval until ctx ends.
func (f *Feed) Run(ctx context.Context, interval time.Duration) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if err := f.Poll(ctx); err != nil && ctx.Err() == nil {
				f.log.Error("read models: following changes", "err", err)
			}
		}
	}
}

// poll reads the audit log past the position; the caller holds polling.
func (f *Feed) poll(ctx context.Context) error {
	if !f.started {
		last, err := f.db.LastChangeID(ctx)
		if err != nil {
			return err
		}
		f.started, f.last, f.seen = true, last, map[int64]bool{}
	}
	from := max(f.last-lookback, 0)
	var failed error
	for {
		changes, err := f.db.ChangesSince(ctx, from, pageSize)
		if err != nil {
			return err
		}
		var todo []vouch.Touched
		for _, c := range changes {
			if c.AuditID <= f.last-lookback || f.seen[c.AuditID] {
				continue
			}
			// Ids at or below last that were not seen are late commits: hand them on too.
			f.seen[c.AuditID] = true
			todo = append(todo, c.Touched)
			f.last = max(f.last, c.AuditID)
		}
		for _, sub := range f.subscriptions() {
			if err := sub.deliver(ctx, sub.filter(todo), true); err != nil {
				failed = errors.Join(failed, fmt.Errorf("%s: %w", sub.name, err))
			}
		}
		for id := range f.seen {
			if id <= f.last-lookback {
				delete(f.seen, id)
			}
		}
		if len(changes) < pageSize {
			return failed
		}
		from = changes[len(changes)-1].AuditID
	}
}

// filter keeps the changes of the subscription's kinds.
func (s *subscription) filter(changes []vouch.Touched) []vouch.Touched {
	var out []vouch.Touched
	for _, c := range changes {
		if s.kinds[c.Kind.Base()] {
			out = append(out, c)
		}
	}
	return out
}

// deliver hands changes to the model, loading it afresh when they are many
// or when an earlier Apply failed (polls only: a failed model must not make
// a person's save wait for a full load).
func (s *subscription) deliver(ctx context.Context, changes []vouch.Touched, polled bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.gone:
		return nil
	case (s.stale && polled) || len(changes) > ReloadAbove:
		if err := s.model.Load(ctx); err != nil {
			s.stale = true
			return err
		}
		s.stale = false
	case len(changes) > 0:
		if err := s.model.Apply(ctx, changes); err != nil {
			s.stale = true
			return err
		}
	}
	return nil
}
