// Package content is the one home of the content library's rules that need
// data: an item's type and tags must be values of their picklists, the
// accounts and references it features must exist, an approval moves along
// the lifecycle of vouch.CheckContentTransition with the program's consent
// period, and only approved-for-external items reach a buyer. The API, the
// web pages, the importer and the demo all save through it.
//
// Steps of a save, as for references: resolve the input (names → ids) and
// check every field in one pass into one vouch.Validation; if there are no
// problems, write in one transaction, where the store checks the version.
package content

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/files"
	"github.com/vouchhq/vouch/internal/jobs"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Catalog is where picklist values are looked up: the taxonomy cache the
// server keeps current.
type Catalog interface {
	Value(id int64) *vouch.TaxonomyValue
	Values(kind vouch.TaxonomyKind, includeRetired bool) []*vouch.TaxonomyValue
}

// Service saves content items and what happens to them.
type Service struct {
	db    *store.DB
	cat   Catalog
	proof proofLinks // signs proof page links (proof.go)

	files  *files.Store // where uploads are kept (SetFiles)
	runner *jobs.Runner // where their text is read
	log    *slog.Logger
}

// New returns the service over db, resolving picklist values in cat.
func New(db *store.DB, cat Catalog) *Service {
	return &Service{db: db, cat: cat}
}

// DB is the database the service writes to.
func (s *Service) DB() *store.DB { return s.db }

// change is an input resolved to ids: what to set on an item.
type change []func(*vouch.ContentItem)

func (c change) apply(item *vouch.ContentItem) {
	for _, f := range c {
		f(item)
	}
}

