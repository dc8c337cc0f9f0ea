package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/vouch"
)

const requestColumns = `id, requester_id, opportunity_id, activity_type_id, references_needed, criteria, due_date, context,
	workflow, state, state_reason, COALESCE(assignee_id, 0), version, created_at, updated_at, closed_at, COALESCE(proposed_ref_id, 0),
	opp_stage, COALESCE(opp_amount, 0)`

func scanRequest(row interface{ Scan(...any) error }) (*vouch.Request, error) {
	r := &vouch.Request{}
	var criteria, due, workflow, state string
	var closed sql.NullTime
	if err := row.Scan(&r.ID, &r.RequesterID, &r.OpportunityID, &r.ActivityTypeID, &r.ReferencesNeeded, &criteria, &due,
		&r.Context, &workflow, &state, &r.StateReason, &r.AssigneeID, &r.Version, &r.CreatedAt, &r.UpdatedAt, &closed,
		&r.ProposedReferenceID, &r.OppStage, &r.OppAmountCents); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(criteria), &r.Criteria); err != nil {
		return nil, err
	}
	r.DueDate, _ = vouch.ParseDate(due)
	r.Workflow, r.State = vouch.Workflow(workflow), vouch.RequestState(state)
	r.CreatedAt, r.UpdatedAt, r.ClosedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC(), nullTime(closed)
	return r, nil
}

func (tx *Tx) validateRequestRefs(r *vouch.Request) error {
	var v vouch.Validation
	for _, x := range r.Values() {
		if err := tx.checkValue(&v, x.Field, x.Kind, x.ID); err != nil {
			return err
		}
	}
	if err := tx.checkUser(&v, "assignee", r.AssigneeID); err != nil {
		return err
	}
	var n int
	if err := tx.queryRow(`SELECT COUNT(*) FROM opportunities WHERE id = ?`, r.OpportunityID).Scan(&n); err != nil {
		return err
	}
	if n == 0 && r.OpportunityID != 0 {
		v.Add("opportunity", "is not a known opportunity")
	}
	if r.ProposedReferenceID != 0 {
		if err := tx.queryRow(`SELECT COUNT(*) FROM refs WHERE id = ?`, r.ProposedReferenceID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			v.Add("reference", "is not a known reference")
		}
	}
	return v.Err()
}

