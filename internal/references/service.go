// Package references is the one home of the rules about references and
// accounts that need data: a value must exist and not be retired, an owner
// must be a user, an account is found by name or created when asked, a
// save must not overwrite someone else's. The API, the web pages, the
// importer and the demo all save through it; each save is one transaction.
//
// Steps of a save: resolve the input (names → ids) and check every field in
// one pass, collecting all problems into one vouch.Validation; if there are
// none, write in one transaction, where the store checks the version.
package references

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Catalog is where picklist values are looked up: the taxonomy cache the
// server keeps current.
type Catalog interface {
	Value(id int64) *vouch.TaxonomyValue
	Values(kind vouch.TaxonomyKind, includeRetired bool) []*vouch.TaxonomyValue
}

// Service saves references and accounts.
type Service struct {
	db  *store.DB
	cat Catalog
}

// New returns the service over db, resolving picklist values in cat.
func New(db *store.DB, cat Catalog) *Service {
	return &Service{db: db, cat: cat}
}

// Saved is a reference after a save, with its account.
type Saved struct {
	Reference *vouch.Reference
	Account   *vouch.Account
	// AccountCreated says the save created the account (create-account-on-save).
	AccountCreated bool
}

// Value resolves one picklist value given by name for a record that has the
// values kept already; the reason is set when the name is refused.
func (s *Service) Value(kind vouch.TaxonomyKind, name string, kept []int64) (int64, string) {
	return vouch.ChooseValue(s.cat.Values(kind, true), name, kept)
}

// Lookup finds a picklist value by name, retired or not; 0 when none has it.
func (s *Service) Lookup(kind vouch.TaxonomyKind, name string) int64 {
	if v := vouch.FindValue(s.cat.Values(kind, true), name); v != nil {
		return v.ID
	}
	return 0
}

// UnknownValue is the reason name is no value of kind, with a suggestion.
func (s *Service) UnknownValue(kind vouch.TaxonomyKind, name string) string {
	return vouch.UnknownValue(name, s.cat.Values(kind, true))
}

