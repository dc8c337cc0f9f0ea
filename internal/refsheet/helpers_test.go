package refsheet_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/refsheet"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

var ctx = vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})

// readFile reads a file of testdata.
func readFile(t *testing.T, name string, opts refsheet.ReadOptions) *refsheet.Sheet {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	s, err := refsheet.Read(name, bytes.NewReader(data), opts)
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return s
}

// readText reads a CSV given as text.
func readText(t *testing.T, text string) *refsheet.Sheet {
	t.Helper()
	s, err := refsheet.Read("people.csv", strings.NewReader(text), refsheet.ReadOptions{})
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return s
}

// apply imports the sheet with its automatic mapping and fails on a file error.
func apply(t *testing.T, db *store.DB, s *refsheet.Sheet, opts refsheet.Options) *refsheet.Report {
	t.Helper()
	rep, err := refsheet.Apply(ctx, db, s, nil, opts, nil)
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	return rep
}

// auditCount is the number of audit entries: every write makes at least one.
func auditCount(t *testing.T, db *store.DB) int {
	t.Helper()
	_, n, err := db.ListAudit(ctx, vouch.AuditFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// errorLines renders a report's problems as the command line prints them.
func errorLines(rep *refsheet.Report) []string {
	var out []string
	for _, e := range rep.Errors {
		out = append(out, e.String())
	}
	return out
}

func wantErrors(t *testing.T, rep *refsheet.Report, want ...string) {
	t.Helper()
	if got := errorLines(rep); !slices.Equal(got, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// world is a database's references and accounts, by email and name, with
// ids replaced by names so two databases can be compared.
type world struct {
	snap   *store.Snapshot
	values map[int64]string
	accts  map[int64]*vouch.Account
}

func load(t *testing.T, db *store.DB) *world {
	t.Helper()
	snap, err := db.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w := &world{snap: snap, values: map[int64]string{}, accts: map[int64]*vouch.Account{}}
	for _, v := range snap.Values {
		w.values[v.ID] = string(v.Kind) + ":" + v.Name
	}
	for _, a := range snap.Accounts {
		w.accts[a.ID] = a
	}
	return w
}

// ref finds a reference by email or name.
func (w *world) ref(t *testing.T, key string) *vouch.Reference {
	t.Helper()
	for _, r := range w.snap.References {
		if r.Email == key || r.Name == key {
			return r
		}
	}
	t.Fatalf("no reference %q", key)
	return nil
}

func (w *world) names(ids []int64) []string {
	out := []string{}
	for _, id := range ids {
		out = append(out, w.values[id])
	}
	slices.Sort(out)
	return out
}

// mustUser adds a user (the owner of imported references).
func mustUser(t *testing.T, db *store.DB, email string) *vouch.User {
	t.Helper()
	u := &vouch.User{Email: email, Name: strings.Split(email, "@")[0], Role: vouch.RoleTeamMember}
	if err := db.CreateUser(ctx, u, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	return u
}
