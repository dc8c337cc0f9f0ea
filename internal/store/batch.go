package store

import (
	"context"
	"database/sql"

	"github.com/vouchhq/vouch/internal/vouch"
)

// Batch makes many changes in one transaction: all of them are saved, or
// none (imports are all-or-nothing). Taxonomy values and users are looked up
// once per batch instead of once per row.
type Batch struct {
	tx    *Tx
	stmts map[string]*sql.Stmt // statements prepared for this batch, by query
}

// Batch runs fn in one write transaction; an error from fn rolls everything back.
func (db *DB) Batch(ctx context.Context, fn func(b *Batch) error) error {
	if db.Engine == SQLite {
		// The multi-row inserts of a big batch keep statement journals,
		// which belong in memory rather than in temporary files. The setting
		// belongs to the one write connection.
		if _, err := db.write.ExecContext(ctx, `PRAGMA temp_store = MEMORY`); err != nil {
			return err
		}
	}
	return db.update(ctx, func(tx *Tx) error {
		if err := tx.cacheLookups(); err != nil {
			return err
		}
		return fn(&Batch{tx: tx})
	})
}

func (tx *Tx) cacheLookups() error {
	tx.valueKinds, tx.userIDs = map[int64]string{}, map[int64]bool{}
	rows, err := tx.query(`SELECT id, kind FROM taxonomy_values`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var kind string
		if err := rows.Scan(&id, &kind); err != nil {
			rows.Close()
			return err
		}
		tx.valueKinds[id] = kind
	}
	rows.Close()
	ids, err := tx.ids(`SELECT id FROM users`)
	if err != nil {
		return err
	}
	for _, id := range ids {
		tx.userIDs[id] = true
	}
	return nil
}

// CreateAccount adds an account the caller validated (references.Service,
// the import plan); the store checks only what the database holds: the
// values and the owner exist, the CRM id is unique.
func (b *Batch) CreateAccount(a *vouch.Account) error {
	return b.tx.createAccount(a)
}

// UpdateAccount saves a validated account read at a.Version.
func (b *Batch) UpdateAccount(a *vouch.Account) error {
	return b.tx.updateAccount(a)
}

// CreateReference adds a reference the caller validated (references.Service,
// the import plan); the store checks only what the database holds: the
// account, values and owner exist, the email and CRM id are unique.
func (b *Batch) CreateReference(r *vouch.Reference) error {
	return b.tx.createReference(r)
}

// UpdateReference saves a validated reference read at r.Version.
func (b *Batch) UpdateReference(r *vouch.Reference) error {
	return b.tx.updateReference(r)
}

// ChangeStatus moves a reference along its lifecycle.
func (b *Batch) ChangeStatus(id int64, c vouch.StatusChange) (*vouch.Reference, error) {
	return b.tx.changeStatus(id, 0, c)
}

// ChangeStatusAt moves a reference read at version along its lifecycle; a
// save by someone else since that version is a conflict.
func (b *Batch) ChangeStatusAt(id int64, version int, c vouch.StatusChange) (*vouch.Reference, error) {
	return b.tx.changeStatus(id, version, c)
}

// Reference reads a reference inside the batch.
func (b *Batch) Reference(id int64) (*vouch.Reference, error) {
	return b.tx.reference(id)
}

// LogActivity records an activity on day on for a reference. Tied to an
// opportunity, it keeps a.OppStage and a.OppAmountCents when the caller
// gives a stage (history from before Vouch), else the deal as it stands.
func (b *Batch) LogActivity(a *vouch.Activity) error {
	if a.OpportunityID != 0 && a.OppStage == "" {
		at, err := b.tx.oppNow(a.OpportunityID)
		if err != nil {
			return err
		}
		a.OppStage, a.OppAmountCents = at.stage, at.cents()
	}
	return b.LogActivities([]*vouch.Activity{a})
}
