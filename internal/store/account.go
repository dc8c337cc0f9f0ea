package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

const accountColumns = `id, name, domain, COALESCE(industry_id, 0), COALESCE(segment_id, 0), COALESCE(region_id, 0),
	COALESCE(country_id, 0), COALESCE(size_id, 0), COALESCE(crm_id, ''), COALESCE(owner_id, 0), csm, health, nps,
	customer_since, notes, arr, arr_currency, renewal_date, version, created_at, updated_at`

func scanAccount(row interface{ Scan(...any) error }) (*vouch.Account, error) {
	a := &vouch.Account{}
	var nps, arr sql.NullInt64
	var since, renewal string
	if err := row.Scan(&a.ID, &a.Name, &a.Domain, &a.IndustryID, &a.SegmentID, &a.RegionID, &a.CountryID, &a.SizeID,
		&a.CRMID, &a.OwnerID, &a.CSM, &a.Health, &nps, &since, &a.Notes, &arr, &a.ARRCurrency, &renewal,
		&a.Version, &a.CreatedAt, &a.UpdatedAt); err != nil {
		return nil, err
	}
	a.ARRCents = arr.Int64
	a.RenewalDate, _ = vouch.ParseDate(renewal)
	if nps.Valid {
		n := int(nps.Int64)
		a.NPS = &n
	}
	a.CustomerSince, _ = vouch.ParseDate(since)
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	return a, nil
}

// containsPattern is a LIKE pattern for "contains s". LIKE's wildcards in
// s are dropped, so they cannot match more than was typed.
func containsPattern(s string) string {
	return "%" + strings.NewReplacer("%", "", "_", "").Replace(s) + "%"
}

// nullID stores 0 as NULL for optional references to other rows.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullInt(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

// checkValue verifies that id is a value of kind (or 0), naming field when not.
func (tx *Tx) checkValue(v *vouch.Validation, field string, kind vouch.TaxonomyKind, id int64) error {
	if id == 0 {
		return nil
	}
	if tx.valueKinds != nil {
		if tx.valueKinds[id] != string(kind) {
			v.Add(field, "is not a known "+strings.TrimSuffix(strings.ToLower(kind.Label()), "s"))
		}
		return nil
	}
	var k string
	err := tx.queryRow(`SELECT kind FROM taxonomy_values WHERE id = ?`, id).Scan(&k)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && k != string(kind)) {
		v.Add(field, "is not a known "+strings.TrimSuffix(strings.ToLower(kind.Label()), "s"))
		return nil
	}
	return err
}

func (tx *Tx) checkUser(v *vouch.Validation, field string, id int64) error {
	if id == 0 {
		return nil
	}
	if tx.userIDs != nil {
		if !tx.userIDs[id] {
			v.Add(field, "is not a known user")
		}
		return nil
	}
	var n int
	if err := tx.queryRow(`SELECT COUNT(*) FROM users WHERE id = ?`, id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		v.Add(field, "is not a known user")
	}
	return nil
}

func (tx *Tx) validateAccountRefs(a *vouch.Account) error {
	var v vouch.Validation
	for _, c := range []struct {
		field string
		kind  vouch.TaxonomyKind
		id    int64
	}{{"industry", vouch.TaxIndustry, a.IndustryID}, {"segment", vouch.TaxSegment, a.SegmentID},
		{"region", vouch.TaxRegion, a.RegionID}, {"country", vouch.TaxCountry, a.CountryID},
		{"company_size", vouch.TaxCompanySize, a.SizeID}} {
		if err := tx.checkValue(&v, c.field, c.kind, c.id); err != nil {
			return err
		}
	}
	for _, id := range a.ProductIDs {
		if err := tx.checkValue(&v, "products", vouch.TaxProduct, id); err != nil {
			return err
		}
	}
	if err := tx.checkUser(&v, "owner", a.OwnerID); err != nil {
		return err
	}
	return v.Err()
}

func crmConflict(what string) error { return vouch.DuplicateCRMID(what) }

// CreateAccount stores a new account, validated by the caller (see
// Batch.CreateAccount).
func (db *DB) CreateAccount(ctx context.Context, a *vouch.Account) error {
	return db.update(ctx, func(tx *Tx) error { return tx.createAccount(a) })
}

