package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

// This file holds snapshots and bulk writes: what a spreadsheet import and
// the demo need beyond single-record writes — one consistent read of
// everything an import compares with, and creates of many records in few
// statements. A record made here is normalised, checked by the database and
// audited exactly as CreateAccount and CreateReference would; its callers
// (the import plan, references.Service) have validated it. Only the number
// of round trips differs (an import of 50,000 rows cannot afford a dozen
// prepared-on-the-fly statements per row).

// Snapshot is everything an import compares a spreadsheet with.
type Snapshot struct {
	Accounts   []*vouch.Account   // ordered by id, with products
	References []*vouch.Reference // ordered by id, with multi-valued fields
	Values     []*vouch.TaxonomyValue
	Users      map[int64]string // user id → email
	UserNames  map[int64]string // user id → name
}

// Snapshot reads every account, reference, taxonomy value and user in one
// read-only transaction, so the parts agree with each other.
func (db *DB) Snapshot(ctx context.Context) (*Snapshot, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer func() { _ = tx.Rollback() }() // read only: ending it is all there is to do
	return loadSnapshot(func(query string, args ...any) (*sql.Rows, error) {
		return tx.QueryContext(ctx, db.q(query), args...)
	}, true)
}

// AccountSnapshot is Snapshot without the references: what an import of
// CRM deals or accounts compares with.
func (db *DB) AccountSnapshot(ctx context.Context) (*Snapshot, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer func() { _ = tx.Rollback() }() // read only: ending it is all there is to do
	return loadSnapshot(func(query string, args ...any) (*sql.Rows, error) {
		return tx.QueryContext(ctx, db.q(query), args...)
	}, false)
}

// AccountSnapshot is DB.AccountSnapshot inside the batch.
func (b *Batch) AccountSnapshot() (*Snapshot, error) {
	return loadSnapshot(b.tx.query, false)
}

// Snapshot reads the same as DB.Snapshot inside the batch, so what an import
// decides is based on exactly what its transaction will change.
func (b *Batch) Snapshot() (*Snapshot, error) {
	return loadSnapshot(b.tx.query, true)
}

