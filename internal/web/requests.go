package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/fulfillment"
	"github.com/vouchhq/vouch/internal/vouch"
)

// requestStateClass is the pill colour of a request state; the pill always
// carries the state's name too.
func requestStateClass(s vouch.RequestState) string {
	switch s {
	case vouch.RequestSubmitted:
		return "pill-accent"
	case vouch.RequestInProgress, vouch.RequestAwaitingAdvocate:
		return "pill-warn"
	case vouch.RequestScheduled, vouch.RequestCompleted:
		return "pill-ok"
	case vouch.RequestDeclined, vouch.RequestUnfulfilled:
		return "pill-bad"
	}
	return "pill-muted"
}

// stageClass is the pill colour of a request's stage: waiting on the team
// is the accent, waiting on someone else a warning; the pill always carries
// the stage's words too.
func stageClass(s vouch.RequestStage) string {
	switch s.Key {
	case vouch.StageToPick, vouch.StageToSchedule:
		return "pill-accent"
	case vouch.StageAwaitingApproval, vouch.StageAwaitingAdvocate, vouch.StageHeld:
		return "pill-warn"
	case vouch.StageScheduled, vouch.StageDone:
		return "pill-ok"
	case vouch.StageDeclined, vouch.StageUnfulfilled:
		return "pill-bad"
	}
	return "pill-muted"
}

// askStateClass is the pill colour of an ask state.
func askStateClass(s vouch.AskState) string {
	switch s {
	case vouch.AskAwaitingApproval, vouch.AskPending:
		return "pill-warn"
	case vouch.AskAccepted, vouch.AskScheduled, vouch.AskCompleted:
		return "pill-ok"
	case vouch.AskDeclined, vouch.AskRejected:
		return "pill-bad"
	}
	return "pill-muted"
}

// teamUsers lists the enabled people who fulfill requests, for assigning.
func (h *Handler) teamUsers(ctx context.Context) ([]*vouch.User, map[int64]*vouch.User, error) {
	users, err := h.db.ListUsers(ctx)
	if err != nil {
		return nil, nil, err
	}
	byID := map[int64]*vouch.User{}
	var team []*vouch.User
	for _, u := range users {
		byID[u.ID] = u
		if u.Can(vouch.PermManageProgram) {
			team = append(team, u)
		}
	}
	return team, byID, nil
}

// userName is a user's name for lists ("" for nobody).
func userName(users map[int64]*vouch.User, id int64) string {
	if u := users[id]; u != nil {
		return u.Name
	}
	return ""
}

// requestRow is one request in a list: the queue, the board, my requests.
type requestRow struct {
	*vouch.Request
	Opportunity *vouch.Opportunity
	Type        string
	Requester   string
	Assignee    string
	Overdue     bool // open and due before today
	DueSoon     bool // open and due within 72 hours
	Stage       vouch.RequestStage
	Forward     []vouch.RequestState
	// NextAction and NextURL lead the program team to its next step on
	// the request page; "" when the move is someone else's.
	NextAction, NextURL string
}

// teamAction is the program team's next step at a stage at now, as a
// link's words and the part of the request page where it is taken; ""
// when the request waits on someone else (or on the scheduled time). The
// team may pick, schedule and approve on any request, self-serve ones too.
func teamAction(s vouch.RequestStage, now time.Time) (action, anchor string) {
	switch s.Key {
	case vouch.StageToPick:
		return "Pick references", "matches"
	case vouch.StageAwaitingApproval:
		return "Approve or decline", "asks"
	case vouch.StageToSchedule:
		return "Schedule", "asks"
	case vouch.StageScheduled:
		if s.At == nil || !s.At.After(now) {
			return "Record how it went", "asks"
		}
	}
	return "", ""
}

