package vouch

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Party is whoever a request waits on: the next move is theirs.
type Party string

// The parties of a request. Nobody's move is a closed request.
const (
	PartyTeam         Party = "team"          // the program team
	PartyAdvocate     Party = "advocate"      // the customer asked
	PartyAccountOwner Party = "account_owner" // the owner of the asked reference's account
	PartySeller       Party = "seller"        // the requester
	PartyNobody       Party = ""              // closed: nothing more to do
)

// Label is the party for people.
func (p Party) Label() string {
	switch p {
	case PartyTeam:
		return "Team"
	case PartyAdvocate:
		return "Advocate"
	case PartyAccountOwner:
		return "Account owner"
	case PartySeller:
		return "Seller"
	}
	return "Nobody"
}

// StageKey names where a request stands for the people working on it.
type StageKey string

// The stages of a request, in the order the board shows the open ones.
const (
	StageToPick           StageKey = "to_pick"           // nobody is asked (yet, or any more): pick references
	StageAwaitingApproval StageKey = "awaiting_approval" // an ask waits for the account owner
	StageAwaitingAdvocate StageKey = "awaiting_advocate" // an advocate has the ask and has not answered
	StageToSchedule       StageKey = "to_schedule"       // an advocate accepted: agree a time
	StageScheduled        StageKey = "scheduled"         // the time is agreed
	StageHeld             StageKey = "held"              // it happened; the seller's feedback is missing
	StageDone             StageKey = "done"              // completed, and rated
	StageDeclined         StageKey = "declined"          // the team declined the request
	StageCancelled        StageKey = "cancelled"
	StageUnfulfilled      StageKey = "unfulfilled"
)

// OpenStages are the stages of open requests, in the order the board's
// columns show them.
var OpenStages = []StageKey{StageToPick, StageAwaitingApproval, StageAwaitingAdvocate, StageToSchedule, StageScheduled}

// Title is the stage's short name, as a board column heads it.
func (k StageKey) Title() string {
	switch k {
	case StageToPick:
		return "To pick"
	case StageAwaitingApproval:
		return "Awaiting approval"
	case StageAwaitingAdvocate:
		return "Awaiting advocate"
	case StageToSchedule:
		return "To schedule"
	case StageScheduled:
		return "Scheduled"
	case StageHeld:
		return "Held"
	case StageDone:
		return "Done"
	case StageDeclined:
		return "Declined"
	case StageCancelled:
		return "Cancelled"
	case StageUnfulfilled:
		return "Unfulfilled"
	}
	return string(k)
}

// RequestStage is where a request stands in words, and whose move it is:
// the request's state alone says "awaiting advocate" long after the
// advocate accepted, while the next step is the team's.
type RequestStage struct {
	Key   StageKey `json:"stage"`
	Label string   `json:"stage_label"` // "Accepted — to schedule", "Scheduled — 12 Mar"
	Move  Party    `json:"next_move"`
	Step  string   `json:"next_step"` // what that party does next, in a sentence; "" when closed
	// At is when the next scheduled activity takes place, for StageScheduled.
	At *time.Time `json:"scheduled_at,omitempty"`
}

