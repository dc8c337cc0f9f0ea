package vouch

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestStageOf(t *testing.T) {
	now := time.Date(2027, 3, 10, 12, 0, 0, 0, time.UTC)
	soon, past := now.Add(48*time.Hour), now.Add(-48*time.Hour)
	ask := func(id int64, s AskState) *Ask { return &Ask{ID: id, State: s} }
	at := func(a *Ask, t time.Time) *Ask { a.ScheduledAt = &t; return a }
	noShow := &Ask{ID: 9, State: AskWithdrawn, Outcome: OutcomeNoShow}
	for _, c := range []struct {
		name     string
		state    RequestState
		needed   int
		selfServ bool
		asks     []*Ask
		rated    map[int64]bool
		key      StageKey
		label    string
		move     Party
	}{
		{"never asked", RequestSubmitted, 1, false, nil, nil, StageToPick, "New — to pick references", PartyTeam},
		{"taken on, nobody asked", RequestInProgress, 1, false, nil, nil, StageToPick, "In progress — to pick references", PartyTeam},
		{"self-serve: the seller picks", RequestSubmitted, 1, true, nil, nil, StageToPick, "New — to pick references", PartySeller},
		{"moved to awaiting by hand, nobody asked", RequestAwaitingAdvocate, 1, false, nil, nil, StageToPick, "New — to pick references", PartyTeam},
		{"waits for the account owner", RequestInProgress, 1, false, []*Ask{ask(1, AskAwaitingApproval)}, nil,
			StageAwaitingApproval, "Awaiting approval (account owner)", PartyAccountOwner},
		{"asked", RequestAwaitingAdvocate, 1, false, []*Ask{ask(1, AskPending)}, nil, StageAwaitingAdvocate, "Awaiting advocate", PartyAdvocate},
		{"accepted: the team schedules", RequestAwaitingAdvocate, 1, false, []*Ask{ask(1, AskAccepted)}, nil,
			StageToSchedule, "Accepted — to schedule", PartyTeam},
		{"accepted on self-serve: the seller schedules", RequestAwaitingAdvocate, 1, true, []*Ask{ask(1, AskAccepted)}, nil,
			StageToSchedule, "Accepted — to schedule", PartySeller},
		{"one accepted, one asked: scheduling comes first", RequestAwaitingAdvocate, 2, false, []*Ask{ask(1, AskPending), ask(2, AskAccepted)}, nil,
			StageToSchedule, "Accepted — to schedule", PartyTeam},
		{"scheduled", RequestScheduled, 1, false, []*Ask{at(ask(1, AskScheduled), soon)}, nil, StageScheduled, "Scheduled — 12 Mar", PartyTeam},
		{"the earliest scheduled day", RequestScheduled, 2, false, []*Ask{at(ask(1, AskScheduled), soon), at(ask(2, AskScheduled), past)}, nil,
			StageScheduled, "Scheduled — 8 Mar", PartyTeam},
		{"declined: pick another", RequestInProgress, 1, false, []*Ask{ask(1, AskDeclined)}, nil, StageToPick, "Declined — to pick another", PartyTeam},
		{"not approved", RequestInProgress, 1, false, []*Ask{ask(1, AskRejected)}, nil, StageToPick, "Not approved — to pick another", PartyTeam},
		{"expired", RequestInProgress, 1, false, []*Ask{ask(1, AskExpired)}, nil, StageToPick, "No answer — to pick another", PartyTeam},
		{"withdrawn", RequestInProgress, 1, false, []*Ask{ask(1, AskWithdrawn)}, nil, StageToPick, "Withdrawn — to pick another", PartyTeam},
		{"no-show", RequestInProgress, 1, false, []*Ask{noShow}, nil, StageToPick, "No-show — to pick another", PartyTeam},
		{"the last ended ask names the cause", RequestInProgress, 1, false, []*Ask{ask(1, AskDeclined), ask(2, AskExpired)}, nil,
			StageToPick, "No answer — to pick another", PartyTeam},
		{"fewer asked than needed", RequestAwaitingAdvocate, 2, false, []*Ask{ask(1, AskPending), ask(2, AskDeclined)}, nil,
			StageToPick, "1 of 2 asked — to pick another", PartyTeam},
		{"approval before the advocate", RequestAwaitingAdvocate, 2, false, []*Ask{ask(1, AskPending), ask(2, AskAwaitingApproval)}, nil,
			StageAwaitingApproval, "Awaiting approval (account owner)", PartyAccountOwner},
		{"one scheduled, one asked", RequestAwaitingAdvocate, 2, false, []*Ask{at(ask(1, AskScheduled), soon), ask(2, AskPending)}, nil,
			StageAwaitingAdvocate, "Awaiting advocate", PartyAdvocate},
		{"held, not rated", RequestCompleted, 1, false, []*Ask{ask(1, AskCompleted)}, nil, StageHeld, "Held — awaiting feedback", PartySeller},
		{"held and rated", RequestCompleted, 1, false, []*Ask{ask(1, AskCompleted)}, map[int64]bool{1: true}, StageDone, "Done", PartyNobody},
		{"one of two rated", RequestCompleted, 2, false, []*Ask{ask(1, AskCompleted), ask(2, AskCompleted)}, map[int64]bool{1: true},
			StageHeld, "Held — awaiting feedback", PartySeller},
		{"declined by the team", RequestDeclined, 1, false, []*Ask{ask(1, AskWithdrawn)}, nil, StageDeclined, "Declined", PartyNobody},
		{"cancelled", RequestCancelled, 1, false, nil, nil, StageCancelled, "Cancelled", PartyNobody},
		{"unfulfilled", RequestUnfulfilled, 1, false, nil, nil, StageUnfulfilled, "Unfulfilled", PartyNobody},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := &Request{State: c.state, ReferencesNeeded: c.needed, Workflow: WorkflowProgramManaged}
			if c.selfServ {
				r.Workflow = WorkflowSelfServe
			}
			got := StageOf(r, c.asks, c.rated, now, time.UTC)
			if got.Key != c.key || got.Label != c.label || got.Move != c.move {
				t.Errorf("got %s %q (%s's move), want %s %q (%s's move)", got.Key, got.Label, got.Move, c.key, c.label, c.move)
			}
			if (got.Move == PartyNobody) != (got.Step == "") {
				t.Errorf("step %q for %s's move: an open stage says what comes next, a closed one nothing", got.Step, got.Move)
			}
		})
	}
	t.Run("the day is the reader's", func(t *testing.T) {
		late := time.Date(2027, 3, 12, 23, 30, 0, 0, time.UTC)
		tokyo, _ := time.LoadLocation("Asia/Tokyo")
		r := &Request{State: RequestScheduled, ReferencesNeeded: 1}
		got := StageOf(r, []*Ask{at(ask(1, AskScheduled), late)}, nil, now, tokyo)
		if got.Label != "Scheduled — 13 Mar" || got.At == nil || !got.At.Equal(late) {
			t.Errorf("got %q at %v", got.Label, got.At)
		}
		if got = StageOf(r, []*Ask{at(ask(1, AskScheduled), past)}, nil, now, time.UTC); got.Step != "Mark it completed once it took place." {
			t.Errorf("a passed time: step %q", got.Step)
		}
	})
	for _, k := range OpenStages {
		if k.Title() == string(k) {
			t.Errorf("stage %s has no title", k)
		}
	}
}

