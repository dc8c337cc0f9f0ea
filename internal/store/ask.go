package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/vouch"
)

const askColumns = `id, request_id, ref_id, state, score, reasons, created_at, sent_at, answered_at, reminded_at, reminders,
	answer_note, proposed_times, scheduled_at, duration_minutes, meeting_url, outcome, COALESCE(activity_id, 0), version,
	note, COALESCE(asked_by, 0)`

func scanAsk(row interface{ Scan(...any) error }) (*vouch.Ask, error) {
	a := &vouch.Ask{}
	var state, reasons string
	var sent, answered, reminded, scheduled sql.NullTime
	if err := row.Scan(&a.ID, &a.RequestID, &a.ReferenceID, &state, &a.Score, &reasons, &a.CreatedAt, &sent, &answered,
		&reminded, &a.Reminders, &a.AnswerNote, &a.ProposedTimes, &scheduled, &a.DurationMinutes, &a.MeetingURL,
		&a.Outcome, &a.ActivityID, &a.Version, &a.Note, &a.AskedBy); err != nil {
		return nil, err
	}
	a.State = vouch.AskState(state)
	if err := json.Unmarshal([]byte(reasons), &a.Reasons); err != nil {
		return nil, err
	}
	a.CreatedAt = a.CreatedAt.UTC()
	a.SentAt, a.AnsweredAt, a.RemindedAt, a.ScheduledAt = nullTime(sent), nullTime(answered), nullTime(reminded), nullTime(scheduled)
	return a, nil
}