func (tx *Tx) createAccount(a *vouch.Account) error {
	a.Normalize()
	if err := tx.validateAccountRefs(a); err != nil {
		return err
	}
	id, err := tx.insert(`INSERT INTO accounts (name, name_key, domain, industry_id, segment_id, region_id, country_id, size_id,
		crm_id, owner_id, csm, health, nps, customer_since, notes, arr, arr_currency, renewal_date, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		a.Name, strings.ToLower(a.Name), a.Domain, nullID(a.IndustryID), nullID(a.SegmentID), nullID(a.RegionID),
		nullID(a.CountryID), nullID(a.SizeID), nullString(a.CRMID), nullID(a.OwnerID), a.CSM, a.Health, nullInt(a.NPS),
		a.CustomerSince.String(), a.Notes, arrValue(a), a.ARRCurrency, a.RenewalDate.String(), tx.now, tx.now)
	if isUnique(err) {
		return crmConflict("account")
	} else if err != nil {
		return err
	}
	a.ID, a.Version, a.CreatedAt, a.UpdatedAt = id, 1, tx.now, tx.now
	if err := tx.setAccountProducts(id, a.ProductIDs); err != nil {
		return err
	}
	return tx.audit("create", "account", id, accountChanges(&vouch.Account{}, a))
}

func (tx *Tx) setAccountProducts(id int64, products []int64) error {
	if _, err := tx.exec(`DELETE FROM account_products WHERE account_id = ?`, id); err != nil {
		return err
	}
	for _, p := range uniqueIDs(products) {
		if _, err := tx.exec(`INSERT INTO account_products (account_id, value_id) VALUES (?, ?)`, id, p); err != nil {
			return err
		}
	}
	return nil
}

func uniqueIDs(ids []int64) []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, id := range ids {
		if id != 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func accountChanges(before, after *vouch.Account) []vouch.Change {
	var c []vouch.Change
	c = vouch.Diff(c, "name", before.Name, after.Name)
	c = vouch.Diff(c, "domain", before.Domain, after.Domain)
	c = vouch.Diff(c, "industry_id", before.IndustryID, after.IndustryID)
	c = vouch.Diff(c, "segment_id", before.SegmentID, after.SegmentID)
	c = vouch.Diff(c, "region_id", before.RegionID, after.RegionID)
	c = vouch.Diff(c, "country_id", before.CountryID, after.CountryID)
	c = vouch.Diff(c, "company_size_id", before.SizeID, after.SizeID)
	c = vouch.Diff(c, "crm_id", before.CRMID, after.CRMID)
	c = vouch.Diff(c, "owner_id", before.OwnerID, after.OwnerID)
	c = vouch.Diff(c, "csm", before.CSM, after.CSM)
	c = vouch.Diff(c, "health", before.Health, after.Health)
	c = vouch.Diff(c, "nps", intOrNil(before.NPS), intOrNil(after.NPS))
	c = vouch.Diff(c, "customer_since", before.CustomerSince.String(), after.CustomerSince.String())
	c = vouch.Diff(c, "product_ids", sortedIDs(before.ProductIDs), sortedIDs(after.ProductIDs))
	c = vouch.Diff(c, "notes", before.Notes, after.Notes)
	c = vouch.Diff(c, "arr", before.ARR(), after.ARR())
	c = vouch.Diff(c, "renewal_date", before.RenewalDate.String(), after.RenewalDate.String())
	return c
}

// arrValue stores an unknown ARR as NULL, so "not known" and "zero" differ.
func arrValue(a *vouch.Account) any {
	if !a.HasARR() {
		return nil
	}
	return a.ARRCents
}

func intOrNil(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

// Account returns the account with id.
func (db *DB) Account(ctx context.Context, id int64) (*vouch.Account, error) {
	a, err := scanAccount(db.queryRow(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Account", id)
	} else if err != nil {
		return nil, err
	}
	a.ProductIDs, err = db.ids(ctx, `SELECT value_id FROM account_products WHERE account_id = ? ORDER BY value_id`, id)
	return a, err
}

func (db *DB) ids(ctx context.Context, query string, args ...any) ([]int64, error) {
	rows, err := db.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// AccountByName finds an account by name, case-insensitively.
func (db *DB) AccountByName(ctx context.Context, name string) (*vouch.Account, error) {
	var id int64
	err := db.queryRow(ctx, `SELECT id FROM accounts WHERE name_key = ? ORDER BY id LIMIT 1`,
		strings.ToLower(strings.Join(strings.Fields(name), " "))).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vouch.Errorf(vouch.ENOTFOUND, "No account named %q.", name)
	} else if err != nil {
		return nil, err
	}
	return db.Account(ctx, id)
}

// ListAccounts returns accounts ordered by id, and how many match in all.
func (db *DB) ListAccounts(ctx context.Context, f vouch.AccountFilter) ([]*vouch.Account, int, error) {
	cond, args := " WHERE 1=1", []any{}
	if q := strings.ToLower(strings.TrimSpace(f.Query)); q != "" {
		cond += " AND (name_key LIKE ? OR domain LIKE ?)"
		like := containsPattern(q)
		args = append(args, like, like)
	}
	var total int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM accounts`+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 50
	}
	rows, err := db.query(ctx, `SELECT `+accountColumns+` FROM accounts`+cond+` AND id > ? ORDER BY id LIMIT ?`,
		append(args, f.AfterID, limit)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*vouch.Account
	byID := map[int64]*vouch.Account{}
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, 0, err
		}
		a.ProductIDs = []int64{}
		out = append(out, a)
		byID[a.ID] = a
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	rows.Close()
	if len(out) > 0 {
		prow, err := db.query(ctx, `SELECT account_id, value_id FROM account_products WHERE account_id >= ? AND account_id <= ? ORDER BY value_id`,
			out[0].ID, out[len(out)-1].ID)
		if err != nil {
			return nil, 0, err
		}
		defer prow.Close()
		for prow.Next() {
			var aid, vid int64
			if err := prow.Scan(&aid, &vid); err != nil {
				return nil, 0, err
			}
			if a := byID[aid]; a != nil {
				a.ProductIDs = append(a.ProductIDs, vid)
			}
		}
	}
	return out, total, nil
}

