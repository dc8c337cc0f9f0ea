package changefeed_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/vouchhq/vouch/internal/changefeed"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

var ctx = vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})

// recorder is a read model that remembers what the feed handed it.
type recorder struct {
	mu      sync.Mutex
	loads   int
	got     []vouch.Touched
	onLoad  func() // runs inside Load, e.g. to write while loading
	failing bool   // Apply fails
}

func (r *recorder) Load(context.Context) error {
	r.mu.Lock()
	r.loads++
	fn := r.onLoad
	r.mu.Unlock()
	if fn != nil {
		fn()
	}
	return nil
}

func (r *recorder) Apply(_ context.Context, changes []vouch.Touched) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failing {
		return errors.New("the model is broken")
	}
	r.got = append(r.got, changes...)
	return nil
}

// take returns what was handed since the last take.
func (r *recorder) take() []vouch.Touched {
	r.mu.Lock()
	defer r.mu.Unlock()
	got := r.got
	r.got = nil
	return got
}

func (r *recorder) loadCount() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.loads
}

// another opens a second handle on db's database: another instance, as far
// as the feed can tell (its commits are not announced in this process).
func another(t *testing.T, db *store.DB) *store.DB {
	t.Helper()
	cfg := store.Config{URL: db.URL}
	if db.Engine == store.SQLite {
		cfg = store.Config{DataDir: strings.TrimSuffix(db.Path, "/"+store.DBFileName)}
	}
	other, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	return other
}

func subscribe(t *testing.T, f *changefeed.Feed, name string, kinds []vouch.EntityKind, m changefeed.ReadModel) func() {
	t.Helper()
	unsubscribe, err := f.Subscribe(ctx, name, kinds, m)
	if err != nil {
		t.Fatal(err)
	}
	return unsubscribe
}

func account(t *testing.T, db *store.DB, name string) *vouch.Account {
	t.Helper()
	a := &vouch.Account{Name: name}
	if err := db.CreateAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	return a
}

func poll(t *testing.T, f *changefeed.Feed) {
	t.Helper()
	if err := f.Poll(ctx); err != nil {
		t.Fatal(err)
	}
}

func accountTouch(id int64) vouch.Touched { return vouch.Touched{Kind: vouch.EntityAccount, ID: id} }

func TestFeedDeliversLocalAndOtherWrites(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := changefeed.New(db, nil)
		defer f.Close()
		accounts, values := &recorder{}, &recorder{}
		stopAccounts := subscribe(t, f, "accounts", []vouch.EntityKind{vouch.EntityAccount}, accounts)
		subscribe(t, f, "catalog", []vouch.EntityKind{vouch.EntityTaxonomyValue, vouch.EntitySetting}, values)
		if accounts.loadCount() != 1 || values.loadCount() != 1 {
			t.Fatalf("loads %d and %d, want each model loaded once on subscribing", accounts.loadCount(), values.loadCount())
		}

		// A write in this process reaches its subscriber before the write returns.
		a := account(t, db, "Acme Hospitals")
		if got := accounts.take(); !slices.Equal(got, []vouch.Touched{accountTouch(a.ID)}) {
			t.Errorf("after a local write the account model got %v, want the account", got)
		}
		if got := values.take(); len(got) != 0 {
			t.Errorf("the catalog got %v for an account write", got)
		}
		poll(t, f) // the poll sees the local write in the log too; handing it again is harmless
		accounts.take()

		// A write by another instance reaches it by polling, and only then.
		other := another(t, db)
		b := account(t, other, "Globe Bank")
		v := &vouch.TaxonomyValue{Kind: vouch.TaxIndustry, Name: "Space Mining"}
		if err := other.CreateTaxonomyValue(ctx, v); err != nil {
			t.Fatal(err)
		}
		if err := other.SetSetting(ctx, store.SettingCapacityDefault, "5"); err != nil {
			t.Fatal(err)
		}
		if got := accounts.take(); len(got) != 0 {
			t.Errorf("another instance's write reached the model without a poll: %v", got)
		}
		poll(t, f)
		if got := accounts.take(); !slices.Equal(got, []vouch.Touched{accountTouch(b.ID)}) {
			t.Errorf("after polling the account model got %v, want the other instance's account", got)
		}
		want := []vouch.Touched{{Kind: vouch.EntityTaxonomyValue, ID: v.ID}, {Kind: vouch.SettingKind(store.SettingCapacityDefault)}}
		if got := values.take(); !slices.Equal(got, want) {
			t.Errorf("after polling the catalog got %v, want %v", got, want)
		}
		poll(t, f)
		if got := accounts.take(); len(got) != 0 {
			t.Errorf("a second poll handed the same changes again: %v", got)
		}

		// Unsubscribed, a model gets nothing more, local or polled.
		stopAccounts()
		account(t, db, "Local After")
		account(t, other, "Remote After")
		poll(t, f)
		if got := accounts.take(); len(got) != 0 {
			t.Errorf("after unsubscribing the model got %v", got)
		}
	})
}

