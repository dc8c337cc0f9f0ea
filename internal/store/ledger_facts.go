package store

import (
	"context"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/vouch"
)

// LedgerFacts are what the ask ledger's read model (refindex.Ledger) holds
// of some references: their accounts and flags, the days they were asked
// by any team, and their done activities. Reads only; the check inside an
// ask's transaction reads the tables itself (checkFatigue).
type LedgerFacts struct {
	References []LedgerReference
	Asks       []LedgerAsk      // request asks (not rejected) and other teams' logged asks
	Done       []LedgerActivity // done activities
}

// LedgerReference is a reference as the ledger sees it.
type LedgerReference struct {
	ID, AccountID int64
	Name          string
}

// LedgerAccount is an account and its flag.
type LedgerAccount struct {
	ID         int64
	Name       string
	FlagReason string
	FlagUntil  vouch.Date
}

// LedgerAsk is the day a reference was asked, in the program's time zone.
type LedgerAsk struct {
	ReferenceID int64
	Day         vouch.Date
}

// LedgerActivity is a done activity of a reference.
type LedgerActivity struct {
	ReferenceID int64
	Day         vouch.Date
	TypeID      int64
}

// inIDs is " WHERE col IN (?, …)" for ids, or "" for nil (every row).
func inIDs(col string, ids []int64, and string) (string, []any) {
	if ids == nil {
		if and != "" {
			return " WHERE " + and, nil
		}
		return "", nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	cond := col + " IN (" + strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",") + ")"
	if and != "" {
		cond += " AND " + and
	}
	return " WHERE " + cond, args
}

// LoadLedgerFacts reads the ledger facts of the references with the given
// ids, or of every reference when ids is nil, in four queries. A request
// ask's day is its creation's day in the program's time zone, as the
// ledger shows it.
func (db *DB) LoadLedgerFacts(ctx context.Context, ids []int64) (LedgerFacts, error) {
	var f LedgerFacts
	if ids != nil && len(ids) == 0 {
		return f, nil
	}
	where, args := inIDs("id", ids, "")
	rows, err := db.query(ctx, `SELECT id, account_id, name FROM refs`+where, args...)
	if err != nil {
		return f, err
	}
	for rows.Next() {
		var r LedgerReference
		if err := rows.Scan(&r.ID, &r.AccountID, &r.Name); err != nil {
			rows.Close()
			return f, err
		}
		f.References = append(f.References, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return f, err
	}
	where, args = inIDs("ref_id", ids, "state <> ?")
	rows, err = db.query(ctx, `SELECT ref_id, created_at FROM asks`+where, append(args, string(vouch.AskRejected))...)
	if err != nil {
		return f, err
	}
	for rows.Next() {
		var a LedgerAsk
		var at time.Time
		if err := rows.Scan(&a.ReferenceID, &at); err != nil {
			rows.Close()
			return f, err
		}
		a.Day = db.Clock.DayOf(at)
		f.Asks = append(f.Asks, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return f, err
	}
	where, args = inIDs("ref_id", ids, "")
	rows, err = db.query(ctx, `SELECT ref_id, asked_on FROM team_asks`+where, args...)
	if err != nil {
		return f, err
	}
	for rows.Next() {
		var a LedgerAsk
		var day string
		if err := rows.Scan(&a.ReferenceID, &day); err != nil {
			rows.Close()
			return f, err
		}
		if a.Day, err = vouch.ParseDate(day); err != nil {
			rows.Close()
			return f, err
		}
		f.Asks = append(f.Asks, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return f, err
	}
	where, args = inIDs("ref_id", ids, "state = ?")
	rows, err = db.query(ctx, `SELECT ref_id, occurred_on, type_id FROM activities`+where, append(args, string(vouch.ActivityDone))...)
	if err != nil {
		return f, err
	}
	defer rows.Close()
	for rows.Next() {
		var a LedgerActivity
		var day string
		if err := rows.Scan(&a.ReferenceID, &day, &a.TypeID); err != nil {
			return f, err
		}
		if a.Day, err = vouch.ParseDate(day); err != nil {
			return f, err
		}
		f.Done = append(f.Done, a)
	}
	return f, rows.Err()
}

// LoadLedgerAccounts reads the names and flags of the accounts with the
// given ids, or of every account when ids is nil.
func (db *DB) LoadLedgerAccounts(ctx context.Context, ids []int64) ([]LedgerAccount, error) {
	if ids != nil && len(ids) == 0 {
		return nil, nil
	}
	where, args := inIDs("id", ids, "")
	rows, err := db.query(ctx, `SELECT id, name, flag_reason, flag_until FROM accounts`+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []LedgerAccount
	for rows.Next() {
		var a LedgerAccount
		var until string
		if err := rows.Scan(&a.ID, &a.Name, &a.FlagReason, &until); err != nil {
			return nil, err
		}
		if a.FlagUntil, err = vouch.ParseDate(until); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// AskReferences returns the references the asks with the given ids are
// of; TeamAskReferences those of other teams' logged asks.
func (db *DB) AskReferences(ctx context.Context, askIDs []int64) ([]int64, error) {
	if len(askIDs) == 0 {
		return nil, nil
	}
	where, args := inIDs("id", askIDs, "")
	return db.ids(ctx, `SELECT DISTINCT ref_id FROM asks`+where, args...)
}

// TeamAskReferences returns the references the logged asks with the given ids are of.
func (db *DB) TeamAskReferences(ctx context.Context, ids []int64) ([]int64, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	where, args := inIDs("id", ids, "")
	return db.ids(ctx, `SELECT DISTINCT ref_id FROM team_asks`+where, args...)
}

// LogTeamAsks records many asks other teams already made in few
// statements, each audited as LogTeamAsk does: the history of a team's
// asks brought in at once. What already happened is not refused by the
// fatigue rules (they judge new asks); the caller has validated each.
func (b *Batch) LogTeamAsks(asks []*vouch.TeamAsk) error {
	if len(asks) == 0 {
		return nil
	}
	tx := b.tx
	ids, err := tx.reserveIDs("team_asks", len(asks))
	if err != nil {
		return err
	}
	const width = 8
	rows := make([]any, 0, len(asks)*width)
	audits := make([]auditRow, 0, len(asks))
	refs := map[int64]bool{}
	for i, a := range asks {
		a.Normalize()
		a.ID = ids[i]
		rows = append(rows, a.ID, a.ReferenceID, a.Team, a.AskedOn.String(), a.What, a.Outcome, nullID(a.LoggedBy), tx.now)
		audits = append(audits, auditRow{"create", "team_ask", a.ID, []vouch.Change{{Field: "reference_id", After: a.ReferenceID},
			{Field: "team", After: a.Team}, {Field: "asked_on", After: a.AskedOn.String()}, {Field: "what", After: a.What},
			{Field: "outcome", After: a.Outcome}}})
		refs[a.ReferenceID] = true
	}
	if err := b.insertMany(`INSERT INTO team_asks (id, ref_id, team, asked_on, what, outcome, logged_by, created_at) VALUES `,
		"(?, ?, ?, ?, ?, ?, ?, ?)", width, rows); err != nil {
		return err
	}
	if err := b.auditMany(audits); err != nil {
		return err
	}
	for id := range refs {
		tx.touched = append(tx.touched, vouch.Touched{Kind: "reference", ID: id})
	}
	return nil
}
