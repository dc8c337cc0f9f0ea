package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

var ctx = vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})

func mustUser(t *testing.T, db *store.DB, email string, role vouch.Role) *vouch.User {
	t.Helper()
	u := &vouch.User{Email: email, Name: strings.Split(email, "@")[0], Role: role}
	if err := db.CreateUser(ctx, u, "correct horse battery"); err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	return u
}

func TestUsers(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		u := mustUser(t, db, "Ada@Example.com", vouch.RoleAdmin)
		if u.Email != "ada@example.com" {
			t.Errorf("email stored as %q, want it lower-cased", u.Email)
		}
		if !strings.HasPrefix(u.PasswordHash, "$argon2id$") {
			t.Errorf("password hash %q is not argon2id", u.PasswordHash)
		}
		// Duplicate email, any case: a conflict on the email field.
		err := db.CreateUser(ctx, &vouch.User{Email: "ADA@example.com", Name: "Other", Role: vouch.RoleSeller}, "correct horse battery")
		if vouch.ErrorCode(err) != vouch.ECONFLICT || vouch.ErrorFields(err)["email"] == "" {
			t.Errorf("duplicate email: got %v, want conflict on email", err)
		}
		// Invalid input names every bad field and writes nothing.
		err = db.CreateUser(ctx, &vouch.User{Email: "not-an-email", Name: "", Role: "boss"}, "short")
		fields := vouch.ErrorFields(err)
		for _, f := range []string{"email", "name", "role"} {
			if fields[f] == "" {
				t.Errorf("invalid user: no reason for field %s in %v", f, err)
			}
		}
		if n, _ := db.CountUsers(ctx); n != 1 {
			t.Errorf("after failed creates there are %d users, want 1", n)
		}
		err = db.CreateUser(ctx, &vouch.User{Email: "b@example.com", Name: "B", Role: vouch.RoleSeller}, "short")
		if vouch.ErrorFields(err)["password"] == "" {
			t.Errorf("short password: got %v, want a password field error", err)
		}

		if _, err := db.Authenticate(ctx, "ada@EXAMPLE.com", "correct horse battery"); err != nil {
			t.Errorf("login with right password: %v", err)
		}
		if _, err := db.Authenticate(ctx, "ada@example.com", "wrong password!"); vouch.ErrorCode(err) != vouch.EUNAUTHORIZED {
			t.Errorf("wrong password: got %v, want unauthorized", err)
		}
		if _, err := db.Authenticate(ctx, "nobody@example.com", "correct horse battery"); vouch.ErrorCode(err) != vouch.EUNAUTHORIZED {
			t.Errorf("unknown user: got %v, want unauthorized", err)
		}

		// The last admin can be neither demoted nor disabled.
		seller := vouch.RoleSeller
		if _, err := db.UpdateUser(ctx, u.ID, vouch.UserUpdate{Role: &seller}); vouch.ErrorCode(err) != vouch.ECONFLICT {
			t.Errorf("demoting the last admin: got %v, want conflict", err)
		}
		b := mustUser(t, db, "bob@example.com", vouch.RoleSeller)
		yes := true
		if _, err := db.UpdateUser(ctx, b.ID, vouch.UserUpdate{Disabled: &yes}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Authenticate(ctx, "bob@example.com", "correct horse battery"); vouch.ErrorCode(err) != vouch.EUNAUTHORIZED ||
			!strings.Contains(vouch.ErrorMessage(err), "disabled") {
			t.Errorf("disabled user login: got %v, want 'disabled'", err)
		}
		if err := db.SetPassword(ctx, u.ID, "a brand new passphrase"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Authenticate(ctx, "ada@example.com", "a brand new passphrase"); err != nil {
			t.Errorf("login with new password: %v", err)
		}
	})
}

func TestSessions(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		u := mustUser(t, db, "ada@example.com", vouch.RoleAdmin)
		tok, s, err := db.CreateSession(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		got, gs, err := db.SessionUser(ctx, tok)
		if err != nil || got.ID != u.ID || gs.CSRFToken != s.CSRFToken {
			t.Fatalf("session lookup: user %v session %v err %v", got, gs, err)
		}
		tok2, _, _ := db.CreateSession(ctx, u.ID)
		if tok2 == tok {
			t.Fatal("two logins got the same session id")
		}
		if err := db.DeleteSession(ctx, tok); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.SessionUser(ctx, tok); vouch.ErrorCode(err) != vouch.EUNAUTHORIZED {
			t.Errorf("after logout: %v, want unauthorized", err)
		}
		// A password change ends every session.
		if err := db.SetPassword(ctx, u.ID, "another long passphrase"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.SessionUser(ctx, tok2); vouch.ErrorCode(err) != vouch.EUNAUTHORIZED {
			t.Errorf("after password change: %v, want unauthorized", err)
		}
		// Expiry.
		tok3, _, _ := db.CreateSession(ctx, u.ID)
		db.Clock.Advance(store.SessionTTL + time.Hour)
		if _, _, err := db.SessionUser(ctx, tok3); vouch.ErrorCode(err) != vouch.EUNAUTHORIZED {
			t.Errorf("expired session: %v, want unauthorized", err)
		}
	})
}

