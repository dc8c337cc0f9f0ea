package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

const opportunityColumns = `id, name, prospect, amount, currency, stage, close_date, status, COALESCE(owner_id, 0),
	COALESCE(industry_id, 0), COALESCE(region_id, 0), COALESCE(product_id, 0), COALESCE(competitor_id, 0),
	COALESCE(crm_id, ''), COALESCE(account_id, 0), COALESCE(segment_id, 0), COALESCE(country_id, 0), COALESCE(size_id, 0),
	created_on, version, created_at, updated_at`

func scanOpportunity(row interface{ Scan(...any) error }) (*vouch.Opportunity, error) {
	o := &vouch.Opportunity{}
	var closeDate, status, createdOn string
	if err := row.Scan(&o.ID, &o.Name, &o.Prospect, &o.AmountCents, &o.Currency, &o.Stage, &closeDate, &status, &o.OwnerID,
		&o.IndustryID, &o.RegionID, &o.ProductID, &o.CompetitorID, &o.CRMID, &o.AccountID, &o.SegmentID, &o.CountryID, &o.SizeID,
		&createdOn, &o.Version, &o.CreatedAt, &o.UpdatedAt); err != nil {
		return nil, err
	}
	o.CreatedOn, _ = vouch.ParseDate(createdOn)
	o.Status = vouch.OpportunityStatus(status)
	o.CloseDate, _ = vouch.ParseDate(closeDate)
	o.CreatedAt, o.UpdatedAt = o.CreatedAt.UTC(), o.UpdatedAt.UTC()
	return o, nil
}

func (tx *Tx) validateOpportunityRefs(o *vouch.Opportunity) error {
	var v vouch.Validation
	for _, c := range []struct {
		field string
		kind  vouch.TaxonomyKind
		id    int64
	}{{"industry", vouch.TaxIndustry, o.IndustryID}, {"region", vouch.TaxRegion, o.RegionID},
		{"product", vouch.TaxProduct, o.ProductID}, {"competitor", vouch.TaxCompetitor, o.CompetitorID},
		{"segment", vouch.TaxSegment, o.SegmentID}, {"country", vouch.TaxCountry, o.CountryID}, {"company_size", vouch.TaxCompanySize, o.SizeID}} {
		if err := tx.checkValue(&v, c.field, c.kind, c.id); err != nil {
			return err
		}
	}
	if err := tx.checkUser(&v, "owner", o.OwnerID); err != nil {
		return err
	}
	if o.AccountID != 0 {
		var n int
		if err := tx.queryRow(`SELECT COUNT(*) FROM accounts WHERE id = ?`, o.AccountID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			v.Add("account_id", "is no account")
		}
	}
	return v.Err()
}

func opportunityChanges(b, a *vouch.Opportunity) []vouch.Change {
	var c []vouch.Change
	c = vouch.Diff(c, "name", b.Name, a.Name)
	c = vouch.Diff(c, "prospect", b.Prospect, a.Prospect)
	c = vouch.Diff(c, "amount_cents", b.AmountCents, a.AmountCents)
	c = vouch.Diff(c, "currency", b.Currency, a.Currency)
	c = vouch.Diff(c, "stage", b.Stage, a.Stage)
	c = vouch.Diff(c, "close_date", b.CloseDate.String(), a.CloseDate.String())
	c = vouch.Diff(c, "status", string(b.Status), string(a.Status))
	c = vouch.Diff(c, "owner_id", b.OwnerID, a.OwnerID)
	c = vouch.Diff(c, "industry_id", b.IndustryID, a.IndustryID)
	c = vouch.Diff(c, "region_id", b.RegionID, a.RegionID)
	c = vouch.Diff(c, "product_id", b.ProductID, a.ProductID)
	c = vouch.Diff(c, "competitor_id", b.CompetitorID, a.CompetitorID)
	c = vouch.Diff(c, "crm_id", b.CRMID, a.CRMID)
	c = vouch.Diff(c, "account_id", b.AccountID, a.AccountID)
	c = vouch.Diff(c, "segment_id", b.SegmentID, a.SegmentID)
	c = vouch.Diff(c, "country_id", b.CountryID, a.CountryID)
	c = vouch.Diff(c, "company_size_id", b.SizeID, a.SizeID)
	c = vouch.Diff(c, "created_on", b.CreatedOn.String(), a.CreatedOn.String())
	return c
}