// UpdateAccount saves a, which must carry the version it was read at; if
// someone saved in between, nothing is written and a conflict is returned.
func (db *DB) UpdateAccount(ctx context.Context, a *vouch.Account) error {
	return db.update(ctx, func(tx *Tx) error { return tx.updateAccount(a) })
}

func (tx *Tx) updateAccount(a *vouch.Account) error {
	a.Normalize()
	before, err := scanAccount(tx.queryRow(`SELECT `+accountColumns+` FROM accounts WHERE id = ?`, a.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("Account", a.ID)
	} else if err != nil {
		return err
	}
	if before.ProductIDs, err = tx.ids(`SELECT value_id FROM account_products WHERE account_id = ? ORDER BY value_id`, a.ID); err != nil {
		return err
	}
	if a.Version != before.Version {
		return staleVersion("account", before.Version)
	}
	if err := tx.validateAccountRefs(a); err != nil {
		return err
	}
	changes := accountChanges(before, a)
	if len(changes) == 0 {
		*a = *before
		return nil
	}
	res, err := tx.exec(`UPDATE accounts SET name = ?, name_key = ?, domain = ?, industry_id = ?, segment_id = ?, region_id = ?,
		country_id = ?, size_id = ?, crm_id = ?, owner_id = ?, csm = ?, health = ?, nps = ?, customer_since = ?, notes = ?,
		arr = ?, arr_currency = ?, renewal_date = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		a.Name, strings.ToLower(a.Name), a.Domain, nullID(a.IndustryID), nullID(a.SegmentID), nullID(a.RegionID),
		nullID(a.CountryID), nullID(a.SizeID), nullString(a.CRMID), nullID(a.OwnerID), a.CSM, a.Health, nullInt(a.NPS),
		a.CustomerSince.String(), a.Notes, arrValue(a), a.ARRCurrency, a.RenewalDate.String(), tx.now, a.ID, before.Version)
	if isUnique(err) {
		return crmConflict("account")
	} else if err != nil {
		return err
	}
	if err := savedAt(res, "account", before.Version); err != nil {
		return err
	}
	if err := tx.setAccountProducts(a.ID, a.ProductIDs); err != nil {
		return err
	}
	a.Version, a.CreatedAt, a.UpdatedAt = before.Version+1, before.CreatedAt, tx.now
	return tx.audit("update", "account", a.ID, changes)
}

func (tx *Tx) ids(query string, args ...any) ([]int64, error) {
	rows, err := tx.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

func staleVersion(what string, current int) error { return vouch.StaleVersion(what) }

// savedAt turns an UPDATE … WHERE id = ? AND version = ? that changed no row
// into a conflict. Comparing the version read is not enough on PostgreSQL:
// a save that commits meanwhile makes this UPDATE wait, then match nothing.
func savedAt(res sql.Result, what string, version int) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return staleVersion(what, version)
	}
	return nil
}

// DeleteAccount removes an account that has no references.
func (db *DB) DeleteAccount(ctx context.Context, id int64) error {
	return db.update(ctx, func(tx *Tx) error {
		a, err := scanAccount(tx.queryRow(`SELECT `+accountColumns+` FROM accounts WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Account", id)
		} else if err != nil {
			return err
		}
		var refs int
		if err := tx.queryRow(`SELECT COUNT(*) FROM refs WHERE account_id = ?`, id).Scan(&refs); err != nil {
			return err
		}
		if refs > 0 {
			return vouch.AccountHasReferences(a.Name, refs)
		}
		if _, err := tx.exec(`DELETE FROM accounts WHERE id = ?`, id); err != nil {
			return err
		}
		return tx.audit("delete", "account", id, accountChanges(a, &vouch.Account{}))
	})
}

// sortedIDs renders ids for the audit log in a stable order.
func sortedIDs(ids []int64) string {
	s := append([]int64(nil), uniqueIDs(ids)...)
	slices.Sort(s)
	// As fmt.Sprint prints it ("[3 9]"), written directly: imports diff every reference.
	buf := make([]byte, 0, 2+len(s)*6)
	buf = append(buf, '[')
	for i, id := range s {
		if i > 0 {
			buf = append(buf, ' ')
		}
		buf = strconv.AppendInt(buf, id, 10)
	}
	return string(append(buf, ']'))
}
