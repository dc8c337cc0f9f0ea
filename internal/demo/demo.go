// Package demo fills a database with a realistic, deterministic dataset so
// that every page and endpoint has something real to show.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/vouchhq/vouch/internal/catalog"
	"github.com/vouchhq/vouch/internal/references"
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
	Seed       int64 // the same seed gives the same dataset
	References int   // how many references (0: DefaultReferences)
	// BaseURL is where links in the demo's mails point (advocate pages).
	BaseURL string
	// ReferencesOnly loads users, accounts and references but no
	// opportunities or requests: for tests and benchmarks about references.
	ReferencesOnly bool
}

// DefaultReferences is the size of the demo program.
const DefaultReferences = 300

// Result says what was loaded.
type Result struct {
	AdminCreated      bool
	UsersAdded        int
	AccountsAdded     int
	ReferencesAdded   int
	ActivitiesAdded   int
	ReferencesSkipped bool // the database already had references

	OpportunitiesAdded int
	RequestsAdded      int
	FeedbackAdded      int
	ContentAdded       int
	ContentUsesAdded   int // content shared on deals
}

// Summary is a one-line report for the command line.
func (r Result) Summary() string {
	if r.UsersAdded == 0 && r.ReferencesAdded == 0 && r.RequestsAdded == 0 && r.ContentAdded == 0 {
		return "Demo data is already loaded; nothing added."
	}
	return fmt.Sprintf("Demo data loaded: %d users, %d accounts, %d references, %d activities, %d opportunities, %d requests, %d feedback, %d content items.",
		r.UsersAdded, r.AccountsAdded, r.ReferencesAdded, r.ActivitiesAdded, r.OpportunitiesAdded, r.RequestsAdded, r.FeedbackAdded, r.ContentAdded)
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
	if err := loadReferences(ctx, db, opts, &res); err != nil {
		return res, err
	}
	if opts.ReferencesOnly {
		return res, nil
	}
	// Content first: the replayed deals use it.
	if err := loadContent(ctx, db, opts, &res); err != nil {
		return res, fmt.Errorf("demo content: %w", err)
	}
	if err := loadRequests(ctx, db, opts, &res); err != nil {
		return res, fmt.Errorf("demo requests: %w", err)
	}
	if err := loadNominations(ctx, db); err != nil {
		return res, fmt.Errorf("demo nominations: %w", err)
	}
	if err := loadProgram(ctx, db, opts); err != nil {
		return res, fmt.Errorf("demo program: %w", err)
	}
	// Two years of replayed history told the team of every request; they
	// have read all but the last week's.
	if err := db.MarkNotificationsReadBefore(ctx, db.Now().AddDate(0, 0, -7)); err != nil {
		return res, err
	}
	// The home page offers a demo's first things to try.
	if err := db.SetSetting(ctx, store.SettingDemo, "loaded"); err != nil {
		return res, err
	}
	return res, nil
}

// loadReferences adds accounts, references and their recent activities in one
// transaction, unless the database already has references.
func loadReferences(ctx context.Context, db *store.DB, opts Options, res *Result) error {
	if n, err := db.CountReferences(ctx); err != nil {
		return err
	} else if n > 0 {
		res.ReferencesSkipped = true
		return nil
	}
	values, err := activeValues(ctx, db)
	if err != nil {
		return err
	}
	users, err := db.ListUsers(ctx)
	if err != nil {
		return err
	}
	var owners []int64
	for _, u := range users {
		if u.Role == vouch.RoleProgramManager || u.Role == vouch.RoleTeamMember {
			owners = append(owners, u.ID)
		}
	}
	nRefs := opts.References
	if nRefs <= 0 {
		nRefs = DefaultReferences
	}
	g := NewGenerator(opts.Seed, values, owners, db.Today())
	regionName := map[int64]string{}
	for _, v := range values[vouch.TaxRegion] {
		regionName[v.ID] = v.Name
	}
	p := references.Program{Activities: map[int][]vouch.Activity{}}
	for i := 0; len(p.Accounts) == 0 || i < nRefs; {
		a := g.Account(len(p.Accounts) + 1)
		p.Accounts = append(p.Accounts, a)
		// One to five references per account.
		for k := 1 + g.Intn(5); k > 0 && i < nRefs; k-- {
			i++
			r := g.Reference(i, a, regionName[a.RegionID])
			p.Refs, p.AccountOf = append(p.Refs, r), append(p.AccountOf, len(p.Accounts)-1)
			if len(r.Activities) == 0 || r.Status == vouch.StatusNominated || r.Status == vouch.StatusQualifying {
				continue
			}
			for _, day := range g.ActivityDays() {
				p.Activities[len(p.Refs)-1] = append(p.Activities[len(p.Refs)-1],
					vouch.Activity{TypeID: r.Activities[g.Intn(len(r.Activities))].TypeID, OccurredOn: day})
			}
		}
	}
	// Saved as a program team would: through the service, which holds each
	// record to the rules of a save and moves the resting and retired ones
	// to their status after creating them.
	cat := catalog.New(db)
	if err := cat.Load(ctx); err != nil {
		return err
	}
	if err := references.New(db, cat).CreateProgram(ctx, p); err != nil {
		return fmt.Errorf("demo references: %w", err)
	}
	res.AccountsAdded, res.ReferencesAdded = len(p.Accounts), len(p.Refs)
	for _, acts := range p.Activities {
		res.ActivitiesAdded += len(acts)
	}
	return nil
}

// activeValues reads every picklist's values that are not retired.
func activeValues(ctx context.Context, db *store.DB) (Values, error) {
	values := Values{}
	for _, kind := range vouch.TaxonomyKinds {
		vals, err := db.ListTaxonomy(ctx, kind)
		if err != nil {
			return nil, err
		}
		for _, v := range vals {
			if !v.Retired {
				values[kind] = append(values[kind], v)
			}
		}
	}
	return values, nil
}