// CreateOpportunity stores a new opportunity.
func (db *DB) CreateOpportunity(ctx context.Context, o *vouch.Opportunity) error {
	if err := o.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error { return tx.createOpportunity(o) })
}

func (tx *Tx) createOpportunity(o *vouch.Opportunity) error {
	if err := tx.validateOpportunityRefs(o); err != nil {
		return err
	}
	id, err := tx.insert(`INSERT INTO opportunities (name, prospect, amount, currency, stage, close_date, status, owner_id,
		industry_id, region_id, product_id, competitor_id, crm_id, account_id, segment_id, country_id, size_id, created_on,
		version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		o.Name, o.Prospect, o.AmountCents, o.Currency, o.Stage, o.CloseDate.String(), string(o.Status), nullID(o.OwnerID),
		nullID(o.IndustryID), nullID(o.RegionID), nullID(o.ProductID), nullID(o.CompetitorID), nullString(o.CRMID),
		nullID(o.AccountID), nullID(o.SegmentID), nullID(o.CountryID), nullID(o.SizeID), o.CreatedOn.String(), tx.now, tx.now)
	if isUnique(err) {
		return crmConflict("opportunity")
	} else if err != nil {
		return err
	}
	o.ID, o.Version, o.CreatedAt, o.UpdatedAt = id, 1, tx.now, tx.now
	return tx.audit("create", "opportunity", id, opportunityChanges(&vouch.Opportunity{}, o))
}

// UpdateOpportunity saves an opportunity read at o.Version.
func (db *DB) UpdateOpportunity(ctx context.Context, o *vouch.Opportunity) error {
	if err := o.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error { return tx.updateOpportunity(o) })
}

func (tx *Tx) opportunity(id int64) (*vouch.Opportunity, error) {
	o, err := scanOpportunity(tx.queryRow(`SELECT `+opportunityColumns+` FROM opportunities WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Opportunity", id)
	}
	return o, err
}

func (tx *Tx) updateOpportunity(o *vouch.Opportunity) error {
	before, err := tx.opportunity(o.ID)
	if err != nil {
		return err
	}
	if o.Version != before.Version {
		return staleVersion("opportunity", before.Version)
	}
	if err := tx.validateOpportunityRefs(o); err != nil {
		return err
	}
	changes := opportunityChanges(before, o)
	if len(changes) == 0 {
		*o = *before
		return nil
	}
	res, err := tx.exec(`UPDATE opportunities SET name = ?, prospect = ?, amount = ?, currency = ?, stage = ?, close_date = ?,
		status = ?, owner_id = ?, industry_id = ?, region_id = ?, product_id = ?, competitor_id = ?, crm_id = ?,
		account_id = ?, segment_id = ?, country_id = ?, size_id = ?, created_on = ?,
		version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		o.Name, o.Prospect, o.AmountCents, o.Currency, o.Stage, o.CloseDate.String(), string(o.Status), nullID(o.OwnerID),
		nullID(o.IndustryID), nullID(o.RegionID), nullID(o.ProductID), nullID(o.CompetitorID), nullString(o.CRMID),
		nullID(o.AccountID), nullID(o.SegmentID), nullID(o.CountryID), nullID(o.SizeID), o.CreatedOn.String(),
		tx.now, o.ID, before.Version)
	if isUnique(err) {
		return crmConflict("opportunity")
	} else if err != nil {
		return err
	}
	if err := savedAt(res, "opportunity", before.Version); err != nil {
		return err
	}
	o.Version, o.CreatedAt, o.UpdatedAt = before.Version+1, before.CreatedAt, tx.now
	return tx.audit("update", "opportunity", o.ID, changes)
}

// UpsertOpportunity creates the opportunity, or updates the one with the
// same CRM id (whatever version it is at: the CRM is the source of truth
// for its deals). created says which happened.
func (db *DB) UpsertOpportunity(ctx context.Context, o *vouch.Opportunity) (created bool, err error) {
	if err := o.Validate(); err != nil {
		return false, err
	}
	if o.CRMID == "" {
		return false, &vouch.Error{Code: vouch.EINVALID, Message: "An upsert needs the CRM id to match on.",
			Fields: map[string]string{"crm_id": "is required"}}
	}
	err = db.update(ctx, func(tx *Tx) error {
		var id int64
		var version int
		err := tx.queryRow(`SELECT id, version FROM opportunities WHERE crm_id = ?`, o.CRMID).Scan(&id, &version)
		if errors.Is(err, sql.ErrNoRows) {
			created = true
			return tx.createOpportunity(o)
		} else if err != nil {
			return err
		}
		o.ID, o.Version = id, version
		return tx.updateOpportunity(o)
	})
	return created, err
}

// Opportunity reads one opportunity.
func (db *DB) Opportunity(ctx context.Context, id int64) (*vouch.Opportunity, error) {
	o, err := scanOpportunity(db.queryRow(ctx, `SELECT `+opportunityColumns+` FROM opportunities WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Opportunity", id)
	}
	return o, err
}