// event adds an entry to a request's timeline.
func (tx *Tx) event(requestID int64, e vouch.RequestEvent) error {
	_, err := tx.exec(`INSERT INTO request_events (request_id, kind, from_state, to_state, ref_id, body, actor, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, requestID, e.Kind, string(e.From), string(e.To), nullID(e.ReferenceID), e.Body,
		vouch.ActorFrom(tx.ctx).Label, tx.now)
	return err
}

// CreateRequest stores a new request, in state submitted (or in progress
// when an assignee is given), and queues out. The request's rules are the
// caller's (fulfillment.Service.CreateRequest checks them all at once);
// the store refuses ids that name nothing, or values of the wrong kind.
func (db *DB) CreateRequest(ctx context.Context, r *vouch.Request, out vouch.Outgoing) error {
	return db.update(ctx, func(tx *Tx) error { return tx.createRequest(r, out) })
}

// CreateRequestWithOpportunity stores a new opportunity and a request for
// it in one transaction: a request the database refuses (an unknown
// activity type or criterion) leaves no orphan opportunity behind.
func (db *DB) CreateRequestWithOpportunity(ctx context.Context, r *vouch.Request, o *vouch.Opportunity, out vouch.Outgoing) error {
	saved := *o
	err := db.update(ctx, func(tx *Tx) error {
		if err := tx.createOpportunity(o); err != nil {
			return err
		}
		r.OpportunityID = o.ID
		return tx.createRequest(r, out)
	})
	if err != nil {
		// Rolled back: the opportunity does not exist, so keep no id of it.
		*o, r.OpportunityID = saved, 0
	}
	return err
}

func (tx *Tx) createRequest(r *vouch.Request, out vouch.Outgoing) error {
	if err := tx.validateRequestRefs(r); err != nil {
		return err
	}
	rule, err := tx.activityTypeRule(r.ActivityTypeID)
	if err != nil {
		return err
	}
	r.Workflow = rule.Workflow
	r.State = vouch.RequestSubmitted
	if r.AssigneeID != 0 {
		r.State = vouch.RequestInProgress
	}
	criteria, err := json.Marshal(r.Criteria)
	if err != nil {
		return err
	}
	at, err := tx.oppNow(r.OpportunityID)
	if err != nil {
		return err
	}
	id, err := tx.insert(`INSERT INTO requests (requester_id, opportunity_id, activity_type_id, references_needed, criteria,
		due_date, context, workflow, state, assignee_id, proposed_ref_id, opp_stage, opp_amount, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		r.RequesterID, r.OpportunityID, r.ActivityTypeID, r.ReferencesNeeded, string(criteria), r.DueDate.String(),
		r.Context, string(r.Workflow), string(r.State), nullID(r.AssigneeID), nullID(r.ProposedReferenceID),
		at.stage, at.amount, tx.now, tx.now)
	if err != nil {
		return err
	}
	r.ID, r.Version, r.CreatedAt, r.UpdatedAt = id, 1, tx.now, tx.now
	r.OppStage, r.OppAmountCents = at.stage, at.cents()
	if err := tx.event(id, vouch.RequestEvent{Kind: vouch.EventState, To: r.State, Body: vouch.SubmittedEvent}); err != nil {
		return err
	}
	if err := tx.send(fillRequestID(out, id)); err != nil {
		return err
	}
	changes := []vouch.Change{
		{Field: "opportunity_id", After: r.OpportunityID}, {Field: "activity_type_id", After: r.ActivityTypeID},
		{Field: "references_needed", After: r.ReferencesNeeded}, {Field: "criteria", After: string(criteria)},
		{Field: "due_date", After: r.DueDate.String()}, {Field: "state", After: string(r.State)}}
	if r.ProposedReferenceID != 0 {
		changes = append(changes, vouch.Change{Field: "proposed_reference_id", After: r.ProposedReferenceID})
	}
	return tx.audit("create", "request", id, changes)
}

// fillRequestID sets the request of mails queued before the request had an id.
func fillRequestID(out vouch.Outgoing, id int64) vouch.Outgoing {
	mails := make([]vouch.Mail, len(out.Mails))
	for i, m := range out.Mails {
		if m.RequestID == 0 {
			m.RequestID = id
		}
		mails[i] = m
	}
	out.Mails = mails
	// A notification about a request links to it unless it says otherwise.
	notes := make([]vouch.Notification, len(out.Notifications))
	for i, n := range out.Notifications {
		if n.Link == "" {
			n.Link = fmt.Sprintf("/requests/%d", id)
		}
		notes[i] = n
	}
	out.Notifications = notes
	return out
}

// Request reads one request.
func (db *DB) Request(ctx context.Context, id int64) (*vouch.Request, error) {
	r, err := scanRequest(db.queryRow(ctx, `SELECT `+requestColumns+` FROM requests WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Request", id)
	}
	return r, err
}

func (tx *Tx) request(id int64) (*vouch.Request, error) {
	r, err := scanRequest(tx.queryRow(`SELECT `+requestColumns+` FROM requests WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Request", id)
	}
	return r, err
}

// ListRequests returns requests by due date (soonest first) and how many match.
func (db *DB) ListRequests(ctx context.Context, f vouch.RequestFilter) ([]*vouch.Request, int, error) {
	var where []string
	var args []any
	if f.RequesterID != 0 {
		where, args = append(where, "requester_id = ?"), append(args, f.RequesterID)
	}
	if f.AssigneeID != 0 {
		where, args = append(where, "assignee_id = ?"), append(args, f.AssigneeID)
	}
	if f.Unassigned {
		where = append(where, "assignee_id IS NULL")
	}
	states := f.States
	if f.Open && len(states) == 0 {
		for _, s := range vouch.RequestStates {
			if !s.Closed() {
				states = append(states, s)
			}
		}
	}
	if len(states) > 0 {
		where = append(where, "state IN ("+placeholders(len(states))+")")
		for _, s := range states {
			args = append(args, string(s))
		}
	}
	if !f.DueBefore.IsZero() {
		where, args = append(where, "due_date <= ?"), append(args, f.DueBefore.String())
	}
	if f.OpportunityIDs != nil {
		if len(f.OpportunityIDs) == 0 {
			return []*vouch.Request{}, 0, nil
		}
		where = append(where, "opportunity_id IN ("+placeholders(len(f.OpportunityIDs))+")")
		for _, id := range f.OpportunityIDs {
			args = append(args, id)
		}
	}
	w := ""
	if len(where) > 0 {
		w = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM requests`+w, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if f.Limit == 0 {
		f.Limit = 100
	}
	rows, err := db.query(ctx, `SELECT `+requestColumns+` FROM requests`+w+` ORDER BY due_date, id LIMIT ? OFFSET ?`,
		append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []*vouch.Request{}
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// ChangeRequestState moves a request read at version (0: any) to c.To, and queues out.
func (db *DB) ChangeRequestState(ctx context.Context, id int64, version int, c vouch.RequestChange, out vouch.Outgoing) (*vouch.Request, error) {
	var r *vouch.Request
	err := db.update(ctx, func(tx *Tx) error {
		var err error
		r, err = tx.changeRequestState(id, version, c)
		if err != nil {
			return err
		}
		return tx.send(fillRequestID(out, id))
	})
	return r, err
}

func (tx *Tx) changeRequestState(id int64, version int, c vouch.RequestChange) (*vouch.Request, error) {
	r, err := tx.request(id)
	if err != nil {
		return nil, err
	}
	if version != 0 && version != r.Version {
		return nil, staleVersion("request", r.Version)
	}
	c.Reason = strings.TrimSpace(c.Reason)
	if err := vouch.CheckRequestTransition(r.State, c); err != nil {
		return nil, err
	}
	var closed any
	if c.To.Closed() {
		closed = tx.now
	}
	res, err := tx.exec(`UPDATE requests SET state = ?, state_reason = ?, closed_at = ?, version = version + 1, updated_at = ?
		WHERE id = ? AND version = ?`, string(c.To), c.Reason, closed, tx.now, id, r.Version)
	if err != nil {
		return nil, err
	}
	if err := savedAt(res, "request", r.Version); err != nil {
		return nil, err
	}
	if c.To.Closed() {
		// A closed request holds no reference: open asks are withdrawn
		// and capacity they booked is given back.
		if err := tx.withdrawOpenAsks(id, "the request is "+strings.ToLower(c.To.Label())); err != nil {
			return nil, err
		}
	}
	if err := tx.event(id, vouch.RequestEvent{Kind: vouch.EventState, From: r.State, To: c.To, Body: c.Reason}); err != nil {
		return nil, err
	}
	changes := []vouch.Change{{Field: "state", Before: string(r.State), After: string(c.To)}}
	changes = vouch.Diff(changes, "state_reason", r.StateReason, c.Reason)
	r.State, r.StateReason, r.Version, r.UpdatedAt = c.To, c.Reason, r.Version+1, tx.now
	if c.To.Closed() {
		t := tx.now
		r.ClosedAt = &t
	}
	return r, tx.audit("state", "request", id, changes)
}

// moveRequest changes a request's state as a side effect of an ask (sent,
// answered, scheduled, completed), when that move is allowed from where the
// request is; otherwise the request stays.
func (tx *Tx) moveRequest(id int64, to vouch.RequestState, why string) error {
	r, err := tx.request(id)
	if err != nil {
		return err
	}
	if r.State == to {
		return nil
	}
	if vouch.CheckRequestTransition(r.State, vouch.RequestChange{To: to, Reason: why}) == nil {
		_, err = tx.changeRequestState(id, 0, vouch.RequestChange{To: to, Reason: why})
		return err
	}
	// A move that lies ahead on the main line passes through the states
	// between, each on the timeline: a request someone sent back to in
	// progress by hand while an advocate was still on it must still become
	// scheduled and completed when that advocate's activity happens.
	from, target := slices.Index(mainLine, r.State), slices.Index(mainLine, to)
	if from < 0 || target <= from {
		return nil
	}
	for _, step := range mainLine[from+1 : target+1] {
		if _, err := tx.changeRequestState(id, 0, vouch.RequestChange{To: step, Reason: why}); err != nil {
			return err
		}
	}
	return nil
}

// mainLine is the way a request goes when all goes well.
var mainLine = []vouch.RequestState{vouch.RequestSubmitted, vouch.RequestInProgress, vouch.RequestAwaitingAdvocate,
	vouch.RequestScheduled, vouch.RequestCompleted}

// AssignRequest gives a request to a team member (0: nobody). A submitted
// request assigned to someone is in progress.
func (db *DB) AssignRequest(ctx context.Context, id int64, version int, assigneeID int64, out vouch.Outgoing) (*vouch.Request, error) {
	var r *vouch.Request
	err := db.update(ctx, func(tx *Tx) error {
		var err error
		r, err = tx.request(id)
		if err != nil {
			return err
		}
		if version != 0 && version != r.Version {
			return staleVersion("request", r.Version)
		}
		if err := vouch.CheckRequestAssignable(r); err != nil {
			return err
		}
		var v vouch.Validation
		if err := tx.checkUser(&v, "assignee", assigneeID); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		if assigneeID == r.AssigneeID {
			return nil
		}
		res, err := tx.exec(`UPDATE requests SET assignee_id = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			nullID(assigneeID), tx.now, id, r.Version)
		if err != nil {
			return err
		}
		if err := savedAt(res, "request", r.Version); err != nil {
			return err
		}
		before := r.AssigneeID
		r.AssigneeID, r.Version, r.UpdatedAt = assigneeID, r.Version+1, tx.now
		name := ""
		if assigneeID != 0 {
			if err := tx.queryRow(`SELECT name FROM users WHERE id = ?`, assigneeID).Scan(&name); err != nil {
				return err
			}
		}
		if err := tx.event(id, vouch.RequestEvent{Kind: vouch.EventMessage, Body: vouch.AssignedEvent(name)}); err != nil {
			return err
		}
		if err := tx.audit("update", "request", id, []vouch.Change{{Field: "assignee_id", Before: before, After: assigneeID}}); err != nil {
			return err
		}
		if assigneeID != 0 && r.State == vouch.RequestSubmitted {
			if r, err = tx.changeRequestState(id, 0, vouch.RequestChange{To: vouch.RequestInProgress}); err != nil {
				return err
			}
		}
		return tx.send(fillRequestID(out, id))
	})
	return r, err
}