func TestTokens(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		u := mustUser(t, db, "ada@example.com", vouch.RoleAdmin)
		secret, tok, err := db.CreateToken(ctx, u.ID, "ci")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(secret, "vouch_") || !strings.HasPrefix(secret, tok.Prefix) {
			t.Errorf("secret %q / prefix %q", secret, tok.Prefix)
		}
		if got, err := db.TokenUser(ctx, secret); err != nil || got.ID != u.ID {
			t.Fatalf("token user: %v %v", got, err)
		}
		list, _ := db.ListTokens(ctx)
		if len(list) != 1 || list[0].LastUsedAt == nil {
			t.Errorf("token list %+v: want one token with last use recorded", list)
		}
		if err := db.RevokeToken(ctx, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.TokenUser(ctx, secret); vouch.ErrorCode(err) != vouch.EUNAUTHORIZED {
			t.Errorf("revoked token: %v, want unauthorized", err)
		}
		if _, err := db.TokenUser(ctx, secret+"x"); vouch.ErrorCode(err) != vouch.EUNAUTHORIZED {
			t.Errorf("tampered token: %v, want unauthorized", err)
		}
	})
}

func TestTaxonomies(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		vals, err := db.ListTaxonomy(ctx, vouch.TaxActivityType)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, v := range vals {
			names = append(names, v.Name)
		}
		if want := "Call, Site visit, Case study, Press, Analyst, Speaking, RFP, Logo, Quote, Review, Video"; strings.Join(names, ", ") != want {
			t.Errorf("seeded activity types = %s\nwant %s", strings.Join(names, ", "), want)
		}
		v := &vouch.TaxonomyValue{Kind: vouch.TaxIndustry, Name: "  Aerospace   and Defense "}
		if err := db.CreateTaxonomyValue(ctx, v); err != nil {
			t.Fatal(err)
		}
		if v.Name != "Aerospace and Defense" {
			t.Errorf("name stored as %q, want spaces folded", v.Name)
		}
		err = db.CreateTaxonomyValue(ctx, &vouch.TaxonomyValue{Kind: vouch.TaxIndustry, Name: "HEALTHCARE"})
		if vouch.ErrorCode(err) != vouch.ECONFLICT || !strings.Contains(err.Error(), "Industries already has a value") {
			t.Errorf("duplicate value in other case: %v", err)
		}
		// The same name in another picklist is fine.
		if err := db.CreateTaxonomyValue(ctx, &vouch.TaxonomyValue{Kind: vouch.TaxCompetitor, Name: "Healthcare"}); err != nil {
			t.Errorf("same name, other kind: %v", err)
		}
		yes := true
		got, err := db.UpdateTaxonomyValue(ctx, v.ID, vouch.TaxonomyUpdate{Retired: &yes})
		if err != nil || !got.Retired {
			t.Fatalf("retire: %v %v", got, err)
		}
		if err := db.DeleteTaxonomyValue(ctx, v.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.TaxonomyValue(ctx, v.ID); vouch.ErrorCode(err) != vouch.ENOTFOUND {
			t.Errorf("deleted value still there: %v", err)
		}
		// Seeding runs once: migrating again does not bring back deleted defaults.
		call := vals[0]
		if err := db.DeleteTaxonomyValue(ctx, call.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		again, _ := db.ListTaxonomy(ctx, vouch.TaxActivityType)
		if len(again) != len(vals)-1 {
			t.Errorf("after re-migrate %d activity types, want %d", len(again), len(vals)-1)
		}
	})
}

