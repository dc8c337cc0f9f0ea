package store

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/vouch"
)

// The ask ledger reads asks made for requests straight from asks and the
// asks other teams made from team_asks: one ledger, nothing copied.

type rowsFunc func(query string, args ...any) (*sql.Rows, error)

// ledger reads the ledger entries of one reference (by "r.id") or one
// account (by "r.account_id") asked on or after from (zero: all), newest first.
func ledger(q rowsFunc, dayOf func(time.Time) vouch.Date, by string, id int64, from vouch.Date) ([]vouch.LedgerEntry, error) {
	out := []vouch.LedgerEntry{}
	reqArgs := []any{id, string(vouch.AskRejected)}
	reqSince := ""
	teamArgs := []any{id}
	teamSince := ""
	if !from.IsZero() {
		// A day earlier in UTC covers every zone; the day filter below is exact.
		reqSince = ` AND a.created_at >= ?`
		reqArgs = append(reqArgs, from.AddDays(-1).Time())
		teamSince = ` AND t.asked_on >= ?`
		teamArgs = append(teamArgs, from.String())
	}
	// An ask the account owner rejected never reached the customer: it is
	// not in the ledger.
	rows, err := q(`SELECT a.id, a.ref_id, r.name, r.account_id, ac.name, a.created_at, q.requester_id, COALESCE(u.name, ''),
		tv.name, a.state, a.outcome, a.request_id
		FROM asks a JOIN refs r ON r.id = a.ref_id JOIN accounts ac ON ac.id = r.account_id
		JOIN requests q ON q.id = a.request_id JOIN taxonomy_values tv ON tv.id = q.activity_type_id
		LEFT JOIN users u ON u.id = q.requester_id
		WHERE `+by+` = ? AND a.state <> ?`+reqSince, reqArgs...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		e := vouch.LedgerEntry{Source: vouch.LedgerFromRequest, Team: vouch.TeamSales}
		var state, outcome, activity string
		if err := rows.Scan(&e.ID, &e.ReferenceID, &e.ReferenceName, &e.AccountID, &e.AccountName, &e.CreatedAt, &e.AskedBy,
			&e.AskedByName, &activity, &state, &outcome, &e.RequestID); err != nil {
			rows.Close()
			return nil, err
		}
		e.CreatedAt = e.CreatedAt.UTC()
		e.AskedOn = dayOf(e.CreatedAt)
		e.What = activity + " for a sales request"
		e.Outcome = outcome
		if e.Outcome == "" {
			e.Outcome = strings.ReplaceAll(state, "_", " ")
		}
		if from.IsZero() || !e.AskedOn.Before(from) {
			out = append(out, e)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q(`SELECT t.id, t.ref_id, r.name, r.account_id, ac.name, t.asked_on, COALESCE(t.logged_by, 0), COALESCE(u.name, ''),
		t.team, t.what, t.outcome, t.created_at
		FROM team_asks t JOIN refs r ON r.id = t.ref_id JOIN accounts ac ON ac.id = r.account_id
		LEFT JOIN users u ON u.id = t.logged_by
		WHERE `+by+` = ?`+teamSince, teamArgs...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		e := vouch.LedgerEntry{Source: vouch.LedgerFromTeam}
		var day string
		if err := rows.Scan(&e.ID, &e.ReferenceID, &e.ReferenceName, &e.AccountID, &e.AccountName, &day, &e.AskedBy,
			&e.AskedByName, &e.Team, &e.What, &e.Outcome, &e.CreatedAt); err != nil {
			return nil, err
		}
		e.CreatedAt = e.CreatedAt.UTC()
		if e.AskedOn, err = vouch.ParseDate(day); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	driveArgs := []any{id}
	driveSince := ""
	if !from.IsZero() {
		driveSince, driveArgs = ` AND d.invited_on >= ?`, append(driveArgs, from.String())
	}
	rows, err = q(`SELECT d.id, d.ref_id, r.name, r.account_id, ac.name, d.invited_on, COALESCE(d.invited_by, 0), COALESCE(u.name, ''),
		d.campaign_id, cp.drive_what, d.state, d.updated_at
		FROM drive_advocates d JOIN refs r ON r.id = d.ref_id JOIN accounts ac ON ac.id = r.account_id
		JOIN campaigns cp ON cp.id = d.campaign_id LEFT JOIN users u ON u.id = d.invited_by
		WHERE `+by+` = ?`+driveSince, driveArgs...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		e := vouch.LedgerEntry{Source: vouch.LedgerFromCampaign, Team: vouch.TeamReviewCampaign}
		var day, state string
		if err := rows.Scan(&e.ID, &e.ReferenceID, &e.ReferenceName, &e.AccountID, &e.AccountName, &day, &e.AskedBy,
			&e.AskedByName, &e.CampaignID, &e.What, &state, &e.CreatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		e.CreatedAt = e.CreatedAt.UTC()
		if e.AskedOn, err = vouch.ParseDate(day); err != nil {
			rows.Close()
			return nil, err
		}
		e.Outcome = vouch.AdvocateState(state).Label()
		out = append(out, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if by == "r.account_id" {
		asks, err := campaignAsks(q, id, from)
		if err != nil {
			return nil, err
		}
		out = append(out, asks...)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].AskedOn != out[j].AskedOn {
			return out[i].AskedOn.After(out[j].AskedOn)
		}
		return out[i].CreatedAt.After(out[j].CreatedAt)
	})
	return out, nil
}

// ReferenceLedger is every ask of the reference, by any team, newest first.
func (db *DB) ReferenceLedger(ctx context.Context, refID int64) ([]vouch.LedgerEntry, error) {
	if _, err := db.Reference(ctx, refID); err != nil {
		return nil, err
	}
	return ledger(db.rows(ctx), db.Clock.DayOf, "r.id", refID, vouch.Date{})
}

// AccountLedger is every ask of any reference of the account, newest first.
func (db *DB) AccountLedger(ctx context.Context, accountID int64) ([]vouch.LedgerEntry, error) {
	if _, err := db.Account(ctx, accountID); err != nil {
		return nil, err
	}
	return ledger(db.rows(ctx), db.Clock.DayOf, "r.account_id", accountID, vouch.Date{})
}

// campaignAsks reads the account's contacts a recruiting campaign reached
// on or after from (zero: all): each outreach is an ask of the account.
// The contact is no reference yet, so these are in the account's ledger
// only.
func campaignAsks(q rowsFunc, accountID int64, from vouch.Date) ([]vouch.LedgerEntry, error) {
	args := []any{accountID}
	since := ""
	if !from.IsZero() {
		since, args = ` AND c.contacted_on >= ?`, append(args, from.String())
	}
	rows, err := q(`SELECT c.id, c.name, c.account_id, ac.name, c.contacted_on, COALESCE(c.contacted_by, 0), COALESCE(u.name, ''),
		c.campaign_id, cp.name, c.state, c.updated_at
		FROM campaign_contacts c JOIN accounts ac ON ac.id = c.account_id JOIN campaigns cp ON cp.id = c.campaign_id
		LEFT JOIN users u ON u.id = c.contacted_by
		WHERE c.account_id = ? AND c.contacted_on <> ''`+since, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vouch.LedgerEntry
	for rows.Next() {
		e := vouch.LedgerEntry{Source: vouch.LedgerFromCampaign, Team: vouch.TeamReferenceProgram}
		var day, campaign, state string
		if err := rows.Scan(&e.ID, &e.ReferenceName, &e.AccountID, &e.AccountName, &day, &e.AskedBy, &e.AskedByName,
			&e.CampaignID, &campaign, &state, &e.CreatedAt); err != nil {
			return nil, err
		}
		e.CreatedAt = e.CreatedAt.UTC()
		if e.AskedOn, err = vouch.ParseDate(day); err != nil {
			return nil, err
		}
		e.What = "Become a reference (campaign “" + campaign + "”)"
		e.Outcome = vouch.OutreachState(state).Label()
		out = append(out, e)
	}
	return out, rows.Err()
}

func (db *DB) rows(ctx context.Context) rowsFunc {
	return func(query string, args ...any) (*sql.Rows, error) { return db.query(ctx, query, args...) }
}

func (tx *Tx) rows() rowsFunc { return tx.query }

// fatigueFacts gathers what the fatigue rules look at for the reference
// today. In a transaction that will add an ask, lockAccount first.
func fatigueFacts(q rowsFunc, dayOf func(time.Time) vouch.Date, ref *vouch.Reference, today vouch.Date, period int) (vouch.FatigueFacts, error) {
	f, err := accountFacts(q, dayOf, ref.AccountID, ref.ID, today, period)
	if err != nil {
		return f, err
	}
	f.ReferenceName = ref.Name
	rows, err := q(`SELECT a.occurred_on, tv.name FROM activities a JOIN taxonomy_values tv ON tv.id = a.type_id
		WHERE a.ref_id = ? AND a.state = ? AND a.occurred_on <= ? ORDER BY a.occurred_on DESC LIMIT 1`,
		ref.ID, vouch.ActivityDone, today.String())
	if err != nil {
		return f, err
	}
	defer rows.Close()
	if rows.Next() {
		var day string
		if err := rows.Scan(&day, &f.ActivityType); err != nil {
			return f, err
		}
		if f.LastActivity, err = vouch.ParseDate(day); err != nil {
			return f, err
		}
	}
	return f, rows.Err()
}

// accountFacts gathers the account's share of the fatigue facts: its name,
// flag and the asks of the period, by any team (refID's among them are the
// reference's own asks).
func accountFacts(q rowsFunc, dayOf func(time.Time) vouch.Date, accountID, refID int64, today vouch.Date, period int) (vouch.FatigueFacts, error) {
	var f vouch.FatigueFacts
	if period <= 0 {
		period = vouch.DefaultLedgerPeriodDays
	}
	rows, err := q(`SELECT name, flag_reason, flag_until FROM accounts WHERE id = ?`, accountID)
	if err != nil {
		return f, err
	}
	var until string
	found := rows.Next()
	if found {
		err = rows.Scan(&f.AccountName, &f.FlagReason, &until)
	}
	rows.Close()
	if err != nil {
		return f, err
	}
	if !found {
		return f, notFound("Account", accountID)
	}
	if until != "" {
		if f.FlagUntil, err = vouch.ParseDate(until); err != nil {
			return f, err
		}
	}
	entries, err := ledger(q, dayOf, "r.account_id", accountID, today.AddDays(-period+1))
	if err != nil {
		return f, err
	}
	for _, e := range entries {
		f.AccountAsks = append(f.AccountAsks, e.AskedOn)
		if refID != 0 && e.ReferenceID == refID {
			f.ReferenceAsks = append(f.ReferenceAsks, e.AskedOn)
		}
	}
	return f, nil
}

// checkAccountFatigue refuses an ask of a contact at the account (a
// campaign's outreach: the contact is no reference yet) that the account's
// rules — its flag and the account cap — hold back, saying why. It locks
// the account, so call it before writing the ask.
func (tx *Tx) checkAccountFatigue(accountID int64) error {
	if err := tx.lockAccount(accountID); err != nil {
		return err
	}
	rules, err := tx.fatigueRules()
	if err != nil {
		return err
	}
	f, err := accountFacts(tx.rows(), tx.db.Clock.DayOf, accountID, 0, tx.today(), rules.PeriodDays)
	if err != nil {
		return err
	}
	if why := rules.HoldBack(f, tx.today()); why != "" {
		return vouch.ErrHeldBack(why)
	}
	return nil
}

// lockAccount makes concurrent asks of the account's references wait for
// each other, so two asks racing for the last slot under a cap are
// counted one after the other.
func (tx *Tx) lockAccount(id int64) error {
	_, err := tx.exec(`UPDATE accounts SET version = version WHERE id = ?`, id)
	return err
}

// checkFatigue refuses an ask of ref the program's fatigue rules hold back,
// saying why. It locks the account, so call it before writing the ask.
func (tx *Tx) checkFatigue(ref *vouch.Reference) error {
	if err := tx.lockAccount(ref.AccountID); err != nil {
		return err
	}
	rules, err := tx.fatigueRules()
	if err != nil {
		return err
	}
	f, err := fatigueFacts(tx.rows(), tx.db.Clock.DayOf, ref, tx.today(), rules.PeriodDays)
	if err != nil {
		return err
	}
	if why := rules.HoldBack(f, tx.today()); why != "" {
		return vouch.ErrHeldBack(why)
	}
	return nil
}

func (tx *Tx) fatigueRules() (vouch.FatigueRules, error) {
	ps := vouch.DefaultProgramSettings()
	for _, f := range programSettingFields(&ps) {
		var v string
		err := tx.queryRow(`SELECT value FROM settings WHERE key = ?`, f.key).Scan(&v)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return vouch.FatigueRules{}, err
		}
		*f.value = settingCount(v, *f.value)
	}
	return ps.FatigueRules(), nil
}

// HeldBack says why the fatigue rules hold each of the references back
// today, read from the tables; references that may be asked are not in
// the map. Pages and matching read the ledger's read model
// (refindex.Ledger) instead; this reading, the one an ask's transaction
// makes, is what tests and the benchmark hold the model to.
func (db *DB) HeldBack(ctx context.Context, refs []*vouch.Reference) (map[int64]string, error) {
	out := map[int64]string{}
	if len(refs) == 0 {
		return out, nil
	}
	ps, err := db.ProgramSettings(ctx)
	if err != nil {
		return nil, err
	}
	rules, today := ps.FatigueRules(), db.Today()
	for _, ref := range refs {
		f, err := fatigueFacts(db.rows(ctx), db.Clock.DayOf, ref, today, rules.PeriodDays)
		if err != nil {
			return nil, err
		}
		if why := rules.HoldBack(f, today); why != "" {
			out[ref.ID] = why
		}
	}
	return out, nil
}

// LogTeamAsk records an ask another team made of a reference. The fatigue
// rules apply to it as to every ask: one they hold back is refused, saying why.
func (db *DB) LogTeamAsk(ctx context.Context, a *vouch.TeamAsk) error {
	a.Normalize()
	if err := a.Validate(db.Today()); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		ref, err := tx.reference(a.ReferenceID)
		if err != nil {
			return err
		}
		if err := tx.checkFatigue(ref); err != nil {
			return err
		}
		id, err := tx.insert(`INSERT INTO team_asks (ref_id, team, asked_on, what, outcome, logged_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, a.ReferenceID, a.Team, a.AskedOn.String(), a.What, a.Outcome, nullID(a.LoggedBy), tx.now)
		if err != nil {
			return err
		}
		a.ID = id
		tx.touched = append(tx.touched, vouch.Touched{Kind: "reference", ID: a.ReferenceID})
		return tx.audit("create", "team_ask", id, []vouch.Change{{Field: "reference_id", After: a.ReferenceID},
			{Field: "team", After: a.Team}, {Field: "asked_on", After: a.AskedOn.String()}, {Field: "what", After: a.What},
			{Field: "outcome", After: a.Outcome}})
	})
}

// SetAccountFlag flags the account (an open escalation or renewal) until
// the day given, or clears the flag with an empty reason.
func (db *DB) SetAccountFlag(ctx context.Context, accountID int64, reason string, until vouch.Date) (*vouch.Account, error) {
	reason = strings.TrimSpace(reason)
	if err := vouch.ValidateAccountFlag(reason, until, db.Today()); err != nil {
		return nil, err
	}
	if reason == "" {
		until = vouch.Date{}
	}
	err := db.update(ctx, func(tx *Tx) error {
		var beforeReason, beforeUntil string
		err := tx.queryRow(`SELECT flag_reason, flag_until FROM accounts WHERE id = ?`, accountID).Scan(&beforeReason, &beforeUntil)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Account", accountID)
		} else if err != nil {
			return err
		}
		after := ""
		if !until.IsZero() {
			after = until.String()
		}
		if _, err := tx.exec(`UPDATE accounts SET flag_reason = ?, flag_until = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			reason, after, tx.now, accountID); err != nil {
			return err
		}
		tx.touched = append(tx.touched, vouch.Touched{Kind: "account", ID: accountID})
		return tx.audit("flag", vouch.EntityAccount, accountID, []vouch.Change{{Field: "flag_reason", Before: beforeReason, After: reason},
			{Field: "flag_until", Before: beforeUntil, After: after}})
	})
	if err != nil {
		return nil, err
	}
	return db.Account(ctx, accountID)
}

// AccountFlag reads the account's flag: reason "" is not flagged.
func (db *DB) AccountFlag(ctx context.Context, accountID int64) (vouch.AccountFlag, error) {
	var f vouch.AccountFlag
	var until string
	err := db.queryRow(ctx, `SELECT flag_reason, flag_until FROM accounts WHERE id = ?`, accountID).Scan(&f.Reason, &until)
	if errors.Is(err, sql.ErrNoRows) {
		return f, notFound("Account", accountID)
	} else if err != nil {
		return f, err
	}
	if until != "" {
		f.Until, err = vouch.ParseDate(until)
	}
	return f, err
}

// HeldBackReferences says, for every reference the fatigue rules hold back
// today, why, read from the tables. A few aggregate queries find the
// references that may be held back (flagged accounts, recent activities,
// counts at a cap); each of those is then judged exactly by the rules.
// Matching reads the ledger's read model (refindex.Ledger) instead; this
// is what tests and the benchmark hold the model to.
func (db *DB) HeldBackReferences(ctx context.Context) (map[int64]string, error) {
	ps, err := db.ProgramSettings(ctx)
	if err != nil {
		return nil, err
	}
	rules, today := ps.FatigueRules(), db.Today()
	period := rules.PeriodDays
	if period <= 0 {
		period = vouch.DefaultLedgerPeriodDays
	}
	candidates := map[int64]bool{}
	add := func(query string, args ...any) error {
		ids, err := db.ids(ctx, query, args...)
		for _, id := range ids {
			candidates[id] = true
		}
		return err
	}
	if err := add(`SELECT r.id FROM refs r JOIN accounts a ON a.id = r.account_id WHERE a.flag_reason <> '' AND a.flag_until >= ?`,
		today.String()); err != nil {
		return nil, err
	}
	if rules.CooldownDays > 0 {
		if err := add(`SELECT DISTINCT ref_id FROM activities WHERE state = ? AND occurred_on <= ? AND occurred_on > ?`,
			vouch.ActivityDone, today.String(), today.AddDays(-rules.CooldownDays).String()); err != nil {
			return nil, err
		}
	}
	from := today.AddDays(-period + 1)
	// Asks counted from a day early in UTC: a superset, judged exactly below.
	asksSince := `SELECT a.ref_id AS ref_id FROM asks a WHERE a.state <> ? AND a.created_at >= ?
		UNION ALL SELECT t.ref_id AS ref_id FROM team_asks t WHERE t.asked_on >= ?
		UNION ALL SELECT d.ref_id AS ref_id FROM drive_advocates d WHERE d.invited_on >= ?`
	sinceArgs := []any{string(vouch.AskRejected), from.AddDays(-1).Time(), from.String(), from.String()}
	if rules.ReferenceCap > 0 {
		if err := add(`SELECT x.ref_id FROM (`+asksSince+`) x GROUP BY x.ref_id HAVING COUNT(*) >= ?`,
			append(sinceArgs, rules.ReferenceCap)...); err != nil {
			return nil, err
		}
	}
	if rules.AccountCap > 0 {
		// A campaign's outreach asks the account, not a reference: it counts to the account cap.
		if err := add(`SELECT r.id FROM refs r WHERE r.account_id IN (SELECT y.account_id FROM (
			SELECT rr.account_id AS account_id FROM (`+asksSince+`) x JOIN refs rr ON rr.id = x.ref_id
			UNION ALL SELECT c.account_id AS account_id FROM campaign_contacts c WHERE c.contacted_on >= ?) y
			GROUP BY y.account_id HAVING COUNT(*) >= ?)`,
			append(sinceArgs, from.String(), rules.AccountCap)...); err != nil {
			return nil, err
		}
	}
	out := map[int64]string{}
	for id := range candidates {
		ref, err := db.Reference(ctx, id)
		if err != nil {
			return nil, err
		}
		f, err := fatigueFacts(db.rows(ctx), db.Clock.DayOf, ref, today, rules.PeriodDays)
		if err != nil {
			return nil, err
		}
		if why := rules.HoldBack(f, today); why != "" {
			out[id] = why
		}
	}
	return out, nil
}