// AddRequestMessage adds a message to a request's timeline.
func (db *DB) AddRequestMessage(ctx context.Context, id int64, body string, out vouch.Outgoing) error {
	body, err := vouch.CheckRequestMessage(body)
	if err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		if _, err := tx.request(id); err != nil {
			return err
		}
		if err := tx.event(id, vouch.RequestEvent{Kind: vouch.EventMessage, Body: body}); err != nil {
			return err
		}
		if err := tx.send(fillRequestID(out, id)); err != nil {
			return err
		}
		return tx.audit("message", "request", id, []vouch.Change{{Field: "message", After: body}})
	})
}

// RequestEvents returns a request's timeline, oldest first.
func (db *DB) RequestEvents(ctx context.Context, id int64) ([]vouch.RequestEvent, error) {
	rows, err := db.query(ctx, `SELECT id, kind, from_state, to_state, COALESCE(ref_id, 0), body, actor, at
		FROM request_events WHERE request_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []vouch.RequestEvent{}
	for rows.Next() {
		var e vouch.RequestEvent
		var from, to string
		if err := rows.Scan(&e.ID, &e.Kind, &from, &to, &e.ReferenceID, &e.Body, &e.Actor, &e.At); err != nil {
			return nil, err
		}
		e.From, e.To, e.At = vouch.RequestState(from), vouch.RequestState(to), e.At.UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// RequestStateTimes returns when each request entered each state, for
// fulfillment-speed figures: request id → state → first time.
func (db *DB) RequestStateTimes(ctx context.Context) (map[int64]map[vouch.RequestState]time.Time, error) {
	rows, err := db.query(ctx, `SELECT request_id, to_state, at FROM request_events WHERE kind = ? ORDER BY id`, vouch.EventState)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]map[vouch.RequestState]time.Time{}
	for rows.Next() {
		var id int64
		var to string
		var at time.Time
		if err := rows.Scan(&id, &to, &at); err != nil {
			return nil, err
		}
		m := out[id]
		if m == nil {
			m = map[vouch.RequestState]time.Time{}
			out[id] = m
		}
		if _, ok := m[vouch.RequestState(to)]; !ok {
			m[vouch.RequestState(to)] = at.UTC()
		}
	}
	return out, rows.Err()
}

// activityTypeRule reads the rule of an activity type, or the default.
func (tx *Tx) activityTypeRule(typeID int64) (vouch.ActivityTypeRule, error) {
	r := vouch.DefaultActivityTypeRule(typeID)
	var workflow string
	err := tx.queryRow(`SELECT workflow, approval, points FROM activity_type_rules WHERE type_id = ?`, typeID).
		Scan(&workflow, &r.Approval, &r.Points)
	if errors.Is(err, sql.ErrNoRows) {
		return r, nil
	}
	r.Workflow = vouch.Workflow(workflow)
	return r, err
}

// ActivityTypeRules returns the rule of every activity type value, the
// default for those nobody configured.
func (db *DB) ActivityTypeRules(ctx context.Context) (map[int64]vouch.ActivityTypeRule, error) {
	out := map[int64]vouch.ActivityTypeRule{}
	ids, err := db.ids(ctx, `SELECT id FROM taxonomy_values WHERE kind = ?`, string(vouch.TaxActivityType))
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		out[id] = vouch.DefaultActivityTypeRule(id)
	}
	rows, err := db.query(ctx, `SELECT type_id, workflow, approval, points FROM activity_type_rules`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var r vouch.ActivityTypeRule
		var workflow string
		if err := rows.Scan(&r.TypeID, &workflow, &r.Approval, &r.Points); err != nil {
			return nil, err
		}
		r.Workflow = vouch.Workflow(workflow)
		out[r.TypeID] = r
	}
	return out, rows.Err()
}

// SetActivityTypeRule configures an activity type.
func (db *DB) SetActivityTypeRule(ctx context.Context, r vouch.ActivityTypeRule) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		var v vouch.Validation
		if err := tx.checkValue(&v, "activity_type", vouch.TaxActivityType, r.TypeID); err != nil {
			return err
		}
		if r.TypeID == 0 {
			v.Add("activity_type", "is required")
		}
		if err := v.Err(); err != nil {
			return err
		}
		before, err := tx.activityTypeRule(r.TypeID)
		if err != nil {
			return err
		}
		if before == r {
			return nil
		}
		if _, err := tx.exec(`INSERT INTO activity_type_rules (type_id, workflow, approval, points) VALUES (?, ?, ?, ?)
			ON CONFLICT (type_id) DO UPDATE SET workflow = excluded.workflow, approval = excluded.approval, points = excluded.points`,
			r.TypeID, string(r.Workflow), r.Approval, r.Points); err != nil {
			return err
		}
		var c []vouch.Change
		c = vouch.Diff(c, "workflow", string(before.Workflow), string(r.Workflow))
		c = vouch.Diff(c, "approval", before.Approval, r.Approval)
		c = vouch.Diff(c, "points", before.Points, r.Points)
		return tx.audit("update", "activity_type_rule", r.TypeID, c)
	})
}

// AskAccountOwners maps each ask of a request to the owner of its
// reference's account (0: nobody): owners see the asks of their customers.
func (db *DB) AskAccountOwners(ctx context.Context, requestID int64) (map[int64]int64, error) {
	rows, err := db.query(ctx, `SELECT a.id, COALESCE(ac.owner_id, 0) FROM asks a JOIN refs r ON r.id = a.ref_id
		JOIN accounts ac ON ac.id = r.account_id WHERE a.request_id = ?`, requestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var ask, owner int64
		if err := rows.Scan(&ask, &owner); err != nil {
			return nil, err
		}
		out[ask] = owner
	}
	return out, rows.Err()
}

// RequestsAwaitingApproval returns the open requests with an ask awaiting
// the approval of ownerID, as the owner of the asked reference's account.
func (db *DB) RequestsAwaitingApproval(ctx context.Context, ownerID int64) ([]*vouch.Request, error) {
	rows, err := db.query(ctx, `SELECT `+requestColumns+` FROM requests WHERE id IN (
		SELECT a.request_id FROM asks a JOIN refs r ON r.id = a.ref_id JOIN accounts ac ON ac.id = r.account_id
		WHERE a.state = ? AND ac.owner_id = ?) ORDER BY due_date, id`, string(vouch.AskAwaitingApproval), ownerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*vouch.Request{}
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, err
		}
		if !r.State.Closed() {
			out = append(out, r)
		}
	}
	return out, rows.Err()
}