// A change committed while a model loads is handed to it afterwards: none
// is lost between the load and following.
func TestFeedLosesNothingBetweenLoadAndFollow(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := changefeed.New(db, nil)
		defer f.Close()
		first := &recorder{}
		subscribe(t, f, "first", []vouch.EntityKind{vouch.EntityAccount}, first)
		other := another(t, db)
		before := account(t, other, "Written Before") // not yet polled: the first model has not seen it
		var during *vouch.Account
		late := &recorder{onLoad: func() {
			if during == nil {
				during = account(t, other, "Written During Load")
			}
		}}
		subscribe(t, f, "late", []vouch.EntityKind{vouch.EntityAccount}, late)
		// Subscribing caught the first model up before the late one loaded.
		if got := first.take(); !slices.Equal(got, []vouch.Touched{accountTouch(before.ID)}) {
			t.Errorf("the first model got %v when another subscribed, want the pending change", got)
		}
		poll(t, f)
		if got := late.take(); !slices.Equal(got, []vouch.Touched{accountTouch(during.ID)}) {
			t.Errorf("the late model got %v, want the change committed during its load", got)
		}
		if got := first.take(); !slices.Equal(got, []vouch.Touched{accountTouch(during.ID)}) {
			t.Errorf("the first model got %v, want the change committed during the other's load", got)
		}
	})
}

// On PostgreSQL an audit id becomes visible at commit, so a smaller id can
// appear after a larger one; the feed hands it on once when it appears.
func TestFeedAppliesLateCommitsOnce(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		if db.Engine != store.Postgres {
			t.Skip("SQLite has one writer: audit ids become visible in order")
		}
		f := changefeed.New(db, nil)
		defer f.Close()
		m := &recorder{}
		subscribe(t, f, "accounts", []vouch.EntityKind{vouch.EntityAccount}, m)
		slow := account(t, db, "Slow Commit")
		m.take()
		poll(t, f)
		m.take()

		raw, err := sql.Open("pgx", db.URL)
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		tx, err := raw.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = tx.Rollback() }() // ends the transaction if the test stops before Commit
		var lateID int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO audit_log (at, actor, action, entity_type, entity_id, changes)
			VALUES (now(), 'test', 'update', 'account', $1, '[]') RETURNING id`, slow.ID).Scan(&lateID); err != nil {
			t.Fatal(err)
		}
		quick := account(t, another(t, db), "Quick Commit") // a larger id, committed first
		poll(t, f)
		if got := m.take(); !slices.Equal(got, []vouch.Touched{accountTouch(quick.ID)}) {
			t.Fatalf("got %v, want only the committed change", got)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		poll(t, f)
		if got := m.take(); !slices.Equal(got, []vouch.Touched{accountTouch(slow.ID)}) {
			t.Errorf("after the late commit got %v, want it (audit id %d) handed on", got, lateID)
		}
		poll(t, f)
		if got := m.take(); len(got) != 0 {
			t.Errorf("the late commit was handed on again: %v", got)
		}
	})
}

// A large batch (an import) loads the model afresh instead of handing it
// thousands of changes; a model whose Apply failed is loaded on the next poll.
func TestFeedReloadsAfterLargeBatchesAndFailures(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := changefeed.New(db, nil)
		defer f.Close()
		m := &recorder{}
		subscribe(t, f, "accounts", []vouch.EntityKind{vouch.EntityAccount}, m)
		other := another(t, db)
		var many []*vouch.Account
		for i := range changefeed.ReloadAbove + 1 {
			many = append(many, &vouch.Account{Name: fmt.Sprintf("Imported %d", i)})
		}
		if err := other.Batch(ctx, func(b *store.Batch) error { return b.CreateAccounts(many) }); err != nil {
			t.Fatal(err)
		}
		poll(t, f)
		if got := m.take(); len(got) != 0 || m.loadCount() != 2 {
			t.Errorf("after an import of %d accounts: %d changes handed, %d loads; want none handed and a second load",
				len(many), len(got), m.loadCount())
		}

		m.mu.Lock()
		m.failing = true
		m.mu.Unlock()
		account(t, other, "Breaks The Model")
		if err := f.Poll(ctx); err == nil || !strings.Contains(err.Error(), "accounts") {
			t.Errorf("a failing Apply gave %v, want an error naming the model", err)
		}
		m.mu.Lock()
		m.failing = false
		m.mu.Unlock()
		poll(t, f)
		if m.loadCount() != 3 {
			t.Errorf("after a failed Apply the next poll loaded %d times in all, want a third load", m.loadCount())
		}
	})
}