// requestRows reads what the list pages show about each request.
func (h *Handler) requestRows(ctx context.Context, reqs []*vouch.Request, users map[int64]*vouch.User) ([]requestRow, error) {
	today := h.clock.Today()
	ids := make([]int64, len(reqs))
	for i, r := range reqs {
		ids[i] = r.OpportunityID
	}
	opps, err := h.opts.Fulfillment.OpportunitiesByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	now := h.clock.Now()
	stages, err := h.opts.Fulfillment.Stages(ctx, reqs)
	if err != nil {
		return nil, err
	}
	rows := make([]requestRow, 0, len(reqs))
	for _, r := range reqs {
		st := stages[r.ID]
		row := requestRow{Request: r, Opportunity: opps[r.OpportunityID], Type: h.opts.Catalog.ValueName(r.ActivityTypeID),
			Requester: userName(users, r.RequesterID), Assignee: userName(users, r.AssigneeID), Stage: st.RequestStage}
		if !r.State.Closed() {
			row.Overdue = r.DueDate.Before(today)
			row.DueSoon = !row.Overdue && !r.DueDate.After(today.AddDays(3))
			row.Forward = forwardStates(r.State, st.Moves)
			if action, anchor := teamAction(st.RequestStage, now); action != "" {
				row.NextAction, row.NextURL = action, requestURL(r.ID, anchor)
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// forwardStates are the moves the board offers as one click, of the moves
// the request's asks allow (vouch.RequestMoves): onwards in fulfillment
// order, never closing (that needs a reason) and never to completed (that
// records the activity, on the request page).
func forwardStates(s vouch.RequestState, moves []vouch.RequestState) []vouch.RequestState {
	pos := func(x vouch.RequestState) int {
		for i, y := range vouch.RequestStates {
			if x == y {
				return i
			}
		}
		return -1
	}
	var out []vouch.RequestState
	for _, n := range moves {
		if !n.Closed() && pos(n) > pos(s) {
			out = append(out, n)
		}
	}
	return out
}

// visibleRequest reads request id as u sees it (fulfillment.ViewRequest):
// its requester and the program team see all of it, the owner of an asked
// account the asks about their customers. Others get ENOTFOUND, as if
// there were no such request.
func (h *Handler) visibleRequest(ctx context.Context, u *vouch.User, id int64) (*fulfillment.RequestView, error) {
	v, err := h.opts.Fulfillment.ViewRequest(ctx, u, id)
	if vouch.ErrorCode(err) == vouch.ENOTFOUND {
		return nil, vouch.Errorf(vouch.ENOTFOUND, "There is no request %d, or it is not yours to see.", id)
	}
	return v, err
}

// approvalsFor returns the open requests with an ask awaiting u's approval
// as the owner of the reference's account.
func (h *Handler) approvalsFor(ctx context.Context, u *vouch.User) ([]*vouch.Request, error) {
	return h.opts.Fulfillment.RequestsAwaitingApproval(ctx, u)
}

// backTo is where an action returns: the page it was posted from when
// that is a path on this site, else fallback.
func backTo(r *http.Request, fallback string) string {
	if b := r.PostFormValue("back"); b != "" && safeNext(b) == b {
		return b
	}
	return fallback
}

// requestURL is the path of a request's page, at an optional anchor.
func requestURL(id int64, anchor string) string {
	if anchor != "" {
		return fmt.Sprintf("/requests/%d#%s", id, anchor)
	}
	return fmt.Sprintf("/requests/%d", id)
}

// actionFailed answers a refused action: the user's mistake or a conflict
// goes back as a flash error (nothing changed); anything else is a 500.
func (h *Handler) actionFailed(w http.ResponseWriter, r *http.Request, back string, err error) {
	switch vouch.ErrorCode(err) {
	case vouch.EINVALID, vouch.ECONFLICT, vouch.EFORBIDDEN:
		msg := vouch.ErrorMessage(err)
		if fields := vouch.ErrorFields(err); len(fields) > 0 {
			var parts []string
			for _, f := range sortedKeys(fields) {
				if f == "version" {
					continue
				}
				parts = append(parts, capitalize(strings.ReplaceAll(f, "_", " "))+" "+fields[f]+".")
			}
			if len(parts) > 0 {
				msg += " " + strings.Join(parts, " ")
			}
		}
		redirectError(w, r, back, msg)
	case vouch.ENOTFOUND:
		h.errorPage(w, r, http.StatusNotFound, vouch.ErrorMessage(err))
	default:
		h.serverError(w, r, err)
	}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