func TestCheckRequestMove(t *testing.T) {
	ask := func(s AskState) *Ask { return &Ask{State: s} }
	for _, c := range []struct {
		name   string
		from   RequestState
		asks   []*Ask
		to     RequestState
		reason string
		refuse string // a part of the refusal; "" allowed
	}{
		{"never asked to awaiting advocate", RequestSubmitted, nil, RequestAwaitingAdvocate, "", "No advocate has been asked yet — pick a reference first."},
		{"only awaiting approval", RequestInProgress, []*Ask{ask(AskAwaitingApproval)}, RequestAwaitingAdvocate, "", "waits for the account owner's approval"},
		{"declined ask", RequestInProgress, []*Ask{ask(AskDeclined)}, RequestAwaitingAdvocate, "", "pick a reference first"},
		{"back with an advocate asked", RequestInProgress, []*Ask{ask(AskPending)}, RequestAwaitingAdvocate, "", ""},
		{"scheduled without a time", RequestAwaitingAdvocate, []*Ask{ask(AskAccepted)}, RequestScheduled, "", "Nothing is scheduled yet"},
		{"scheduled with one", RequestAwaitingAdvocate, []*Ask{ask(AskScheduled)}, RequestScheduled, "", ""},
		{"completed by hand", RequestScheduled, []*Ask{ask(AskScheduled)}, RequestCompleted, "", "mark how each went"},
		{"submitted to in progress", RequestSubmitted, nil, RequestInProgress, "", ""},
		{"cancel with a reason", RequestSubmitted, nil, RequestCancelled, "deal lost", ""},
		{"cancel without one", RequestSubmitted, nil, RequestCancelled, "", "Say why"},
		{"not a transition", RequestSubmitted, nil, RequestScheduled, "", "cannot become scheduled; it can become in progress, declined, cancelled, unfulfilled."},
		{"closed", RequestCompleted, nil, RequestInProgress, "", "cannot change any more"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := &Request{State: c.from, ReferencesNeeded: 1}
			err := CheckRequestMove(r, c.asks, RequestChange{To: c.to, Reason: c.reason})
			switch {
			case c.refuse == "" && err != nil:
				t.Errorf("refused: %v", err)
			case c.refuse != "" && (err == nil || !strings.Contains(ErrorMessage(err), c.refuse)):
				t.Errorf("got %v, want a refusal saying %q", err, c.refuse)
			case c.refuse != "" && ErrorCode(err) == EINTERNAL:
				t.Errorf("refusal without a code: %v", err)
			}
			moves := RequestMoves(r, c.asks)
			// A closing move is offered; its reason is asked for when it is made.
			want := c.refuse == "" || strings.Contains(c.refuse, "Say why")
			if offered := slices.Contains(moves, c.to); offered != want {
				t.Errorf("moves %v: offering %s is %v", moves, c.to, offered)
			}
		})
	}
}