// values resolves the names of a multi-valued picklist field into v.
func (s *Service) values(v *vouch.Validation, field string, kind vouch.TaxonomyKind, names []string, kept []int64) []int64 {
	ids := []int64{}
	for _, name := range names {
		id, problem := s.Value(kind, name, kept)
		if problem != "" {
			v.Add(field, problem)
			continue
		}
		if id != 0 && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// owner resolves an owner given by id or by email (0 and "" are nobody).
func (s *Service) owner(ctx context.Context, v *vouch.Validation, id *int64, email *string) (int64, bool, error) {
	switch {
	case email != nil:
		if strings.TrimSpace(*email) == "" {
			return 0, true, nil
		}
		u, err := s.db.UserByEmail(ctx, *email)
		if vouch.ErrorCode(err) == vouch.ENOTFOUND {
			v.Add("owner", "is not a known user's email")
			return 0, false, nil
		} else if err != nil {
			return 0, false, err
		}
		return u.ID, true, nil
	case id != nil:
		if *id == 0 {
			return 0, true, nil
		}
		if _, err := s.db.User(ctx, *id); vouch.ErrorCode(err) == vouch.ENOTFOUND {
			v.Add("owner", "is not a known user")
			return 0, false, nil
		} else if err != nil {
			return 0, false, err
		}
		return *id, true, nil
	}
	return 0, false, nil
}

// date reads a date field into v.
func date(v *vouch.Validation, field, s string) vouch.Date {
	d, err := vouch.ParseDate(s)
	if err != nil {
		v.Add(field, "must be a date like 2026-03-14")
	}
	return d
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// referenceChange is an input resolved to ids: what to set, the account to
// create first (if any) and a move along the lifecycle.
type referenceChange struct {
	set        []func(*vouch.Reference)
	newAccount *vouch.Account
	account    *vouch.Account
	status     *vouch.StatusChange
}

func (c *referenceChange) apply(r *vouch.Reference) {
	for _, f := range c.set {
		f(r)
	}
}

// resolve checks in and resolves its names for the reference cur (empty
// for a new one), adding every problem to v.
func (s *Service) resolve(ctx context.Context, in *vouch.ReferenceInput, cur *vouch.Reference, v *vouch.Validation) (*referenceChange, error) {
	for f, reason := range in.Unreadable {
		v.Add(f, reason)
	}
	c := &referenceChange{}
	set := func(f func(*vouch.Reference)) { c.set = append(c.set, f) }
	today := s.db.Today()

	switch {
	case in.AccountID != nil && in.Account != nil:
		v.Add("account", "give the account's id or its name, not both")
	case in.AccountID != nil:
		a, err := s.db.Account(ctx, *in.AccountID)
		if vouch.ErrorCode(err) == vouch.ENOTFOUND || *in.AccountID <= 0 {
			v.Add("account", "is not a known account")
		} else if err != nil {
			return nil, err
		} else {
			c.account = a
		}
	case in.Account != nil:
		name := strings.Join(strings.Fields(*in.Account), " ")
		a, err := s.db.AccountByName(ctx, name)
		switch {
		case err == nil:
			c.account = a
		case vouch.ErrorCode(err) != vouch.ENOTFOUND:
			return nil, err
		case name == "":
			v.Add("account", "is required: pick one, or type a new account's name")
		case !in.CreateAccount:
			v.Add("account", fmt.Sprintf("“%s” is not an account yet: check the spelling, or ask to create it (tick “Create this account”; create_account in the API)", name))
		default:
			na := &vouch.Account{Name: name}
			if err := na.Validate(); err != nil {
				v.Add("account", "must be at most 200 characters")
			}
			c.newAccount, c.account = na, na
		}
	case cur.ID == 0:
		v.Add("account", "is required: pick one, or type a new account's name")
	}
	if c.account != nil && c.newAccount == nil {
		id := c.account.ID
		set(func(r *vouch.Reference) { r.AccountID = id })
	} else if c.newAccount != nil {
		set(func(r *vouch.Reference) { r.AccountID = -1 }) // set once the account is stored
	}

	for _, f := range []struct {
		in  *string
		set func(*vouch.Reference, string)
	}{
		{in.Name, func(r *vouch.Reference, s string) { r.Name = s }},
		{in.Title, func(r *vouch.Reference, s string) { r.Title = s }},
		{in.Seniority, func(r *vouch.Reference, s string) { r.Seniority = s }},
		{in.Email, func(r *vouch.Reference, s string) { r.Email = s }},
		{in.Phone, func(r *vouch.Reference, s string) { r.Phone = s }},
		{in.TimeZone, func(r *vouch.Reference, s string) { r.TimeZone = s }},
		{in.Deployment, func(r *vouch.Reference, s string) { r.Deployment = s }},
		{in.Story, func(r *vouch.Reference, s string) { r.Story = s }},
		{in.CRMID, func(r *vouch.Reference, s string) { r.CRMID = s }},
	} {
		if f.in != nil {
			val, fn := *f.in, f.set
			set(func(r *vouch.Reference) { fn(r, val) })
		}
	}
	if in.Languages != nil {
		langs := append([]string{}, *in.Languages...)
		set(func(r *vouch.Reference) { r.Languages = langs })
	}
	for _, m := range []struct {
		field string
		kind  vouch.TaxonomyKind
		names *[]string
		kept  []int64
		to    func(*vouch.Reference) *[]int64
	}{
		{"products", vouch.TaxProduct, in.Products, cur.ProductIDs, func(r *vouch.Reference) *[]int64 { return &r.ProductIDs }},
		{"use_cases", vouch.TaxUseCase, in.UseCases, cur.UseCaseIDs, func(r *vouch.Reference) *[]int64 { return &r.UseCaseIDs }},
		{"competitors", vouch.TaxCompetitor, in.Competitors, cur.CompetitorIDs, func(r *vouch.Reference) *[]int64 { return &r.CompetitorIDs }},
	} {
		if m.names != nil {
			ids, to := s.values(v, m.field, m.kind, *m.names, m.kept), m.to
			set(func(r *vouch.Reference) { *to(r) = ids })
		}
	}
	if in.Activities != nil {
		var kept []int64
		for _, a := range cur.Activities {
			kept = append(kept, a.TypeID)
		}
		acts := []vouch.AgreedActivity{}
		for _, a := range *in.Activities {
			if strings.TrimSpace(a.Type) == "" {
				v.Add("activities", "each needs a type")
				continue
			}
			id, problem := s.Value(vouch.TaxActivityType, a.Type, kept)
			if problem != "" {
				v.Add("activities", problem)
				continue
			}
			on, err := vouch.ParseDate(a.ConsentedOn)
			if err != nil {
				v.Add("activities", fmt.Sprintf("the consent date of %s must be a date like 2026-03-14", a.Type))
				continue
			}
			if !slices.ContainsFunc(acts, func(x vouch.AgreedActivity) bool { return x.TypeID == id }) {
				acts = append(acts, vouch.AgreedActivity{TypeID: id, ConsentedOn: on})
			}
		}
		set(func(r *vouch.Reference) {
			// A type given without a consent date keeps the date already recorded.
			out := make([]vouch.AgreedActivity, len(acts))
			for i, a := range acts {
				out[i] = a
				if a.ConsentedOn.IsZero() {
					for _, old := range r.Activities {
						if old.TypeID == a.TypeID {
							out[i].ConsentedOn = old.ConsentedOn
						}
					}
				}
			}
			r.Activities = out
		})
	}
	if in.GoLive != nil {
		d := date(v, "go_live", *in.GoLive)
		set(func(r *vouch.Reference) { r.GoLive = d })
	}
	if in.LastVerified != nil {
		d := date(v, "last_verified", *in.LastVerified)
		if reason := vouch.CheckVerifiedOn(d, today); reason != "" {
			v.Add("last_verified", reason)
		}
		set(func(r *vouch.Reference) { r.LastVerified = d })
	}
	if id, ok, err := s.owner(ctx, v, in.OwnerID, in.OwnerEmail); err != nil {
		return nil, err
	} else if ok {
		set(func(r *vouch.Reference) { r.OwnerID = id })
	}
	if in.CapacityOverride != nil {
		n := *in.CapacityOverride
		set(func(r *vouch.Reference) { r.CapacityOverride = n })
	}
	if in.Status != nil {
		st, ok := vouch.ParseStatus(*in.Status)
		if !ok {
			v.Add("status", "must be one of "+vouch.StatusNames())
		}
		c.status = &vouch.StatusChange{To: st, Reason: strings.TrimSpace(deref(in.Reason)), Until: date(v, "until", deref(in.Until))}
	} else {
		if in.Reason != nil {
			v.Add("reason", "is only used together with status")
		}
		if in.Until != nil {
			v.Add("until", "is only used together with status")
		}
	}
	return c, nil
}

// CreateReference adds a reference, and its account when in asks for a new
// one. Every problem is reported at once as one vouch.Validation.
func (s *Service) CreateReference(ctx context.Context, in vouch.ReferenceInput) (*Saved, error) {
	return s.createReference(ctx, in, nil)
}

// createReference is CreateReference; then, when set, runs in the same
// transaction once the reference is stored (accepting a nomination).
func (s *Service) createReference(ctx context.Context, in vouch.ReferenceInput, then func(b *store.Batch, ref *vouch.Reference) error) (*Saved, error) {
	var v vouch.Validation
	if in.Version != nil {
		v.Add("version", "is given by the server; leave it out when creating")
	}
	c, err := s.resolve(ctx, &in, &vouch.Reference{}, &v)
	if err != nil {
		return nil, err
	}
	ref := &vouch.Reference{Languages: []string{}, Status: vouch.StatusNominated}
	c.apply(ref)
	if c.status != nil && c.status.To.Valid() {
		if reason := vouch.CheckInitialStatus(c.status.To); reason != "" {
			v.Add("status", reason)
		}
		ref.Status = c.status.To
	}
	if err := v.Merge(ref.Validate()); err != nil {
		return nil, err
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	err = s.db.Batch(ctx, func(b *store.Batch) error {
		if c.newAccount != nil {
			if err := b.CreateAccount(c.newAccount); err != nil {
				return err
			}
			ref.AccountID = c.newAccount.ID
		}
		if err := b.CreateReference(ref); err != nil {
			return err
		}
		if then != nil {
			return then(b, ref)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &Saved{Reference: ref, Account: c.account, AccountCreated: c.newAccount != nil}, nil
}

// UpdateReference saves the fields in gives on reference id. The version
// read is required: if someone saved since, nothing is written and the
// error is an ECONFLICT naming version. A status in the input moves the
// reference in the same transaction.
func (s *Service) UpdateReference(ctx context.Context, id int64, in vouch.ReferenceInput) (*Saved, error) {
	cur, err := s.db.Reference(ctx, id)
	if err != nil {
		return nil, err
	}
	var v vouch.Validation
	if in.Version == nil || *in.Version <= 0 {
		v.Add("version", "is required: the version you read, so that nobody's change is overwritten")
	}
	c, err := s.resolve(ctx, &in, cur, &v)
	if err != nil {
		return nil, err
	}
	preview := *cur
	c.apply(&preview)
	if err := v.Merge(preview.Validate()); err != nil {
		return nil, err
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	// The preview, validated above, is what is written: the store writes it
	// only if the reference is still at the version read, so still cur.
	ref := &preview
	ref.Version = *in.Version
	var saved *vouch.Reference
	err = s.db.Batch(ctx, func(b *store.Batch) error {
		if c.newAccount != nil {
			if err := b.CreateAccount(c.newAccount); err != nil {
				return err
			}
			ref.AccountID = c.newAccount.ID
		}
		if err := b.UpdateReference(ref); err != nil { // checks the version, even when nothing else changes
			return err
		}
		saved = ref
		if c.status != nil {
			// At the version just checked or written: the version check above
			// locks nothing when no field changed.
			moved, err := b.ChangeStatusAt(id, ref.Version, *c.status)
			if err != nil {
				return err
			}
			saved = moved
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	acct := c.account
	if acct == nil {
		if acct, err = s.db.Account(ctx, saved.AccountID); err != nil {
			return nil, err
		}
	}
	return &Saved{Reference: saved, Account: acct, AccountCreated: c.newAccount != nil}, nil
}

// ChangeStatus moves reference id, read at version (0: whatever it is now),
// along its lifecycle; vouch.CheckTransition decides the move.
func (s *Service) ChangeStatus(ctx context.Context, id int64, version int, c vouch.StatusChange) (*vouch.Reference, error) {
	return s.db.ChangeStatus(ctx, id, version, c)
}

// DeleteReference removes a reference with its history and activities.
func (s *Service) DeleteReference(ctx context.Context, id int64) error {
	return s.db.DeleteReference(ctx, id)
}

// Bulk applies one action to many references in one transaction. The
// references it does not fit (a move the lifecycle does not allow, an id
// that is gone) are reported with the reason, in the order given; a
// problem with the action itself (a reason missing, an unknown owner)
// refuses all of it.
func (s *Service) Bulk(ctx context.Context, a vouch.BulkAction) (vouch.BulkResult, error) {
	var v vouch.Validation
	if reason := vouch.CheckBulkIDs(a.IDs); reason != "" {
		v.Add("ids", reason)
	}
	switch a.Kind {
	case vouch.BulkStatus:
		if !a.Status.To.Valid() {
			v.Add("status", "must be one of "+vouch.StatusNames())
		}
	case vouch.BulkOwner:
		var byID *int64
		if a.OwnerEmail == nil {
			byID = &a.OwnerID
		}
		id, _, err := s.owner(ctx, &v, byID, a.OwnerEmail)
		if err != nil {
			return vouch.BulkResult{}, err
		}
		a.OwnerID = id
	case vouch.BulkVerified:
		if a.Day.IsZero() {
			a.Day = s.db.Today()
		}
		if reason := vouch.CheckVerifiedOn(a.Day, s.db.Today()); reason != "" {
			v.Add("date", reason)
		}
	default:
		v.Add("action", "must be status, owner or verified")
	}
	if err := v.Err(); err != nil {
		return vouch.BulkResult{}, err
	}
	switch a.Kind {
	case vouch.BulkStatus:
		return s.db.BulkChangeStatus(ctx, a.IDs, a.Status)
	case vouch.BulkOwner:
		return s.db.BulkSetOwner(ctx, a.IDs, a.OwnerID)
	default:
		return s.db.BulkMarkVerified(ctx, a.IDs, a.Day)
	}
}