// resolve checks in and resolves its names for the item cur (empty for a
// new one), adding every problem to v.
func (s *Service) resolve(ctx context.Context, in *vouch.ContentInput, cur *vouch.ContentItem, v *vouch.Validation) (change, error) {
	for f, reason := range in.Unreadable {
		v.Add(f, reason)
	}
	var c change
	set := func(f func(*vouch.ContentItem)) { c = append(c, f) }
	if in.Type != nil {
		name := strings.TrimSpace(*in.Type)
		kept := []int64{cur.TypeID}
		id, problem := vouch.ChooseValue(s.cat.Values(vouch.TaxContentType, true), name, kept)
		switch {
		case name == "":
			v.Add("type", "is required: case study, video, quote …")
		case problem != "":
			v.Add("type", problem)
		default:
			set(func(i *vouch.ContentItem) { i.TypeID = id })
		}
	}
	for _, f := range []struct {
		in  *string
		set func(*vouch.ContentItem, string)
	}{
		{in.Title, func(i *vouch.ContentItem, s string) { i.Title = s }},
		{in.Summary, func(i *vouch.ContentItem, s string) { i.Summary = s }},
		{in.Body, func(i *vouch.ContentItem, s string) { i.Body = s }},
		{in.URL, func(i *vouch.ContentItem, s string) { i.URL = s }},
		{in.Language, func(i *vouch.ContentItem, s string) { i.Language = s }},
	} {
		if f.in != nil {
			val, fn := *f.in, f.set
			set(func(i *vouch.ContentItem) { fn(i, val) })
		}
	}
	if in.PublishedOn != nil {
		d, err := vouch.ParseDate(*in.PublishedOn)
		if err != nil {
			v.Add("published_on", "must be a date like 2026-03-14")
		}
		set(func(i *vouch.ContentItem) { i.PublishedOn = d })
	}
	for kind, names := range in.Tags {
		if !slices.Contains(vouch.ContentTagKinds, kind) {
			v.Add(string(kind), "is not a tag of content")
			continue
		}
		ids := []int64{}
		for _, name := range names {
			id, problem := vouch.ChooseValue(s.cat.Values(kind, true), name, cur.TagIDs(kind))
			if problem != "" {
				v.Add(string(kind), problem)
				continue
			}
			if id != 0 && !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		k := kind
		set(func(i *vouch.ContentItem) { i.SetTagIDs(k, ids) })
	}
	accounts, err := s.accounts(ctx, in, v)
	if err != nil {
		return nil, err
	}
	if accounts != nil {
		set(func(i *vouch.ContentItem) { i.AccountIDs = accounts })
	}
	refs, err := s.references(ctx, in, v)
	if err != nil {
		return nil, err
	}
	if refs != nil {
		set(func(i *vouch.ContentItem) { i.ReferenceIDs = refs })
	}
	if id, ok, err := s.owner(ctx, v, in.OwnerID, in.OwnerEmail); err != nil {
		return nil, err
	} else if ok {
		set(func(i *vouch.ContentItem) { i.OwnerID = id })
	}
	return c, nil
}

// accounts resolves the featured accounts, given by id or by name (nil: not given).
func (s *Service) accounts(ctx context.Context, in *vouch.ContentInput, v *vouch.Validation) ([]int64, error) {
	if in.AccountIDs == nil && in.Accounts == nil {
		return nil, nil
	}
	ids := []int64{}
	add := func(id int64) {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if in.AccountIDs != nil {
		for _, id := range *in.AccountIDs {
			if _, err := s.db.Account(ctx, id); vouch.ErrorCode(err) == vouch.ENOTFOUND || id <= 0 {
				v.Add("accounts", fmt.Sprintf("%d is not a known account", id))
			} else if err != nil {
				return nil, err
			} else {
				add(id)
			}
		}
	}
	if in.Accounts != nil {
		for _, name := range *in.Accounts {
			name = strings.Join(strings.Fields(name), " ")
			if name == "" {
				continue
			}
			a, err := s.db.AccountByName(ctx, name)
			if vouch.ErrorCode(err) == vouch.ENOTFOUND {
				v.Add("accounts", fmt.Sprintf("“%s” is not an account: check the spelling, or add the account first", name))
			} else if err != nil {
				return nil, err
			} else {
				add(a.ID)
			}
		}
	}
	return ids, nil
}

// references resolves the featured references, given by id or by email (nil: not given).
func (s *Service) references(ctx context.Context, in *vouch.ContentInput, v *vouch.Validation) ([]int64, error) {
	if in.ReferenceIDs == nil && in.References == nil {
		return nil, nil
	}
	ids := []int64{}
	add := func(id int64) {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if in.ReferenceIDs != nil {
		for _, id := range *in.ReferenceIDs {
			if _, err := s.db.Reference(ctx, id); vouch.ErrorCode(err) == vouch.ENOTFOUND || id <= 0 {
				v.Add("references", fmt.Sprintf("%d is not a known reference", id))
			} else if err != nil {
				return nil, err
			} else {
				add(id)
			}
		}
	}
	if in.References != nil {
		for _, email := range *in.References {
			email = strings.TrimSpace(email)
			if email == "" {
				continue
			}
			if id, err := strconv.ParseInt(email, 10, 64); err == nil {
				if _, err := s.db.Reference(ctx, id); err == nil {
					add(id)
					continue
				}
			}
			id, err := s.db.ReferenceIDByEmail(ctx, email)
			if err != nil {
				return nil, err
			}
			if id == 0 {
				v.Add("references", fmt.Sprintf("no reference has the email %s", email))
				continue
			}
			add(id)
		}
	}
	return ids, nil
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

// Create adds an item, a draft owned by the person creating it unless the
// input names another owner. Every problem is reported at once.
func (s *Service) Create(ctx context.Context, in vouch.ContentInput) (*vouch.ContentItem, error) {
	var v vouch.Validation
	if in.Version != nil {
		v.Add("version", "is given by the server; leave it out when creating")
	}
	if in.Type == nil {
		v.Add("type", "is required: case study, video, quote …")
	}
	c, err := s.resolve(ctx, &in, &vouch.ContentItem{}, &v)
	if err != nil {
		return nil, err
	}
	item := &vouch.ContentItem{State: vouch.ContentDraft, OwnerID: vouch.ActorFrom(ctx).UserID}
	c.apply(item)
	if err := v.Merge(item.Validate()); err != nil {
		return nil, err
	}
	// The rule the content import applies to the state an item starts in: a draft has no approval facts.
	if err := v.Merge(item.CheckNewState(s.db.Today(), vouch.DefaultConsentMonths)); err != nil {
		return nil, err
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := s.db.CreateContent(ctx, item); err != nil {
		return nil, err
	}
	return s.db.ContentItem(ctx, item.ID)
}

// Update saves the fields in gives on item id. The version read is
// required: if someone saved since, nothing is written (ECONFLICT).
func (s *Service) Update(ctx context.Context, id int64, in vouch.ContentInput) (*vouch.ContentItem, error) {
	cur, err := s.db.ContentItem(ctx, id)
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
	item := *cur
	c.apply(&item)
	if err := v.Merge(item.Validate()); err != nil {
		return nil, err
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	item.Version = *in.Version
	if err := s.db.UpdateContent(ctx, &item); err != nil {
		return nil, err
	}
	return s.db.ContentItem(ctx, id)
}

// ChangeState moves item id, read at version (0: whatever it is now), along
// its approval lifecycle. An approval without an expiry date lasts the
// program's consent period.
func (s *Service) ChangeState(ctx context.Context, id int64, version int, c vouch.ContentStateChange) (*vouch.ContentItem, error) {
	ps, err := s.db.ProgramSettings(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := s.db.ChangeContentState(ctx, id, version, c, ps.ConsentMonths); err != nil {
		return nil, err
	}
	return s.db.ContentItem(ctx, id)
}

// Delete removes an item with its history, uses and ratings, and the files
// nothing else refers to any more.
func (s *Service) Delete(ctx context.Context, id int64) error {
	item, err := s.db.ContentItem(ctx, id)
	if err != nil {
		return err
	}
	history, err := s.db.ContentHistory(ctx, id)
	if err != nil {
		return err
	}
	if err := s.db.DeleteContent(ctx, id); err != nil {
		return err
	}
	// Its file and the approval documents of its history go with it.
	s.dropFile(ctx, item.File)
	for _, e := range history {
		if e.FileID != 0 {
			s.dropFile(ctx, &vouch.ContentFile{ID: e.FileID})
		}
	}
	return nil
}

// Item reads one item.
func (s *Service) Item(ctx context.Context, id int64) (*vouch.ContentItem, error) {
	return s.db.ContentItem(ctx, id)
}

// History is an item's approval history, oldest first.
func (s *Service) History(ctx context.Context, id int64) ([]vouch.ContentStateEvent, error) {
	return s.db.ContentHistory(ctx, id)
}