func TestAuditRecordsEveryChange(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		admin := mustUser(t, db, "ada@example.com", vouch.RoleAdmin)
		actx := vouch.WithActor(context.Background(), vouch.UserActor(admin))
		b := &vouch.User{Email: "bob@example.com", Name: "Bob", Role: vouch.RoleSeller}
		if err := db.CreateUser(actx, b, "correct horse battery"); err != nil {
			t.Fatal(err)
		}
		pm := vouch.RoleProgramManager
		name := "Robert"
		if _, err := db.UpdateUser(actx, b.ID, vouch.UserUpdate{Role: &pm, Name: &name}); err != nil {
			t.Fatal(err)
		}
		entries, total, err := db.ListAudit(ctx, vouch.AuditFilter{EntityType: "user", EntityID: b.ID})
		if err != nil {
			t.Fatal(err)
		}
		if total != 2 || len(entries) != 2 {
			t.Fatalf("audit for bob: total %d, %d entries; want 2", total, len(entries))
		}
		upd := entries[0]
		if upd.Action != "update" || upd.Actor != "ada@example.com" || upd.ActorID != admin.ID {
			t.Errorf("newest entry %+v: want update by ada", upd)
		}
		want := map[string][2]any{"name": {"Bob", "Robert"}, "role": {"seller", "program_manager"}}
		if len(upd.Changes) != 2 {
			t.Fatalf("changes %+v, want name and role", upd.Changes)
		}
		for _, c := range upd.Changes {
			if w := want[c.Field]; c.Before != w[0] || c.After != w[1] {
				t.Errorf("change %s: %v → %v, want %v → %v", c.Field, c.Before, c.After, w[0], w[1])
			}
		}
		// A failed write leaves no audit entry.
		before, _, _ := db.ListAudit(ctx, vouch.AuditFilter{})
		if err := db.CreateUser(actx, &vouch.User{Email: "bob@example.com", Name: "Dup", Role: vouch.RoleSeller}, "correct horse battery"); err == nil {
			t.Fatal("a second user with the same email was created")
		}
		after, _, _ := db.ListAudit(ctx, vouch.AuditFilter{})
		if len(after) != len(before) {
			t.Errorf("a failed create was audited")
		}
		// Cursor pagination: pages do not overlap and cover everything.
		var seen []int64
		cursor := int64(0)
		for {
			page, _, err := db.ListAudit(ctx, vouch.AuditFilter{Limit: 2, BeforeID: cursor})
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			for _, e := range page {
				seen = append(seen, e.ID)
			}
			cursor = page[len(page)-1].ID
		}
		_, all, _ := db.ListAudit(ctx, vouch.AuditFilter{})
		if len(seen) != all {
			t.Errorf("paged through %d entries, total %d", len(seen), all)
		}
	})
}

// Many goroutines writing at once must all succeed: on SQLite the single
// writer connection queues them instead of failing with "database is locked".
func TestConcurrentWriters(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for i := 0; i < 40; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				errs <- db.CreateTaxonomyValue(ctx, &vouch.TaxonomyValue{Kind: vouch.TaxProduct, Name: fmt.Sprintf("Product %d", i)})
			}(i)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
	})
}

func TestOpenErrors(t *testing.T) {
	ro := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(ro, 0o500); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() != 0 { // root writes anywhere
		_, err := store.Open(ctx, store.Config{DataDir: ro})
		if err == nil || !strings.Contains(err.Error(), "is not writable") {
			t.Errorf("read-only data dir: %v", err)
		}
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := store.Open(ctx, store.Config{DataDir: filepath.Join(file, "sub")})
	if err == nil || !strings.Contains(err.Error(), "cannot create data directory") {
		t.Errorf("data dir under a file: %v", err)
	}
	_, err = store.Open(ctx, store.Config{URL: "postgres://u:secret@host:notaport/db"})
	if err == nil || !strings.Contains(err.Error(), "not a valid PostgreSQL URL") || strings.Contains(err.Error(), "secret") {
		t.Errorf("bad URL: %v", err)
	}
	_, err = store.Open(ctx, store.Config{URL: "postgres://u:secret@127.0.0.1:1/db?connect_timeout=2"})
	if err == nil || !strings.Contains(err.Error(), "cannot reach PostgreSQL at 127.0.0.1:1") {
		t.Errorf("unreachable: %v", err)
	}
}

func TestBackupWhileInUse(t *testing.T) {
	db := testutil.OpenDB(t, store.SQLite)
	mustUser(t, db, "ada@example.com", vouch.RoleAdmin)
	file := filepath.Join(t.TempDir(), "backup.db")
	if err := db.Backup(ctx, file); err != nil {
		t.Fatal(err)
	}
	copyDir := t.TempDir()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(copyDir, store.DBFileName), data, 0o600); err != nil {
		t.Fatal(err)
	}
	restored, err := store.Open(ctx, store.Config{DataDir: copyDir})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if _, err := restored.UserByEmail(ctx, "ada@example.com"); err != nil {
		t.Errorf("backup lacks the user: %v", err)
	}
	if err := db.Backup(ctx, file); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("backup over an existing file: %v", err)
	}
}