// StageOf decides the stage of r from its asks (all of them, in the order
// they were made) and the asks its seller rated (ask id → rated), at now;
// a scheduled time is named as a day in loc. The picking, scheduling and
// completing are the seller's own moves on a self-serve request, the
// team's otherwise.
//
// An open request that has an accepted ask waits on whoever schedules it,
// before anything else; one with fewer live asks than it needs waits on
// whoever picks; otherwise it waits on the earliest step still to come:
// an approval, an advocate's answer, then the scheduled activity.
func StageOf(r *Request, asks []*Ask, rated map[int64]bool, now time.Time, loc *time.Location) RequestStage {
	picker := PartyTeam
	if r.Workflow == WorkflowSelfServe {
		picker = PartySeller
	}
	var approval, pending, accepted, scheduled, completed int
	var next *time.Time
	var ended *Ask
	for _, a := range asks {
		switch a.State {
		case AskAwaitingApproval:
			approval++
		case AskPending:
			pending++
		case AskAccepted:
			accepted++
		case AskScheduled:
			scheduled++
			if a.ScheduledAt != nil && (next == nil || a.ScheduledAt.Before(*next)) {
				next = a.ScheduledAt
			}
		case AskCompleted:
			completed++
		default:
			ended = a
		}
	}
	unrated := slices.ContainsFunc(asks, func(a *Ask) bool { return a.State == AskCompleted && !rated[a.ID] })
	switch r.State {
	case RequestCompleted:
		if unrated {
			return RequestStage{Key: StageHeld, Label: "Held — awaiting feedback", Move: PartySeller,
				Step: "Rate how the reference helped the deal."}
		}
		return RequestStage{Key: StageDone, Label: "Done"}
	case RequestDeclined:
		return RequestStage{Key: StageDeclined, Label: "Declined"}
	case RequestCancelled:
		return RequestStage{Key: StageCancelled, Label: "Cancelled"}
	case RequestUnfulfilled:
		return RequestStage{Key: StageUnfulfilled, Label: "Unfulfilled"}
	}
	live := approval + pending + accepted + scheduled + completed
	switch {
	case accepted > 0:
		return RequestStage{Key: StageToSchedule, Label: "Accepted — to schedule", Move: picker,
			Step: "Agree a time with the advocate and schedule it."}
	case live == 0:
		if ended == nil {
			label := "New — to pick references"
			if r.State == RequestInProgress {
				label = "In progress — to pick references"
			}
			return RequestStage{Key: StageToPick, Label: label, Move: picker, Step: "Pick a reference from the matches and ask them."}
		}
		return RequestStage{Key: StageToPick, Label: endedLabel(ended) + " — to pick another", Move: picker,
			Step: "Pick another reference from the matches and ask them."}
	case live < r.ReferencesNeeded:
		return RequestStage{Key: StageToPick, Label: fmt.Sprintf("%d of %d asked — to pick another", live, r.ReferencesNeeded),
			Move: picker, Step: "Pick another reference from the matches and ask them."}
	case approval > 0:
		return RequestStage{Key: StageAwaitingApproval, Label: "Awaiting approval (account owner)", Move: PartyAccountOwner,
			Step: "Approve or decline asking their customer."}
	case pending > 0:
		return RequestStage{Key: StageAwaitingAdvocate, Label: "Awaiting advocate", Move: PartyAdvocate,
			Step: "Answer the ask through the mailed link."}
	case scheduled > 0:
		s := RequestStage{Key: StageScheduled, Label: "Scheduled", Move: picker, At: next,
			Step: "Mark it completed once it took place."}
		if next != nil {
			day := next.In(loc).Format("2 Jan")
			s.Label += " — " + day
			if next.After(now) {
				s.Step = "Mark it completed after " + day + "."
			}
		}
		return s
	}
	// Every ask it needs is completed, yet the request is open (it was
	// moved back by hand): it waits on whoever closes it, in the board's
	// last column.
	return RequestStage{Key: StageScheduled, Label: "Held — to close", Move: picker, Step: "Close the request."}
}

// endedLabel says how the last ask of a request that holds none ended.
func endedLabel(a *Ask) string {
	switch {
	case a.Outcome == OutcomeNoShow:
		return "No-show"
	case a.State == AskDeclined:
		return "Declined"
	case a.State == AskRejected:
		return "Not approved"
	case a.State == AskExpired:
		return "No answer"
	}
	return "Withdrawn"
}

// CheckRequestMove decides a move of r by hand (a board's button, the
// API) given its asks: the transition must be allowed, and a move into a
// state that asks bring about must have the asks for it. Closing moves
// need only a reason.
func CheckRequestMove(r *Request, asks []*Ask, c RequestChange) error {
	if err := CheckRequestTransition(r.State, c); err != nil {
		if c.To.Valid() && !r.State.Closed() && !slices.Contains(r.State.NextStates(), c.To) {
			// Name only the moves there really are, given the asks.
			return &Error{Code: ECONFLICT, Message: fmt.Sprintf("A request that is %s cannot become %s; it can become %s.",
				lowerLabel(r.State), lowerLabel(c.To), requestStateNames(RequestMoves(r, asks))),
				Fields: ErrorFields(err)}
		}
		return err
	}
	return checkMoveByAsks(r, asks, c.To)
}

func lowerLabel(s RequestState) string { return strings.ToLower(s.Label()) }

// RequestMoves lists the states r may be moved to by hand, given its asks;
// the closing ones still need a reason.
func RequestMoves(r *Request, asks []*Ask) []RequestState {
	out := []RequestState{}
	for _, to := range r.State.NextStates() {
		if checkMoveByAsks(r, asks, to) == nil {
			out = append(out, to)
		}
	}
	return out
}

// checkMoveByAsks refuses moving r to a state its asks do not bear out:
// awaiting advocate needs an advocate asked, scheduled enough asks
// scheduled, completed enough asks completed.
func checkMoveByAsks(r *Request, asks []*Ask, to RequestState) error {
	count := func(states ...AskState) int {
		n := 0
		for _, a := range asks {
			if slices.Contains(states, a.State) {
				n++
			}
		}
		return n
	}
	switch to {
	case RequestAwaitingAdvocate:
		if count(AskPending, AskAccepted, AskScheduled) > 0 {
			return nil
		}
		if count(AskAwaitingApproval) > 0 {
			return Errorf(ECONFLICT, "No advocate has been asked yet — the ask waits for the account owner's approval.")
		}
		return Errorf(ECONFLICT, "No advocate has been asked yet — pick a reference first.")
	case RequestScheduled:
		if Enough(count(AskScheduled, AskCompleted), r.ReferencesNeeded) {
			return nil
		}
		return Errorf(ECONFLICT, "Nothing is scheduled yet — schedule an accepted ask first.")
	case RequestCompleted:
		if Enough(count(AskCompleted), r.ReferencesNeeded) {
			return nil
		}
		return Errorf(ECONFLICT, "The request completes when its asks do — mark how each went on the request page.")
	}
	return nil
}