func (tx *Tx) ask(id int64) (*vouch.Ask, error) {
	a, err := scanAsk(tx.queryRow(`SELECT `+askColumns+` FROM asks WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Ask", id)
	}
	return a, err
}

// Ask reads one ask.
func (db *DB) Ask(ctx context.Context, id int64) (*vouch.Ask, error) {
	a, err := scanAsk(db.queryRow(ctx, `SELECT `+askColumns+` FROM asks WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Ask", id)
	}
	return a, err
}

// Asks returns a request's asks in the order they were made.
func (db *DB) Asks(ctx context.Context, requestID int64) ([]*vouch.Ask, error) {
	return db.asks(ctx, `WHERE request_id = ? ORDER BY id`, requestID)
}

// AsksOfRequests returns the asks of each of the requests, in the order
// they were made: the stages of a list of requests in one query.
func (db *DB) AsksOfRequests(ctx context.Context, requestIDs []int64) (map[int64][]*vouch.Ask, error) {
	out := map[int64][]*vouch.Ask{}
	if len(requestIDs) == 0 {
		return out, nil
	}
	args := make([]any, len(requestIDs))
	for i, id := range requestIDs {
		args[i] = id
	}
	asks, err := db.asks(ctx, `WHERE request_id IN (`+placeholders(len(args))+`) ORDER BY id`, args...)
	for _, a := range asks {
		out[a.RequestID] = append(out[a.RequestID], a)
	}
	return out, err
}

// SellerRatedAsks returns the asks of the requests their seller gave
// feedback on, as a set of ask ids.
func (db *DB) SellerRatedAsks(ctx context.Context, requestIDs []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(requestIDs) == 0 {
		return out, nil
	}
	args := []any{vouch.FeedbackSeller}
	for _, id := range requestIDs {
		args = append(args, id)
	}
	ids, err := db.ids(ctx, `SELECT f.ask_id FROM feedback f JOIN asks a ON a.id = f.ask_id
		WHERE f.source = ? AND a.request_id IN (`+placeholders(len(requestIDs))+`)`, args...)
	for _, id := range ids {
		out[id] = true
	}
	return out, err
}

// AsksOfReference returns the asks a reference received, newest first.
func (db *DB) AsksOfReference(ctx context.Context, refID int64) ([]*vouch.Ask, error) {
	return db.asks(ctx, `WHERE ref_id = ? ORDER BY id DESC`, refID)
}

func (db *DB) asks(ctx context.Context, where string, args ...any) ([]*vouch.Ask, error) {
	return scanAsks(db.query(ctx, `SELECT `+askColumns+` FROM asks `+where, args...))
}

func (tx *Tx) asks(where string, args ...any) ([]*vouch.Ask, error) {
	return scanAsks(tx.query(`SELECT `+askColumns+` FROM asks `+where, args...))
}

// scanAsks reads every row of a query of askColumns, and closes it.
func scanAsks(rows *sql.Rows, err error) ([]*vouch.Ask, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*vouch.Ask{}
	for rows.Next() {
		a, err := scanAsk(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// stateIn is the SQL condition "state is one of states" and its arguments.
func stateIn(states []vouch.AskState) (string, []any) {
	args := make([]any, len(states))
	for i, st := range states {
		args[i] = string(st)
	}
	return "state IN (" + placeholders(len(states)) + ")", args
}

// AskedForOpportunity returns the references already asked for any request
// of the opportunity: a customer is not asked twice for one deal.
func (db *DB) AskedForOpportunity(ctx context.Context, opportunityID int64) (map[int64]bool, error) {
	ids, err := db.ids(ctx, `SELECT DISTINCT a.ref_id FROM asks a JOIN requests r ON r.id = a.request_id
		WHERE r.opportunity_id = ?`, opportunityID)
	out := map[int64]bool{}
	for _, id := range ids {
		out[id] = true
	}
	return out, err
}

// AcceptedReferences returns the references whose advocate accepted an ask
// on one of requester's requests (vouch.AcceptedAskStates): the ones whose
// contact details that seller may be shown.
func (db *DB) AcceptedReferences(ctx context.Context, requesterID int64) (map[int64]bool, error) {
	args := []any{requesterID}
	for _, st := range vouch.AcceptedAskStates {
		args = append(args, string(st))
	}
	ids, err := db.ids(ctx, `SELECT DISTINCT a.ref_id FROM asks a JOIN requests r ON r.id = a.request_id
		WHERE r.requester_id = ? AND a.state IN (`+placeholders(len(vouch.AcceptedAskStates))+`)`, args...)
	out := map[int64]bool{}
	for _, id := range ids {
		out[id] = true
	}
	return out, err
}

func (tx *Tx) addLink(askID int64, l vouch.NewLink) error {
	if l.NonceHash == "" {
		return nil
	}
	_, err := tx.exec(`INSERT INTO links (purpose, ask_id, nonce_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		l.Purpose, askID, l.NonceHash, tx.now, l.ExpiresAt.UTC())
	return err
}

// LinkByHash reads the link whose secret hashes to hash.
func (db *DB) LinkByHash(ctx context.Context, hash string) (*vouch.Link, error) {
	l := &vouch.Link{}
	var used sql.NullTime
	err := db.queryRow(ctx, `SELECT id, purpose, ask_id, created_at, expires_at, used_at FROM links WHERE nonce_hash = ?`, hash).
		Scan(&l.ID, &l.Purpose, &l.AskID, &l.CreatedAt, &l.ExpiresAt, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vouch.ErrLinkInvalid
	}
	l.CreatedAt, l.ExpiresAt, l.UsedAt = l.CreatedAt.UTC(), l.ExpiresAt.UTC(), nullTime(used)
	return l, err
}

// useLink marks the link used, once: a second use, or a use after it
// expired, changes nothing and says why.
func (tx *Tx) useLink(hash, purpose string) (*vouch.Link, error) {
	l := &vouch.Link{}
	var used sql.NullTime
	err := tx.queryRow(`SELECT id, purpose, ask_id, expires_at, used_at FROM links WHERE nonce_hash = ?`, hash).
		Scan(&l.ID, &l.Purpose, &l.AskID, &l.ExpiresAt, &used)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && l.Purpose != purpose) {
		return nil, vouch.ErrLinkInvalid
	} else if err != nil {
		return nil, err
	}
	l.UsedAt = nullTime(used)
	if err := vouch.CheckLinkUse(l, tx.now); err != nil {
		return nil, err
	}
	res, err := tx.exec(`UPDATE links SET used_at = ? WHERE id = ? AND used_at IS NULL`, tx.now, l.ID)
	if err != nil {
		return nil, err
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, err
	} else if n == 0 {
		return nil, vouch.ErrLinkUsed
	}
	return l, nil
}

// CreateAsk records that a reference is asked for a request: a.State is
// pending (the advocate is mailed the link) or awaiting_approval (the
// account owner approves first). The request moves on accordingly.
func (db *DB) CreateAsk(ctx context.Context, a *vouch.Ask, link vouch.NewLink, out vouch.Outgoing) error {
	if a.State != vouch.AskPending && a.State != vouch.AskAwaitingApproval {
		return fmt.Errorf("create ask: state %q", a.State)
	}
	return db.update(ctx, func(tx *Tx) error {
		req, err := tx.request(a.RequestID)
		if err != nil {
			return err
		}
		if err := vouch.CheckRequestTakesAsks(req); err != nil {
			return err
		}
		ref, err := tx.reference(a.ReferenceID)
		if err != nil {
			return err
		}
		if err := vouch.CheckAskable(ref, req, tx.today()); err != nil {
			return err
		}
		var n int
		if err := tx.queryRow(`SELECT COUNT(*) FROM asks a JOIN requests r ON r.id = a.request_id
			WHERE a.ref_id = ? AND r.opportunity_id = ?`, a.ReferenceID, req.OpportunityID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return vouch.ErrAskedBefore(ref.Name)
		}
		// Counted under the account's lock: of two asks racing for the
		// last slot under a cap, the second sees the first and is refused.
		if err := tx.checkFatigue(ref); err != nil {
			return err
		}
		if a.Reasons == nil {
			a.Reasons = []vouch.Reason{}
		}
		reasons, err := json.Marshal(a.Reasons)
		if err != nil {
			return err
		}
		var sent any
		if a.State == vouch.AskPending {
			sent = tx.now
			t := tx.now
			a.SentAt = &t
		}
		var askedBy any
		if a.AskedBy != 0 {
			askedBy = a.AskedBy
		}
		id, err := tx.insert(`INSERT INTO asks (request_id, ref_id, state, score, reasons, created_at, sent_at, version, note, asked_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`, a.RequestID, a.ReferenceID, string(a.State), a.Score, string(reasons), tx.now, sent, a.Note, askedBy)
		if err != nil {
			return err
		}
		a.ID, a.CreatedAt, a.Version, a.DurationMinutes = id, tx.now, 1, 30
		if a.State == vouch.AskPending {
			if err := tx.addLink(id, link); err != nil {
				return err
			}
		}
		if err := tx.event(a.RequestID, vouch.RequestEvent{Kind: vouch.EventAsk, ReferenceID: a.ReferenceID,
			Body: vouch.AskedEvent(ref.Name, a.State)}); err != nil {
			return err
		}
		if err := tx.moveRequest(a.RequestID, vouch.RequestStateAfterAsk(req.State, a.State), ""); err != nil {
			return err
		}
		if err := tx.send(fillRequestID(out, a.RequestID)); err != nil {
			return err
		}
		// The reference was asked today: matching reads that from the reference's record.
		tx.touched = append(tx.touched, vouch.Touched{Kind: "reference", ID: a.ReferenceID})
		changes := []vouch.Change{{Field: "request_id", After: a.RequestID},
			{Field: "reference_id", After: a.ReferenceID}, {Field: "state", After: string(a.State)}}
		if a.Note != "" {
			changes = append(changes, vouch.Change{Field: "note", After: a.Note})
		}
		return tx.audit("create", "ask", id, changes)
	})
}

// ApproveAsk records the account owner's decision on an ask awaiting
// approval: approved, the ask is sent (with link); rejected, it ends.
func (db *DB) ApproveAsk(ctx context.Context, askID int64, approve bool, note string, link vouch.NewLink, out vouch.Outgoing) (*vouch.Ask, error) {
	var a *vouch.Ask
	err := db.update(ctx, func(tx *Tx) error {
		var err error
		if a, err = tx.ask(askID); err != nil {
			return err
		}
		step := vouch.StepReject
		if approve {
			step = vouch.StepApprove
		}
		to, err := vouch.CheckAskStep(a.State, step)
		if err != nil {
			return err
		}
		if approve {
			// The reference may have changed since it was picked (opted out,
			// resting): approving must not mail someone who may not be asked.
			ref, err := tx.reference(a.ReferenceID)
			if err != nil {
				return err
			}
			req, err := tx.request(a.RequestID)
			if err != nil {
				return err
			}
			if err := vouch.CheckAskable(ref, req, tx.today()); err != nil {
				return err
			}
		}
		body := vouch.ApprovalEvent(approve, note)
		note = strings.TrimSpace(note)
		if approve {
			if _, err := tx.exec(`UPDATE asks SET state = ?, sent_at = ?, version = version + 1 WHERE id = ?`, string(to), tx.now, askID); err != nil {
				return err
			}
			if err := tx.addLink(askID, link); err != nil {
				return err
			}
			t := tx.now
			a.SentAt = &t
		} else if _, err := tx.exec(`UPDATE asks SET state = ?, answer_note = ?, version = version + 1 WHERE id = ?`, string(to), note, askID); err != nil {
			return err
		}
		if err := tx.event(a.RequestID, vouch.RequestEvent{Kind: vouch.EventAnswer, ReferenceID: a.ReferenceID, Body: body}); err != nil {
			return err
		}
		if approve {
			if err := tx.moveRequest(a.RequestID, vouch.RequestAwaitingAdvocate, ""); err != nil {
				return err
			}
		} else if err := tx.backToPicking(a.RequestID, vouch.PickAgainReason(step)); err != nil {
			// Not approved, the ask no longer holds the request: when it was
			// the last open one, the request goes back to picking.
			return err
		}
		before := a.State
		a.State, a.Version = to, a.Version+1
		if err := tx.send(fillRequestID(out, a.RequestID)); err != nil {
			return err
		}
		return tx.audit("approval", "ask", askID, []vouch.Change{{Field: "state", Before: string(before), After: string(to)}})
	})
	return a, err
}

// AnswerAsk records the advocate's answer given through the signed link
// whose secret hashes to linkHash. Accepting books capacity in the same
// transaction, so concurrent accepts can never book a reference past it.
func (db *DB) AnswerAsk(ctx context.Context, linkHash string, ans vouch.Answer, out vouch.Outgoing) (*vouch.Ask, error) {
	var a *vouch.Ask
	err := db.update(ctx, func(tx *Tx) error {
		l, err := tx.useLink(linkHash, vouch.LinkAnswer)
		if err != nil {
			return err
		}
		if a, err = tx.ask(l.AskID); err != nil {
			return err
		}
		if a.State != vouch.AskPending {
			return vouch.AskNotOpen(a.State)
		}
		req, err := tx.request(a.RequestID)
		if err != nil {
			return err
		}
		if err := vouch.CheckRequestTakesAnswers(req); err != nil {
			return err
		}
		ans.Note, ans.ProposedTimes = strings.TrimSpace(ans.Note), strings.TrimSpace(ans.ProposedTimes)
		effect, err := ans.Effect(tx.today())
		if err != nil {
			return err
		}
		before := a.State
		to, err := vouch.CheckAskStep(a.State, effect.Step)
		if err != nil {
			return err
		}
		if effect.Step == vouch.StepAccept {
			actID, err := tx.book(a, req)
			if err != nil {
				return err
			}
			a.ActivityID = actID
		}
		a.State = to
		if _, err := tx.exec(`UPDATE asks SET state = ?, answered_at = ?, answer_note = ?, proposed_times = ?, activity_id = ?,
			version = version + 1 WHERE id = ?`, string(a.State), tx.now, ans.Note, ans.ProposedTimes, nullID(a.ActivityID), a.ID); err != nil {
			return err
		}
		t := tx.now
		a.AnsweredAt, a.AnswerNote, a.ProposedTimes, a.Version = &t, ans.Note, ans.ProposedTimes, a.Version+1
		if effect.Status != nil {
			if _, err := tx.changeStatus(a.ReferenceID, 0, *effect.Status); err != nil {
				return err
			}
		}
		if len(effect.EndOthers) > 0 {
			if err := tx.withdrawOtherAsks(a, effect.EndReason, effect.EndOthers...); err != nil {
				return err
			}
		}
		if err := tx.event(a.RequestID, vouch.RequestEvent{Kind: vouch.EventAnswer, ReferenceID: a.ReferenceID, Body: effect.Event}); err != nil {
			return err
		}
		if reason := vouch.PickAgainReason(effect.Step); reason != "" {
			if err := tx.backToPicking(a.RequestID, reason); err != nil {
				return err
			}
		}
		if err := tx.send(fillRequestID(out, a.RequestID)); err != nil {
			return err
		}
		tx.touched = append(tx.touched, vouch.Touched{Kind: "reference", ID: a.ReferenceID})
		return tx.audit("answer", "ask", a.ID, []vouch.Change{{Field: "state", Before: string(before), After: string(a.State)},
			{Field: "answer", After: ans.Action}})
	})
	return a, err
}

// backToPicking sends a request waiting on advocates back to in progress
// when none of its asks is still open.
func (tx *Tx) backToPicking(requestID int64, why string) error {
	var open int
	cond, args := stateIn(vouch.OpenAskStates)
	if err := tx.queryRow(`SELECT COUNT(*) FROM asks WHERE request_id = ? AND `+cond, append([]any{requestID}, args...)...).Scan(&open); err != nil {
		return err
	}
	if open > 0 {
		return nil
	}
	return tx.moveRequest(requestID, vouch.RequestInProgress, why)
}

// book reserves one activity of the reference's capacity for an accepted
// ask, on the first day from today to the due date that has a free slot.
func (tx *Tx) book(a *vouch.Ask, req *vouch.Request) (int64, error) {
	// Lock the reference first, so concurrent accepts count each other's bookings.
	if err := tx.lockReference(a.ReferenceID); err != nil {
		return 0, err
	}
	ref, err := tx.reference(a.ReferenceID)
	if err != nil {
		return 0, err
	}
	today := tx.today()
	if ref.EffectiveStatus(today) != vouch.StatusActive {
		return 0, vouch.ErrNoLongerAvailable
	}
	max, err := tx.capacityOf(ref)
	if err != nil {
		return 0, err
	}
	last := req.DueDate
	if last.Before(today) {
		last = today
	}
	dates, err := tx.activityDays(a.ReferenceID, today.AddDays(-vouch.CapacityWindowDays), last.AddDays(vouch.CapacityWindowDays), 0)
	if err != nil {
		return 0, err
	}
	day, ok := vouch.FirstFreeDay(max, dates, today, last)
	if !ok {
		return 0, vouch.ErrNoLongerAvailable
	}
	at, err := tx.oppNow(req.OpportunityID)
	if err != nil {
		return 0, err
	}
	id, err := tx.insert(`INSERT INTO activities (ref_id, type_id, occurred_on, notes, created_at, state, request_id, opportunity_id,
		opp_stage, opp_amount) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.ReferenceID, req.ActivityTypeID, day.String(), "", tx.now,
		vouch.ActivityBooked, req.ID, nullID(req.OpportunityID), at.stage, at.amount)
	if err != nil {
		return 0, err
	}
	return id, tx.audit("create", "activity", id, []vouch.Change{{Field: "reference_id", After: a.ReferenceID},
		{Field: "activity_type_id", After: req.ActivityTypeID}, {Field: "occurred_on", After: day.String()},
		{Field: "state", After: vouch.ActivityBooked}, {Field: "request_id", After: req.ID}})
}

// lockReference takes the reference's row lock until the transaction ends,
// without changing it: on PostgreSQL concurrent bookings of one reference
// then queue, and each counts the bookings committed before it. (SQLite
// has one writer, so its transactions are serial anyway.)
func (tx *Tx) lockReference(id int64) error {
	_, err := tx.exec(`UPDATE refs SET version = version WHERE id = ?`, id)
	return err
}

// capacityOf is the reference's activities allowed per rolling 90 days.
func (tx *Tx) capacityOf(ref *vouch.Reference) (int, error) {
	if ref.CapacityOverride != nil {
		return *ref.CapacityOverride, nil
	}
	var s string
	err := tx.queryRow(`SELECT value FROM settings WHERE key = ?`, SettingCapacityDefault).Scan(&s)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	return settingCount(s, vouch.DefaultCapacity), nil
}

// activityDays returns the days of a reference's activities (done and
// booked) from one day to another, leaving out the activity except.
func (tx *Tx) activityDays(refID int64, from, to vouch.Date, except int64) ([]vouch.Date, error) {
	rows, err := tx.query(`SELECT occurred_on FROM activities WHERE ref_id = ? AND occurred_on >= ? AND occurred_on <= ? AND id <> ?`,
		refID, from.String(), to.String(), except)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var dates []vouch.Date
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		if d, err := vouch.ParseDate(s); err == nil {
			dates = append(dates, d)
		}
	}
	return dates, rows.Err()
}

// release gives back the capacity an ask booked.
func (tx *Tx) release(a *vouch.Ask) error {
	if a.ActivityID == 0 {
		return nil
	}
	if _, err := tx.exec(`DELETE FROM activities WHERE id = ? AND state = ?`, a.ActivityID, vouch.ActivityBooked); err != nil {
		return err
	}
	tx.touched = append(tx.touched, vouch.Touched{Kind: "reference", ID: a.ReferenceID})
	return tx.audit("delete", "activity", a.ActivityID, []vouch.Change{{Field: "state", Before: vouch.ActivityBooked, After: "released"}})
}

// ScheduleAsk sets the agreed time of an accepted (or re-schedules a
// scheduled) ask. The booked activity moves to that day. When enough asks
// are scheduled, so is the request.
func (db *DB) ScheduleAsk(ctx context.Context, askID int64, s vouch.Schedule, out vouch.Outgoing) (*vouch.Ask, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	var a *vouch.Ask
	err := db.update(ctx, func(tx *Tx) error {
		var err error
		if a, err = tx.ask(askID); err != nil {
			return err
		}
		to, err := vouch.CheckAskStep(a.State, vouch.StepSchedule)
		if err != nil {
			return err
		}
		at := s.At.UTC()
		if _, err := tx.exec(`UPDATE asks SET state = ?, scheduled_at = ?, duration_minutes = ?, meeting_url = ?, version = version + 1
			WHERE id = ?`, string(to), at, s.DurationMinutes, s.MeetingURL, askID); err != nil {
			return err
		}
		if a.ActivityID != 0 {
			// Moving the booking to another day must not overfill a 90-day
			// window there: the day's windows are checked without this booking.
			if err := tx.lockReference(a.ReferenceID); err != nil {
				return err
			}
			ref, err := tx.reference(a.ReferenceID)
			if err != nil {
				return err
			}
			max, err := tx.capacityOf(ref)
			if err != nil {
				return err
			}
			day := tx.db.Clock.DayIn(at, ref.TimeZone)
			others, err := tx.activityDays(a.ReferenceID, day.AddDays(-vouch.CapacityWindowDays), day.AddDays(vouch.CapacityWindowDays), a.ActivityID)
			if err != nil {
				return err
			}
			if !vouch.CanBook(max, others, day) {
				return vouch.ErrNoFreeSlot(ref.Name, day, max)
			}
			if _, err := tx.exec(`UPDATE activities SET occurred_on = ? WHERE id = ?`, day.String(), a.ActivityID); err != nil {
				return err
			}
			if err := tx.audit("update", "activity", a.ActivityID, []vouch.Change{{Field: "occurred_on", After: day.String()}}); err != nil {
				return err
			}
		}
		body := vouch.ScheduledEvent(at, a.State == vouch.AskScheduled)
		before := a.State
		a.State, a.ScheduledAt, a.DurationMinutes, a.MeetingURL, a.Version = to, &at, s.DurationMinutes, s.MeetingURL, a.Version+1
		if err := tx.event(a.RequestID, vouch.RequestEvent{Kind: vouch.EventSchedule, ReferenceID: a.ReferenceID, Body: body}); err != nil {
			return err
		}
		req, err := tx.request(a.RequestID)
		if err != nil {
			return err
		}
		var n int
		if err := tx.queryRow(`SELECT COUNT(*) FROM asks WHERE request_id = ? AND state IN (?, ?)`, a.RequestID,
			string(vouch.AskScheduled), string(vouch.AskCompleted)).Scan(&n); err != nil {
			return err
		}
		if vouch.Enough(n, req.ReferencesNeeded) {
			if err := tx.moveRequest(a.RequestID, vouch.RequestScheduled, ""); err != nil {
				return err
			}
		}
		if err := tx.send(fillRequestID(out, a.RequestID)); err != nil {
			return err
		}
		return tx.audit("schedule", "ask", askID, []vouch.Change{{Field: "state", Before: string(before), After: string(a.State)},
			{Field: "scheduled_at", After: at.Format(time.RFC3339)}})
	})
	return a, err
}

// CompleteAsk records how a scheduled ask went. Completed: its activity is
// done on day with the points of its type, and feedback links are stored.
// No-show: the booking is released and the request goes back to picking.
// The request completes when enough of its asks have.
func (db *DB) CompleteAsk(ctx context.Context, askID int64, outcome string, day vouch.Date, links []vouch.NewLink, out vouch.Outgoing) (*vouch.Ask, error) {
	step, err := vouch.OutcomeStep(outcome)
	if err != nil {
		return nil, err
	}
	var a *vouch.Ask
	err = db.update(ctx, func(tx *Tx) error {
		var err error
		if a, err = tx.ask(askID); err != nil {
			return err
		}
		to, err := vouch.CheckAskStep(a.State, step)
		if err != nil {
			return err
		}
		// Days are the reference's: where the activity happened for them.
		ref, err := tx.reference(a.ReferenceID)
		if err != nil {
			return err
		}
		req, err := tx.request(a.RequestID)
		if err != nil {
			return err
		}
		zone := tx.db.Clock.ZoneFor(ref.TimeZone)
		if day, err = vouch.CompletionDay(day, a.ScheduledAt, tx.now, zone, vouch.DateIn(req.CreatedAt, zone)); err != nil {
			return err
		}
		before := a.State
		if vouch.ReleasesBooking(step) {
			if err := tx.release(a); err != nil {
				return err
			}
			if _, err := tx.exec(`UPDATE asks SET state = ?, outcome = ?, activity_id = NULL, version = version + 1 WHERE id = ?`,
				string(to), outcome, askID); err != nil {
				return err
			}
			a.State, a.Outcome, a.ActivityID = to, outcome, 0
			if err := tx.event(a.RequestID, vouch.RequestEvent{Kind: vouch.EventComplete, ReferenceID: a.ReferenceID,
				Body: vouch.CompletedEvent(outcome, day)}); err != nil {
				return err
			}
			if err := tx.backToPicking(a.RequestID, vouch.PickAgainReason(step)); err != nil {
				return err
			}
		} else {
			rule, err := tx.activityTypeRule(req.ActivityTypeID)
			if err != nil {
				return err
			}
			if a.ActivityID == 0 {
				// Booked before bookings existed, or by hand: record it now.
				at, err := tx.oppNow(req.OpportunityID)
				if err != nil {
					return err
				}
				id, err := tx.insert(`INSERT INTO activities (ref_id, type_id, occurred_on, notes, created_at, state, request_id, opportunity_id,
					opp_stage, opp_amount) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.ReferenceID, req.ActivityTypeID, day.String(), "", tx.now,
					vouch.ActivityDone, req.ID, nullID(req.OpportunityID), at.stage, at.amount)
				if err != nil {
					return err
				}
				a.ActivityID = id
			}
			if _, err := tx.exec(`UPDATE activities SET state = ?, occurred_on = ?, points = ? WHERE id = ?`,
				vouch.ActivityDone, day.String(), rule.Points, a.ActivityID); err != nil {
				return err
			}
			if err := tx.audit("update", "activity", a.ActivityID, []vouch.Change{{Field: "state", Before: vouch.ActivityBooked, After: vouch.ActivityDone},
				{Field: "occurred_on", After: day.String()}, {Field: "points", After: rule.Points}}); err != nil {
				return err
			}
			if _, err := tx.exec(`UPDATE asks SET state = ?, outcome = ?, activity_id = ?, version = version + 1 WHERE id = ?`,
				string(to), outcome, a.ActivityID, askID); err != nil {
				return err
			}
			a.State, a.Outcome = to, outcome
			for _, l := range links {
				if err := tx.addLink(askID, l); err != nil {
					return err
				}
			}
			if err := tx.event(a.RequestID, vouch.RequestEvent{Kind: vouch.EventComplete, ReferenceID: a.ReferenceID,
				Body: vouch.CompletedEvent(outcome, day)}); err != nil {
				return err
			}
			var n int
			if err := tx.queryRow(`SELECT COUNT(*) FROM asks WHERE request_id = ? AND state = ?`, a.RequestID, string(vouch.AskCompleted)).Scan(&n); err != nil {
				return err
			}
			if vouch.Enough(n, req.ReferencesNeeded) {
				if err := tx.moveRequest(a.RequestID, vouch.RequestScheduled, ""); err != nil {
					return err
				}
				if err := tx.moveRequest(a.RequestID, vouch.RequestCompleted, ""); err != nil {
					return err
				}
			}
		}
		a.Version++
		tx.touched = append(tx.touched, vouch.Touched{Kind: "reference", ID: a.ReferenceID})
		if err := tx.send(fillRequestID(out, a.RequestID)); err != nil {
			return err
		}
		return tx.audit("complete", "ask", askID, []vouch.Change{{Field: "state", Before: string(before), After: string(a.State)},
			{Field: "outcome", After: outcome}})
	})
	return a, err
}

// WithdrawAsk ends an open ask (the team changed its mind, or the advocate
// answered some other way); capacity it booked is given back.
func (db *DB) WithdrawAsk(ctx context.Context, askID int64, reason string, out vouch.Outgoing) (*vouch.Ask, error) {
	var a *vouch.Ask
	err := db.update(ctx, func(tx *Tx) error {
		var err error
		if a, err = tx.ask(askID); err != nil {
			return err
		}
		if _, err := vouch.CheckAskStep(a.State, vouch.StepWithdraw); err != nil {
			return err
		}
		if err := tx.withdraw(a, reason); err != nil {
			return err
		}
		if err := tx.backToPicking(a.RequestID, vouch.PickAgainReason(vouch.StepWithdraw)); err != nil {
			return err
		}
		return tx.send(fillRequestID(out, a.RequestID))
	})
	return a, err
}

// withdrawOtherAsks withdraws the reference's asks in the given states
// other than a, sending their requests back to picking.
func (tx *Tx) withdrawOtherAsks(a *vouch.Ask, why string, states ...vouch.AskState) error {
	cond, args := stateIn(states)
	others, err := tx.asks(`WHERE ref_id = ? AND id <> ? AND `+cond, append([]any{a.ReferenceID, a.ID}, args...)...)
	if err != nil {
		return err
	}
	for _, o := range others {
		if err := tx.withdraw(o, why); err != nil {
			return err
		}
		if err := tx.backToPicking(o.RequestID, why); err != nil {
			return err
		}
	}
	return nil
}

// withdraw ends the open ask a for reason, giving back what it booked.
func (tx *Tx) withdraw(a *vouch.Ask, reason string) error {
	to, err := vouch.CheckAskStep(a.State, vouch.StepWithdraw)
	if err != nil {
		return err
	}
	if vouch.ReleasesBooking(vouch.StepWithdraw) {
		if err := tx.release(a); err != nil {
			return err
		}
	}
	reason = strings.TrimSpace(reason)
	if _, err := tx.exec(`UPDATE asks SET state = ?, answer_note = ?, activity_id = NULL, version = version + 1 WHERE id = ?`,
		string(to), reason, a.ID); err != nil {
		return err
	}
	before := a.State
	a.State, a.ActivityID, a.Version = to, 0, a.Version+1
	if err := tx.event(a.RequestID, vouch.RequestEvent{Kind: vouch.EventAnswer, ReferenceID: a.ReferenceID,
		Body: vouch.WithdrawnEvent(reason)}); err != nil {
		return err
	}
	return tx.audit("withdraw", "ask", a.ID, []vouch.Change{{Field: "state", Before: string(before), After: string(a.State)}})
}

func (tx *Tx) withdrawOpenAsks(requestID int64, why string) error {
	cond, args := stateIn(vouch.OpenAskStates)
	open, err := tx.asks(`WHERE request_id = ? AND `+cond, append([]any{requestID}, args...)...)
	if err != nil {
		return err
	}
	for _, a := range open {
		if err := tx.withdraw(a, why); err != nil {
			return err
		}
	}
	return nil
}

// SaveFeedback stores feedback given through the signed link whose secret
// hashes to linkHash; the link's purpose decides whose feedback it is. An
// advocate's preferred thank-you is kept on the activity.
func (db *DB) SaveFeedback(ctx context.Context, linkHash string, f *vouch.Feedback, out vouch.Outgoing) error {
	return db.update(ctx, func(tx *Tx) error {
		purpose := vouch.LinkSellerFeedback
		if f.Source == vouch.FeedbackAdvocate {
			purpose = vouch.LinkAdvocateFeedback
		}
		l, err := tx.useLink(linkHash, purpose)
		if err != nil {
			return err
		}
		f.AskID = l.AskID
		return tx.saveFeedback(f, out)
	})
}

// SaveSellerFeedback stores feedback the requester gives while signed in.
func (db *DB) SaveSellerFeedback(ctx context.Context, askID int64, f *vouch.Feedback, out vouch.Outgoing) error {
	f.Source, f.AskID = vouch.FeedbackSeller, askID
	return db.update(ctx, func(tx *Tx) error { return tx.saveFeedback(f, out) })
}

func (tx *Tx) saveFeedback(f *vouch.Feedback, out vouch.Outgoing) error {
	if err := f.Validate(); err != nil {
		return err
	}
	a, err := tx.ask(f.AskID)
	if err != nil {
		return err
	}
	if err := vouch.CheckFeedbackOn(a.State); err != nil {
		return err
	}
	id, err := tx.insert(`INSERT INTO feedback (ask_id, source, rating, influenced, impact, thank_you, comment, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, f.AskID, f.Source, f.Rating, f.Influenced, f.Impact, f.ThankYou, f.Comment, tx.now)
	if isUnique(err) {
		return vouch.ErrFeedbackGiven
	} else if err != nil {
		return err
	}
	f.ID, f.CreatedAt = id, tx.now
	if f.ThankYou != "" && a.ActivityID != 0 {
		if _, err := tx.exec(`UPDATE activities SET thank_you = ? WHERE id = ?`, f.ThankYou, a.ActivityID); err != nil {
			return err
		}
	}
	if err := tx.event(a.RequestID, vouch.RequestEvent{Kind: vouch.EventFeedback, ReferenceID: a.ReferenceID,
		Body: vouch.FeedbackEvent(f)}); err != nil {
		return err
	}
	if err := tx.send(fillRequestID(out, a.RequestID)); err != nil {
		return err
	}
	return tx.audit("create", "feedback", id, []vouch.Change{{Field: "ask_id", After: f.AskID}, {Field: "source", After: f.Source},
		{Field: "rating", After: f.Rating}})
}

// Feedback returns the feedback given on a request's asks.
func (db *DB) Feedback(ctx context.Context, requestID int64) ([]vouch.Feedback, error) {
	rows, err := db.query(ctx, `SELECT f.id, f.ask_id, f.source, f.rating, f.influenced, f.impact, f.thank_you, f.comment, f.created_at
		FROM feedback f JOIN asks a ON a.id = f.ask_id WHERE a.request_id = ? ORDER BY f.id`, requestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []vouch.Feedback{}
	for rows.Next() {
		var f vouch.Feedback
		var infl sql.NullBool
		if err := rows.Scan(&f.ID, &f.AskID, &f.Source, &f.Rating, &infl, &f.Impact, &f.ThankYou, &f.Comment, &f.CreatedAt); err != nil {
			return nil, err
		}
		if infl.Valid {
			b := infl.Bool
			f.Influenced = &b
		}
		f.CreatedAt = f.CreatedAt.UTC()
		out = append(out, f)
	}
	return out, rows.Err()
}

// MarkThankYouSent records that the advocate was thanked for an activity.
func (db *DB) MarkThankYouSent(ctx context.Context, activityID int64, kind string, day vouch.Date) error {
	if err := vouch.CheckThankYou(kind); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		var before, sent, state string
		err := tx.queryRow(`SELECT thank_you, thank_you_sent_on, state FROM activities WHERE id = ?`, activityID).Scan(&before, &sent, &state)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Activity", activityID)
		} else if err != nil {
			return err
		}
		if err := vouch.CheckThankable(state); err != nil {
			return err
		}
		if kind == "" {
			kind = before
		}
		if _, err := tx.exec(`UPDATE activities SET thank_you = ?, thank_you_sent_on = ? WHERE id = ?`, kind, day.String(), activityID); err != nil {
			return err
		}
		return tx.audit("update", "activity", activityID, []vouch.Change{{Field: "thank_you_sent_on", Before: sent, After: day.String()},
			{Field: "thank_you", Before: before, After: kind}})
	})
}

// AsksToRemind returns pending asks last mailed before since (sent or
// reminded) that have had fewer than max reminders — of references still
// active: one who opted out or paused (perhaps through another ask's link)
// is not to be contacted.
func (db *DB) AsksToRemind(ctx context.Context, since time.Time, max int) ([]*vouch.Ask, error) {
	return db.asks(ctx, `WHERE state = ? AND reminders < ? AND COALESCE(reminded_at, sent_at) < ?
		AND ref_id IN (SELECT id FROM refs WHERE status = ? OR (status = ? AND resting_until <> '' AND resting_until <= ?))
		ORDER BY id`, string(vouch.AskPending), max, since.UTC(),
		string(vouch.StatusActive), string(vouch.StatusResting), db.Today().String())
}

// RemindAsk records a reminder with its new link, and queues out — unless
// the ask was answered or reminded (by another instance) after since.
func (db *DB) RemindAsk(ctx context.Context, askID int64, since time.Time, link vouch.NewLink, out vouch.Outgoing) error {
	return db.update(ctx, func(tx *Tx) error {
		a, err := tx.ask(askID)
		if err != nil {
			return err
		}
		ref, err := tx.reference(a.ReferenceID)
		if err != nil {
			return err
		}
		if ref.EffectiveStatus(tx.today()) != vouch.StatusActive {
			return nil // opted out or paused meanwhile: not to be contacted
		}
		// One conditional UPDATE decides: of two instances reminding at
		// once, the second matches no row and sends nothing.
		res, err := tx.exec(`UPDATE asks SET reminded_at = ?, reminders = reminders + 1
			WHERE id = ? AND state = ? AND COALESCE(reminded_at, sent_at) < ?`, tx.now, askID, string(vouch.AskPending), since.UTC())
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err // answered or reminded meanwhile: no reminder
		}
		if err := tx.addLink(askID, link); err != nil {
			return err
		}
		if err := tx.event(a.RequestID, vouch.RequestEvent{Kind: vouch.EventReminder, ReferenceID: a.ReferenceID,
			Body: vouch.ReminderEvent(a.Reminders + 1)}); err != nil {
			return err
		}
		if err := tx.send(fillRequestID(out, a.RequestID)); err != nil {
			return err
		}
		return tx.audit("remind", "ask", askID, []vouch.Change{{Field: "reminders", Before: a.Reminders, After: a.Reminders + 1}})
	})
}

// ExpireAsks ends pending asks sent before cutoff that nobody answered;
// their requests go back to picking. It returns the asks expired.
func (db *DB) ExpireAsks(ctx context.Context, cutoff time.Time) ([]*vouch.Ask, error) {
	stale, err := db.asks(ctx, `WHERE state = ? AND sent_at < ? ORDER BY id`, string(vouch.AskPending), cutoff.UTC())
	if err != nil || len(stale) == 0 {
		return nil, err
	}
	var out []*vouch.Ask
	err = db.update(ctx, func(tx *Tx) error {
		for _, s := range stale {
			a, err := tx.ask(s.ID)
			if err != nil {
				return err
			}
			to, err := vouch.CheckAskStep(a.State, vouch.StepExpire)
			if err != nil {
				continue // answered meanwhile
			}
			if _, err := tx.exec(`UPDATE asks SET state = ?, version = version + 1 WHERE id = ?`, string(to), a.ID); err != nil {
				return err
			}
			if err := tx.event(a.RequestID, vouch.RequestEvent{Kind: vouch.EventAnswer, ReferenceID: a.ReferenceID,
				Body: vouch.ExpiredEvent}); err != nil {
				return err
			}
			if err := tx.backToPicking(a.RequestID, vouch.PickAgainReason(vouch.StepExpire)); err != nil {
				return err
			}
			if err := tx.audit("expire", "ask", a.ID, []vouch.Change{{Field: "state", Before: string(a.State), After: string(to)}}); err != nil {
				return err
			}
			a.State = to
			out = append(out, a)
		}
		return nil
	})
	return out, err
}

// LatestAsk is the ask made last (ENOTFOUND when there is none): the
// settings preview a mail template with its data.
func (db *DB) LatestAsk(ctx context.Context) (*vouch.Ask, error) {
	a, err := scanAsk(db.queryRow(ctx, `SELECT `+askColumns+` FROM asks ORDER BY id DESC LIMIT 1`))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vouch.Errorf(vouch.ENOTFOUND, "No ask yet.")
	}
	return a, err
}
