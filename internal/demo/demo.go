// Package demo fills a database with a realistic, deterministic dataset so
// that every page and endpoint has something real to show.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// The demo admin's login, printed when it is created.
const (
	AdminEmail = "admin@example.com"
	Password   = "vouch-demo-password"
)

// Options size the dataset.
type Options struct {
	Seed int64 // the same seed gives the same dataset
}

// Result says what was loaded.
type Result struct {
	AdminCreated bool
	UsersAdded   int
}

// Summary is a one-line report for the command line.
func (r Result) Summary() string {
	if r.UsersAdded == 0 {
		return "Demo data is already loaded; nothing added."
	}
	return fmt.Sprintf("Demo data loaded: %d users.", r.UsersAdded)
}

var firstNames = []string{"Maya", "Jonas", "Priya", "Diego", "Aisha", "Tom", "Elena", "Kenji", "Grace", "Omar",
	"Sofia", "Liam", "Nadia", "Lucas", "Hannah", "Ravi", "Chloe", "Mateo", "Ingrid", "Samuel"}
var lastNames = []string{"Okafor", "Lindqvist", "Raman", "Alvarez", "Haddad", "Becker", "Rossi", "Tanaka",
	"O'Neill", "Farouk", "Moreau", "Walsh", "Petrov", "Silva", "Schmidt", "Iyer", "Dubois", "Cruz", "Berg", "Adeyemi"}

// staff lists the demo team by role: a program team, sellers and an executive.
var staff = []struct {
	role  vouch.Role
	count int
}{
	{vouch.RoleProgramManager, 2},
	{vouch.RoleTeamMember, 3},
	{vouch.RoleSeller, 8},
	{vouch.RoleViewer, 2},
}

// Load adds the demo dataset. It is idempotent: records that exist (by
// email) are left alone, so loading twice adds nothing.
func Load(ctx context.Context, db *store.DB, opts Options) (Result, error) {
	var res Result
	rng := rand.New(rand.NewPCG(uint64(opts.Seed), 0x766f756368))
	n, err := db.CountUsers(ctx)
	if err != nil {
		return res, err
	}
	if n == 0 {
		admin := &vouch.User{Email: AdminEmail, Name: "Demo Admin", Role: vouch.RoleAdmin}
		if err := db.CreateUser(ctx, admin, Password); err != nil {
			return res, err
		}
		res.AdminCreated = true
		res.UsersAdded++
	}
	used := map[string]bool{}
	for _, s := range staff {
		for i := 0; i < s.count; i++ {
			var first, last string
			for {
				first, last = firstNames[rng.IntN(len(firstNames))], lastNames[rng.IntN(len(lastNames))]
				if !used[first+last] {
					used[first+last] = true
					break
				}
			}
			email := strings.ToLower(first + "." + strings.ReplaceAll(last, "'", "") + "@example.com")
			if _, err := db.UserByEmail(ctx, email); err == nil {
				continue
			}
			u := &vouch.User{Email: email, Name: first + " " + last, Role: s.role}
			if err := db.CreateUser(ctx, u, Password); err != nil {
				return res, fmt.Errorf("demo user %s: %w", email, err)
			}
			res.UsersAdded++
		}
	}
	return res, nil
}