// OpportunitiesByID reads the opportunities with the given ids in one query,
// for lists that show each row's opportunity.
func (db *DB) OpportunitiesByID(ctx context.Context, ids []int64) (map[int64]*vouch.Opportunity, error) {
	ids = uniqueIDs(ids)
	out := make(map[int64]*vouch.Opportunity, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := db.query(ctx, `SELECT `+opportunityColumns+` FROM opportunities WHERE id IN (`+placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		o, err := scanOpportunity(rows)
		if err != nil {
			return nil, err
		}
		out[o.ID] = o
	}
	return out, rows.Err()
}

// ListOpportunities returns a page of opportunities, newest first, and how many match.
func (db *DB) ListOpportunities(ctx context.Context, f vouch.OpportunityFilter) ([]*vouch.Opportunity, int, error) {
	var where []string
	var args []any
	if f.OwnerID != 0 {
		where = append(where, "owner_id = ?")
		args = append(args, f.OwnerID)
	}
	if f.Status != "" {
		where = append(where, "status = ?")
		args = append(args, string(f.Status))
	}
	for _, c := range []struct {
		col string
		id  int64
	}{{"industry_id", f.IndustryID}, {"region_id", f.RegionID}, {"product_id", f.ProductID}, {"segment_id", f.SegmentID},
		{"size_id", f.SizeID}, {"account_id", f.AccountID}} {
		if c.id != 0 {
			where = append(where, c.col+" = ?")
			args = append(args, c.id)
		}
	}
	if t := strings.TrimSpace(f.Text); t != "" {
		where = append(where, "(LOWER(name) LIKE ? OR LOWER(prospect) LIKE ?)")
		like := containsPattern(strings.ToLower(t))
		args = append(args, like, like)
	}
	w := ""
	if len(where) > 0 {
		w = " WHERE " + strings.Join(where, " AND ")
	}
	if f.Limit == 0 {
		f.Limit = 50
	}
	out, err := db.opportunityPage(ctx, w, args, f.Limit, f.Offset)
	if err != nil {
		return nil, 0, err
	}
	// A first page that is not full holds every match: no second scan to
	// count them, which halves a name search over many deals.
	if f.Offset == 0 && len(out) < f.Limit {
		return out, len(out), nil
	}
	var total int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM opportunities`+w, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// opportunityPage reads a page of the opportunities where w holds, newest first.
func (db *DB) opportunityPage(ctx context.Context, w string, args []any, limit, offset int) ([]*vouch.Opportunity, error) {
	rows, err := db.query(ctx, `SELECT `+opportunityColumns+` FROM opportunities`+w+` ORDER BY id DESC LIMIT ? OFFSET ?`,
		append(slices.Clip(args), limit, offset)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*vouch.Opportunity{}
	for rows.Next() {
		o, err := scanOpportunity(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