func loadSnapshot(query func(string, ...any) (*sql.Rows, error), withRefs bool) (*Snapshot, error) {
	s := &Snapshot{Users: map[int64]string{}, UserNames: map[int64]string{}}
	each := func(q string, fn func(rows *sql.Rows) error) error {
		rows, err := query(q)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := fn(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	accounts := map[int64]*vouch.Account{}
	err := each(`SELECT `+accountColumns+` FROM accounts ORDER BY id`, func(rows *sql.Rows) error {
		a, err := scanAccount(rows)
		if err != nil {
			return err
		}
		a.ProductIDs = []int64{}
		accounts[a.ID] = a
		s.Accounts = append(s.Accounts, a)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = each(`SELECT account_id, value_id FROM account_products ORDER BY account_id, value_id`, func(rows *sql.Rows) error {
		var aid, vid int64
		if err := rows.Scan(&aid, &vid); err != nil {
			return err
		}
		if a := accounts[aid]; a != nil {
			a.ProductIDs = append(a.ProductIDs, vid)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	refs := map[int64]*vouch.Reference{}
	refQuery, valueQuery := `SELECT `+refColumns+` FROM refs ORDER BY id`, `SELECT ref_id, kind, value_id, consented_on FROM ref_values ORDER BY ref_id, kind, value_id`
	if !withRefs {
		refQuery, valueQuery = refQuery+` LIMIT 0`, valueQuery+` LIMIT 0`
	}
	err = each(refQuery, func(rows *sql.Rows) error {
		r, err := scanReference(rows)
		if err != nil {
			return err
		}
		refs[r.ID] = r
		s.References = append(s.References, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	// The same order as Reference reads them, so lists compare equal.
	err = each(valueQuery, func(rows *sql.Rows) error {
		var rid, vid int64
		var kind, consented string
		if err := rows.Scan(&rid, &kind, &vid, &consented); err != nil {
			return err
		}
		if r := refs[rid]; r != nil {
			addValue(r, kind, vid, consented)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = each(`SELECT `+taxonomyColumns+` FROM taxonomy_values ORDER BY kind, position, name_key`, func(rows *sql.Rows) error {
		t, err := scanTaxonomy(rows)
		if err != nil {
			return err
		}
		s.Values = append(s.Values, t)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = each(`SELECT id, email, name FROM users ORDER BY id`, func(rows *sql.Rows) error {
		var id int64
		var email, name string
		if err := rows.Scan(&id, &email, &name); err != nil {
			return err
		}
		s.Users[id], s.UserNames[id] = email, name
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// CreateTaxonomyValue adds a value at the end of its picklist inside the
// batch, so records created later in the same batch may use it.
func (b *Batch) CreateTaxonomyValue(t *vouch.TaxonomyValue) error {
	if err := t.Validate(); err != nil {
		return err
	}
	if err := b.tx.createTaxonomyValue(t); err != nil {
		return err
	}
	b.tx.valueKinds[t.ID] = string(t.Kind)
	return nil
}

// CreateAccounts adds many accounts the import plan validated, each checked
// against the database and audited as CreateAccount does. An error names
// the account it is about.
func (b *Batch) CreateAccounts(accounts []*vouch.Account) error {
	if len(accounts) == 0 {
		return nil
	}
	for _, a := range accounts {
		a.Normalize()
		if err := b.tx.validateAccountRefs(a); err != nil {
			return fmt.Errorf("account %q: %w", a.Name, err)
		}
	}
	ids, err := b.tx.reserveIDs("accounts", len(accounts))
	if err != nil {
		return err
	}
	tx := b.tx
	rows := make([]any, 0, len(accounts)*21)
	var products []any
	audits := make([]auditRow, 0, len(accounts))
	for i, a := range accounts {
		a.ID, a.Version, a.CreatedAt, a.UpdatedAt = ids[i], 1, tx.now, tx.now
		rows = append(rows, a.ID, a.Name, strings.ToLower(a.Name), a.Domain, nullID(a.IndustryID), nullID(a.SegmentID),
			nullID(a.RegionID), nullID(a.CountryID), nullID(a.SizeID), nullString(a.CRMID), nullID(a.OwnerID), a.CSM,
			a.Health, nullInt(a.NPS), a.CustomerSince.String(), a.Notes, arrValue(a), a.ARRCurrency, a.RenewalDate.String(),
			tx.now, tx.now)
		for _, p := range uniqueIDs(a.ProductIDs) {
			products = append(products, a.ID, p)
		}
		audits = append(audits, auditRow{"create", "account", a.ID, accountChanges(&vouch.Account{}, a)})
	}
	err = b.insertMany(`INSERT INTO accounts (id, name, name_key, domain, industry_id, segment_id, region_id, country_id, size_id,
		crm_id, owner_id, csm, health, nps, customer_since, notes, arr, arr_currency, renewal_date, version, created_at, updated_at) VALUES `,
		"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)", 21, rows)
	if isUnique(err) {
		return crmConflict("account")
	} else if err != nil {
		return err
	}
	if err := b.insertMany(`INSERT INTO account_products (account_id, value_id) VALUES `, "(?, ?)", 2, products); err != nil {
		return err
	}
	return b.auditMany(audits)
}

// CreateReferences adds many references with the first entry of each one's
// status history, validated by the import plan, each checked against the
// database and audited as CreateReference does.
func (b *Batch) CreateReferences(refs []*vouch.Reference) error {
	if len(refs) == 0 {
		return nil
	}
	tx := b.tx
	accountIDs := map[int64]bool{}
	for _, r := range refs {
		accountIDs[r.AccountID] = true
	}
	known, err := tx.existingAccounts(accountIDs)
	if err != nil {
		return err
	}
	for _, r := range refs {
		r.Normalize()
		if err := tx.checkReferenceRefs(r, known); err != nil {
			return fmt.Errorf("reference %q: %w", r.Name, err)
		}
		if r.Status == vouch.StatusResting && r.RestingUntil.IsZero() {
			return &vouch.Error{Code: vouch.EINVALID, Message: "A resting reference needs the day it is active again.",
				Fields: map[string]string{"resting_until": "is required for a resting reference"}}
		}
	}
	ids, err := tx.reserveIDs("refs", len(refs))
	if err != nil {
		return err
	}
	actor := vouch.ActorFrom(tx.ctx).Label
	rows := make([]any, 0, len(refs)*21)
	events := make([]any, 0, len(refs)*7)
	values := make([]any, 0, 4*countRefValues(refs))
	audits := make([]auditRow, 0, len(refs))
	for i, r := range refs {
		r.ID, r.Version, r.CreatedAt, r.UpdatedAt = ids[i], 1, tx.now, tx.now
		rows = append(rows, r.ID, r.AccountID, r.Name, r.Title, r.Seniority, nullString(r.Email), r.Phone, r.TimeZone,
			strings.Join(r.Languages, "; "), r.Deployment, r.GoLive.String(), r.Story, nullID(r.OwnerID),
			r.LastVerified.String(), string(r.Status), r.StatusReason, r.RestingUntil.String(), nullInt(r.CapacityOverride),
			nullString(r.CRMID), tx.now, tx.now)
		values = appendRefValues(values, r)
		events = append(events, r.ID, "", string(r.Status), r.StatusReason, r.RestingUntil.String(), actor, tx.now)
		audits = append(audits, auditRow{"create", "reference", r.ID, referenceChanges(&vouch.Reference{}, r)})
	}
	err = b.insertMany(`INSERT INTO refs (id, account_id, name, title, seniority, email, phone, time_zone, languages, deployment,
		go_live, story, owner_id, last_verified, status, status_reason, resting_until, capacity_override, crm_id, version,
		created_at, updated_at) VALUES `, "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)", 21, rows)
	if err != nil {
		return referenceConflict(err)
	}
	if err := b.insertMany(`INSERT INTO ref_values (ref_id, kind, value_id, consented_on) VALUES `, "(?, ?, ?, ?)", 4, values); err != nil {
		return err
	}
	if err := b.insertMany(`INSERT INTO ref_status_events (ref_id, from_status, to_status, reason, until, actor, at) VALUES `,
		"(?, ?, ?, ?, ?, ?, ?)", 7, events); err != nil {
		return err
	}
	return b.auditMany(audits)
}

// UpdateReferences saves many references the import plan validated, each
// read at r.Version, as UpdateReference does: checked against the database,
// compared with what is stored (a reference without changes is not
// written), audited. The status is not changed here.
func (b *Batch) UpdateReferences(refs []*vouch.Reference) error {
	if len(refs) == 0 {
		return nil
	}
	tx := b.tx
	ids := make([]int64, len(refs))
	accountIDs := map[int64]bool{}
	for i, r := range refs {
		ids[i] = r.ID
		accountIDs[r.AccountID] = true
	}
	stored, err := tx.referencesByID(ids)
	if err != nil {
		return err
	}
	known, err := tx.existingAccounts(accountIDs)
	if err != nil {
		return err
	}
	var changed []*vouch.Reference
	var audits []auditRow
	for _, r := range refs {
		before := stored[r.ID]
		if before == nil {
			return notFound("Reference", r.ID)
		}
		if r.Version != before.Version {
			return staleVersion("reference", before.Version)
		}
		r.Status, r.StatusReason, r.RestingUntil = before.Status, before.StatusReason, before.RestingUntil
		r.Normalize()
		if err := tx.checkReferenceRefs(r, known); err != nil {
			return fmt.Errorf("reference %q: %w", r.Name, err)
		}
		changes := referenceChanges(before, r)
		if len(changes) == 0 {
			*r = *before
			continue
		}
		stmt, err := b.prepare(`UPDATE refs SET account_id = ?, name = ?, title = ?, seniority = ?, email = ?, phone = ?,
			time_zone = ?, languages = ?, deployment = ?, go_live = ?, story = ?, owner_id = ?, last_verified = ?,
			capacity_override = ?, crm_id = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`)
		if err != nil {
			return err
		}
		res, err := stmt.ExecContext(tx.ctx, r.AccountID, r.Name, r.Title, r.Seniority, nullString(r.Email), r.Phone,
			r.TimeZone, strings.Join(r.Languages, "; "), r.Deployment, r.GoLive.String(), r.Story, nullID(r.OwnerID),
			r.LastVerified.String(), nullInt(r.CapacityOverride), nullString(r.CRMID), tx.now, r.ID, before.Version)
		if err != nil {
			return referenceConflict(err)
		}
		if err := savedAt(res, "reference", before.Version); err != nil {
			return err
		}
		r.Version, r.CreatedAt, r.UpdatedAt = before.Version+1, before.CreatedAt, tx.now
		changed = append(changed, r)
		audits = append(audits, auditRow{"update", "reference", r.ID, changes})
	}
	// The multi-valued fields of the changed references, replaced as setReferenceValues does.
	var values []any
	for start := 0; start < len(changed); start += 500 {
		part := changed[start:min(start+500, len(changed))]
		args := make([]any, len(part))
		for i, r := range part {
			args[i] = r.ID
			values = appendRefValues(values, r)
		}
		if _, err := tx.exec(`DELETE FROM ref_values WHERE ref_id IN (`+placeholders(len(part))+`)`, args...); err != nil {
			return err
		}
	}
	if err := b.insertMany(`INSERT INTO ref_values (ref_id, kind, value_id, consented_on) VALUES `, "(?, ?, ?, ?)", 4, values); err != nil {
		return err
	}
	return b.auditMany(audits)
}

// referencesByID reads references with their multi-valued fields, in few queries.
func (tx *Tx) referencesByID(ids []int64) (map[int64]*vouch.Reference, error) {
	out := make(map[int64]*vouch.Reference, len(ids))
	for start := 0; start < len(ids); start += 500 {
		part := ids[start:min(start+500, len(ids))]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		in := ` IN (` + placeholders(len(part)) + `)`
		rows, err := tx.query(`SELECT `+refColumns+` FROM refs WHERE id`+in, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			r, err := scanReference(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			out[r.ID] = r
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		rows, err = tx.query(`SELECT ref_id, kind, value_id, consented_on FROM ref_values WHERE ref_id`+in+` ORDER BY ref_id, kind, value_id`, args...)
		if err != nil {
			return nil, err
		}
		if err := addValues(rows, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// appendRefValues adds r's ref_values rows, each (kind, value) once; the first
// consent date of a repeated activity type wins, as in setReferenceValues.
func appendRefValues(out []any, r *vouch.Reference) []any {
	// A reference has a handful of values: a scan of the rows added so far
	// finds a repeat without allocating a set per reference. The reference's
	// id and the kinds are boxed once, not once per row.
	first, rid := len(out), any(r.ID)
	add := func(kind any, id int64, consented any) {
		for i := first; i < len(out); i += 4 {
			if out[i+2].(int64) == id && out[i+1] == kind {
				return
			}
		}
		out = append(out, rid, kind, id, consented)
	}
	for _, id := range r.ProductIDs {
		add(kindProduct, id, noConsent)
	}
	for _, id := range r.UseCaseIDs {
		add(kindUseCase, id, noConsent)
	}
	for _, id := range r.CompetitorIDs {
		add(kindCompetitor, id, noConsent)
	}
	for _, a := range r.Activities {
		consented := noConsent
		if !a.ConsentedOn.IsZero() {
			consented = a.ConsentedOn.String()
		}
		add(kindActivityType, a.TypeID, consented)
	}
	return out
}

// The ref_values kinds and the empty consent day as query arguments, made once.
var (
	kindProduct      any = string(vouch.TaxProduct)
	kindUseCase      any = string(vouch.TaxUseCase)
	kindCompetitor   any = string(vouch.TaxCompetitor)
	kindActivityType any = string(vouch.TaxActivityType)
	noConsent        any = ""
)

// countRefValues is how many ref_values rows refs have at most.
func countRefValues(refs []*vouch.Reference) int {
	n := 0
	for _, r := range refs {
		n += len(r.ProductIDs) + len(r.UseCaseIDs) + len(r.CompetitorIDs) + len(r.Activities)
	}
	return n
}

// existingAccounts returns which of ids are accounts, in a few queries.
func (tx *Tx) existingAccounts(ids map[int64]bool) (map[int64]bool, error) {
	list := make([]any, 0, len(ids))
	for id := range ids {
		if id != 0 {
			list = append(list, id)
		}
	}
	known := map[int64]bool{}
	for start := 0; start < len(list); start += 500 {
		part := list[start:min(start+500, len(list))]
		found, err := tx.ids(`SELECT id FROM accounts WHERE id IN (`+placeholders(len(part))+`)`, part...)
		if err != nil {
			return nil, err
		}
		for _, id := range found {
			known[id] = true
		}
	}
	return known, nil
}

// checkReferenceRefs is validateReferenceRefs with the accounts looked up in advance.
func (tx *Tx) checkReferenceRefs(r *vouch.Reference, accounts map[int64]bool) error {
	var v vouch.Validation
	if r.AccountID != 0 && !accounts[r.AccountID] {
		v.Add("account", "is not a known account")
	}
	for _, c := range []struct {
		field string
		kind  vouch.TaxonomyKind
		ids   []int64
	}{{"products", vouch.TaxProduct, r.ProductIDs}, {"use_cases", vouch.TaxUseCase, r.UseCaseIDs},
		{"competitors", vouch.TaxCompetitor, r.CompetitorIDs}} {
		for _, id := range c.ids {
			if err := tx.checkValue(&v, c.field, c.kind, id); err != nil {
				return err
			}
		}
	}
	for _, a := range r.Activities {
		if err := tx.checkValue(&v, "activities", vouch.TaxActivityType, a.TypeID); err != nil {
			return err
		}
	}
	if err := tx.checkUser(&v, "owner", r.OwnerID); err != nil {
		return err
	}
	return v.Err()
}

// reserveIDs returns n new ids for rows of table. On SQLite the batch holds
// the only write lock, so the ids after the largest are free, exactly those
// SQLite would pick; PostgreSQL hands them out from the table's sequence.
func (tx *Tx) reserveIDs(table string, n int) ([]int64, error) {
	out := make([]int64, 0, n)
	if tx.db.Engine == Postgres {
		rows, err := tx.query(`SELECT nextval(pg_get_serial_sequence('`+table+`', 'id')) FROM generate_series(1, ?)`, n)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			out = append(out, id)
		}
		return out, rows.Err()
	}
	var max int64
	if err := tx.queryRow(`SELECT COALESCE(MAX(id), 0) FROM ` + table).Scan(&max); err != nil {
		return nil, err
	}
	for i := 1; i <= n; i++ {
		out = append(out, max+int64(i))
	}
	return out, nil
}

// auditRow is one audit entry to write with auditMany.
type auditRow struct {
	action     string
	entityType vouch.EntityKind
	entityID   int64
	changes    []vouch.Change
}

// auditMany writes entries as tx.audit would, in few statements.
func (b *Batch) auditMany(entries []auditRow) error {
	a := vouch.ActorFrom(b.tx.ctx)
	var actorID any
	if a.UserID != 0 {
		actorID = a.UserID
	}
	rows := make([]any, 0, len(entries)*7)
	var buf []byte
	for _, e := range entries {
		var err error
		if buf, err = appendChanges(buf[:0], e.changes); err != nil {
			return err
		}
		rows = append(rows, b.tx.now, actorID, a.Label, e.action, string(e.entityType), e.entityID, string(buf))
	}
	if err := b.insertMany(`INSERT INTO audit_log (at, actor_id, actor, action, entity_type, entity_id, changes) VALUES `,
		"(?, ?, ?, ?, ?, ?, ?)", 7, rows); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	for _, e := range entries {
		b.tx.touched = append(b.tx.touched, vouch.Touched{Kind: e.entityType, ID: e.entityID})
	}
	return nil
}

// maxParams keeps a statement within SQLite's historical limit of 999 parameters.
const maxParams = 999

// insertMany inserts the rows in args (width values each) with multi-row
// INSERT statements of up to maxParams parameters, each shape prepared once per batch.
func (b *Batch) insertMany(head, row string, width int, args []any) error {
	n := len(args) / width
	per := maxParams / width
	for start := 0; start < n; start += per {
		k := min(per, n-start)
		query := head + strings.TrimSuffix(strings.Repeat(row+", ", k), ", ")
		stmt, err := b.prepare(query)
		if err != nil {
			return err
		}
		if _, err := stmt.ExecContext(b.tx.ctx, args[start*width:(start+k)*width]...); err != nil {
			return err
		}
	}
	return nil
}

// prepare returns the batch's prepared statement for query; the statements
// close with the transaction.
func (b *Batch) prepare(query string) (*sql.Stmt, error) {
	if s, ok := b.stmts[query]; ok {
		return s, nil
	}
	s, err := b.tx.tx.PrepareContext(b.tx.ctx, b.tx.db.q(query))
	if err != nil {
		return nil, err
	}
	if b.stmts == nil {
		b.stmts = map[string]*sql.Stmt{}
	}
	b.stmts[query] = s
	return s, nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}
