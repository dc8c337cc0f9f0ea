package vouch

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCheckRequestTransition(t *testing.T) {
	allowed := []struct{ from, to RequestState }{
		{RequestSubmitted, RequestInProgress},
		{RequestSubmitted, RequestAwaitingAdvocate},
		{RequestSubmitted, RequestDeclined},
		{RequestSubmitted, RequestCancelled},
		{RequestSubmitted, RequestUnfulfilled},
		{RequestInProgress, RequestAwaitingAdvocate},
		{RequestInProgress, RequestDeclined},
		{RequestInProgress, RequestCancelled},
		{RequestInProgress, RequestUnfulfilled},
		{RequestAwaitingAdvocate, RequestInProgress},
		{RequestAwaitingAdvocate, RequestScheduled},
		{RequestAwaitingAdvocate, RequestCancelled},
		{RequestAwaitingAdvocate, RequestUnfulfilled},
		{RequestScheduled, RequestCompleted},
		{RequestScheduled, RequestInProgress},
		{RequestScheduled, RequestCancelled},
		{RequestScheduled, RequestUnfulfilled},
	}
	for _, c := range allowed {
		if err := CheckRequestTransition(c.from, RequestChange{To: c.to, Reason: "the deal was lost"}); err != nil {
			t.Errorf("%s → %s: %v, want allowed", c.from, c.to, err)
		}
		if !slices.Contains(c.from.NextStates(), c.to) {
			t.Errorf("%s: next states %v lack %s", c.from, c.from.NextStates(), c.to)
		}
	}
	// Every open state's next states are exactly the allowed moves above.
	n := 0
	for _, s := range RequestStates {
		n += len(s.NextStates())
	}
	if n != len(allowed) {
		t.Errorf("%d moves are allowed in all, the table above lists %d", n, len(allowed))
	}

	refused := []struct {
		from, to RequestState
		want     string
	}{
		{RequestSubmitted, RequestScheduled, "cannot become scheduled"},
		{RequestSubmitted, RequestCompleted, "cannot become completed"},
		{RequestSubmitted, RequestSubmitted, "cannot become submitted"},
		{RequestInProgress, RequestSubmitted, "cannot become submitted"},
		{RequestInProgress, RequestCompleted, "cannot become completed"},
		{RequestInProgress, RequestScheduled, "cannot become scheduled"},
		{RequestAwaitingAdvocate, RequestCompleted, "cannot become completed"},
		{RequestAwaitingAdvocate, RequestSubmitted, "cannot become submitted"},
		{RequestScheduled, RequestAwaitingAdvocate, "cannot become awaiting advocate"},
		{RequestScheduled, RequestSubmitted, "cannot become submitted"},
	}
	for _, c := range refused {
		err := CheckRequestTransition(c.from, RequestChange{To: c.to, Reason: "because"})
		if ErrorCode(err) != ECONFLICT || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s → %s: %v, want a conflict saying %q", c.from, c.to, err, c.want)
		}
		// The message names where the request can go instead.
		if err != nil && !strings.Contains(ErrorMessage(err), "it can become") {
			t.Errorf("%s → %s: message %q does not say where it can go", c.from, c.to, ErrorMessage(err))
		}
	}

	// A closed request refuses every move, with or without a reason.
	for _, from := range []RequestState{RequestCompleted, RequestDeclined, RequestCancelled, RequestUnfulfilled} {
		if !from.Closed() {
			t.Errorf("%s is not closed", from)
		}
		if len(from.NextStates()) != 0 {
			t.Errorf("%s: next states %v, want none", from, from.NextStates())
		}
		for _, to := range RequestStates {
			err := CheckRequestTransition(from, RequestChange{To: to, Reason: "reopen please"})
			if ErrorCode(err) != ECONFLICT || !strings.Contains(err.Error(), "cannot change any more") {
				t.Errorf("closed %s → %s: %v, want 'cannot change any more'", from, to, err)
			}
		}
	}
	for _, s := range []RequestState{RequestSubmitted, RequestInProgress, RequestAwaitingAdvocate, RequestScheduled} {
		if s.Closed() {
			t.Errorf("%s counts as closed", s)
		}
	}

	// Declined, cancelled and unfulfilled need a reason; blanks are no reason.
	for _, to := range []RequestState{RequestDeclined, RequestCancelled, RequestUnfulfilled} {
		for _, reason := range []string{"", "   \t"} {
			err := CheckRequestTransition(RequestInProgress, RequestChange{To: to, Reason: reason})
			if ErrorCode(err) != EINVALID || ErrorFields(err)["reason"] == "" {
				t.Errorf("in progress → %s with reason %q: %v, want a reason field error", to, reason, err)
			}
		}
	}
	// Other moves need none.
	for _, c := range []struct{ from, to RequestState }{{RequestSubmitted, RequestInProgress},
		{RequestAwaitingAdvocate, RequestScheduled}, {RequestScheduled, RequestCompleted}} {
		if err := CheckRequestTransition(c.from, RequestChange{To: c.to}); err != nil {
			t.Errorf("%s → %s without reason: %v", c.from, c.to, err)
		}
	}

	// An unknown state is invalid input, not a conflict.
	err := CheckRequestTransition(RequestSubmitted, RequestChange{To: "done"})
	if ErrorCode(err) != EINVALID || ErrorFields(err)["state"] == "" {
		t.Errorf("→ unknown state: %v, want a state field error", err)
	}
}

func TestRequestValidate(t *testing.T) {
	today := NewDate(2026, 11, 23)
	valid := func() Request {
		return Request{OpportunityID: 1, ActivityTypeID: 2, DueDate: today.AddDays(10)}
	}
	r := valid()
	r.Context = "  Big deal in Munich.  "
	r.Criteria = Criteria{Language: " German ", Seniority: " Executive "}
	if err := r.Validate(today); err != nil {
		t.Fatal(err)
	}
	if r.ReferencesNeeded != 1 {
		t.Errorf("references needed defaulted to %d, want 1", r.ReferencesNeeded)
	}
	if r.Context != "Big deal in Munich." || r.Criteria.Language != "German" || r.Criteria.Seniority != "executive" {
		t.Errorf("normalised to context %q, language %q, seniority %q", r.Context, r.Criteria.Language, r.Criteria.Seniority)
	}
	// Due today is fine.
	r = valid()
	r.DueDate = today
	if err := r.Validate(today); err != nil {
		t.Errorf("due today: %v", err)
	}
	r = valid()
	r.ReferencesNeeded = 10
	if err := r.Validate(today); err != nil {
		t.Errorf("10 references: %v", err)
	}

	cases := []struct {
		name  string
		edit  func(*Request)
		field string
	}{
		{"no opportunity", func(r *Request) { r.OpportunityID = 0 }, "opportunity"},
		{"no activity type", func(r *Request) { r.ActivityTypeID = 0 }, "activity_type"},
		{"no due date", func(r *Request) { r.DueDate = Date{} }, "due_date"},
		{"due yesterday", func(r *Request) { r.DueDate = today.AddDays(-1) }, "due_date"},
		{"negative references", func(r *Request) { r.ReferencesNeeded = -1 }, "references_needed"},
		{"eleven references", func(r *Request) { r.ReferencesNeeded = 11 }, "references_needed"},
		{"unknown seniority", func(r *Request) { r.Criteria.Seniority = "intern" }, "seniority"},
		{"long context", func(r *Request) { r.Context = strings.Repeat("x", 10001) }, "context"},
	}
	for _, c := range cases {
		r := valid()
		c.edit(&r)
		err := r.Validate(today)
		if ErrorCode(err) != EINVALID || ErrorFields(err)[c.field] == "" {
			t.Errorf("%s: %v, want a %s field error", c.name, err, c.field)
		}
	}
	// Every problem is reported at once.
	r = Request{ReferencesNeeded: 20}
	err := r.Validate(today)
	if f := ErrorFields(err); len(f) != 4 {
		t.Errorf("empty request: fields %v, want opportunity, activity_type, references_needed and due_date", f)
	}
}

func TestOpportunityValidate(t *testing.T) {
	o := Opportunity{Name: "  Acme   renewal ", Prospect: " Acme  Corp ", Currency: " eur ", Status: "Won", CRMID: " 006X "}
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	if o.Name != "Acme renewal" || o.Prospect != "Acme Corp" || o.Currency != "EUR" || o.Status != OpportunityWon || o.CRMID != "006X" {
		t.Errorf("normalised to %+v", o)
	}
	o = Opportunity{Name: "Deal"}
	if err := o.Validate(); err != nil || o.Currency != "USD" || o.Status != OpportunityOpen {
		t.Errorf("defaults: %+v %v, want USD and open", o, err)
	}
	cases := []struct {
		name  string
		o     Opportunity
		field string
	}{
		{"no name", Opportunity{Name: "   "}, "name"},
		{"long name", Opportunity{Name: strings.Repeat("n", 201)}, "name"},
		{"long prospect", Opportunity{Name: "D", Prospect: strings.Repeat("p", 201)}, "prospect"},
		{"negative amount", Opportunity{Name: "D", AmountCents: -1}, "amount"},
		{"currency of two letters", Opportunity{Name: "D", Currency: "US"}, "currency"},
		{"currency with a digit", Opportunity{Name: "D", Currency: "US1"}, "currency"},
		{"currency symbol", Opportunity{Name: "D", Currency: "$"}, "currency"},
		{"unknown status", Opportunity{Name: "D", Status: "pending"}, "status"},
	}
	for _, c := range cases {
		err := c.o.Validate()
		if ErrorCode(err) != EINVALID || ErrorFields(err)[c.field] == "" {
			t.Errorf("%s: %v, want a %s field error", c.name, err, c.field)
		}
	}
}

func TestFeedbackValidate(t *testing.T) {
	yes := true
	ok := []Feedback{
		{Source: FeedbackSeller, Rating: 5, Influenced: &yes, Impact: "accelerated"},
		{Source: FeedbackSeller, Rating: 1, Influenced: new(bool)},
		{Source: FeedbackAdvocate, Rating: 3, ThankYou: "donation", Comment: "  Nice people.  "},
		{Source: FeedbackAdvocate, Rating: 4},
	}
	for _, f := range ok {
		if err := f.Validate(); err != nil {
			t.Errorf("%+v: %v", f, err)
		}
	}
	f := Feedback{Source: FeedbackAdvocate, Rating: 4, Comment: "  fine \n"}
	if err := f.Validate(); err != nil || f.Comment != "fine" {
		t.Errorf("comment kept as %q (%v)", f.Comment, err)
	}
	bad := []struct {
		name  string
		f     Feedback
		field string
	}{
		{"no source", Feedback{Rating: 3}, "source"},
		{"unknown source", Feedback{Source: "prospect", Rating: 3}, "source"},
		{"rating 0", Feedback{Source: FeedbackAdvocate}, "rating"},
		{"rating 6", Feedback{Source: FeedbackAdvocate, Rating: 6}, "rating"},
		{"seller without influence", Feedback{Source: FeedbackSeller, Rating: 3}, "influenced"},
		{"unknown impact", Feedback{Source: FeedbackSeller, Rating: 3, Influenced: &yes, Impact: "huge"}, "impact"},
		{"unknown thank-you", Feedback{Source: FeedbackAdvocate, Rating: 3, ThankYou: "cash"}, "thank_you"},
		{"long comment", Feedback{Source: FeedbackAdvocate, Rating: 3, Comment: strings.Repeat("c", 5001)}, "comment"},
	}
	for _, c := range bad {
		err := c.f.Validate()
		if ErrorCode(err) != EINVALID || ErrorFields(err)[c.field] == "" {
			t.Errorf("%s: %v, want a %s field error", c.name, err, c.field)
		}
	}
}

func TestScheduleValidate(t *testing.T) {
	at := time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC)
	s := Schedule{At: at, MeetingURL: "  https://meet.example.com/abc  "}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if s.DurationMinutes != 30 || s.MeetingURL != "https://meet.example.com/abc" {
		t.Errorf("normalised to %+v, want 30 minutes and a trimmed URL", s)
	}
	for _, d := range []int{5, 480} {
		s := Schedule{At: at, DurationMinutes: d, MeetingURL: "http://intranet/call"}
		if err := s.Validate(); err != nil {
			t.Errorf("%d minutes: %v", d, err)
		}
	}
	bad := []struct {
		name  string
		s     Schedule
		field string
	}{
		{"no time", Schedule{}, "scheduled_at"},
		{"4 minutes", Schedule{At: at, DurationMinutes: 4}, "duration_minutes"},
		{"481 minutes", Schedule{At: at, DurationMinutes: 481}, "duration_minutes"},
		{"negative", Schedule{At: at, DurationMinutes: -30}, "duration_minutes"},
		{"not a web address", Schedule{At: at, MeetingURL: "javascript:alert(1)"}, "meeting_url"},
		{"no scheme", Schedule{At: at, MeetingURL: "meet.example.com/abc"}, "meeting_url"},
	}
	for _, c := range bad {
		err := c.s.Validate()
		if ErrorCode(err) != EINVALID || ErrorFields(err)[c.field] == "" {
			t.Errorf("%s: %v, want a %s field error", c.name, err, c.field)
		}
	}
}

func TestCanBook(t *testing.T) {
	d := NewDate(2026, 6, 15)
	cases := []struct {
		name  string
		max   int
		dates []Date
		want  bool
	}{
		{"max 0 books nothing", 0, nil, false},
		{"negative max books nothing", -1, nil, false},
		{"empty", 1, nil, true},
		{"one of three used", 3, []Date{d.AddDays(-10)}, true},
		{"same day, room for two", 2, []Date{d}, true},
		{"same day, full", 1, []Date{d}, false},
		{"89 days before: same window", 1, []Date{d.AddDays(-89)}, false},
		{"90 days before: out of every window", 1, []Date{d.AddDays(-90)}, true},
		{"89 days after (booked): same window", 1, []Date{d.AddDays(89)}, false},
		{"90 days after (booked): out of every window", 1, []Date{d.AddDays(90)}, true},
		{"full window ending on d", 3, []Date{d.AddDays(-1), d.AddDays(-50), d.AddDays(-89)}, false},
		{"two windows each with room", 2, []Date{d.AddDays(-80), d.AddDays(80)}, true},
		// [d-80, d+9] already holds d-80 and d+9: a third is too many.
		{"booked future dates fill a window", 2, []Date{d.AddDays(-80), d.AddDays(9)}, false},
		{"future bookings fill the window starting on d", 2, []Date{d.AddDays(30), d.AddDays(60)}, false},
		{"future bookings beyond the window", 2, []Date{d.AddDays(30), d.AddDays(95)}, true},
		{"order does not matter", 3, []Date{d.AddDays(40), d.AddDays(-200), d.AddDays(-5), d.AddDays(100)}, true},
	}
	for _, c := range cases {
		if got := CanBook(c.max, c.dates, d); got != c.want {
			t.Errorf("%s: CanBook(%d, %v, %s) = %v, want %v", c.name, c.max, c.dates, d, got, c.want)
		}
	}
}

func TestRequestStateLabels(t *testing.T) {
	for _, s := range RequestStates {
		if !s.Valid() || s.Label() == string(s) {
			t.Errorf("state %q: valid %v, label %q", s, s.Valid(), s.Label())
		}
	}
	if RequestState("nope").Valid() {
		t.Error("an unknown state is valid")
	}
	for _, s := range []AskState{AskAwaitingApproval, AskPending, AskAccepted, AskScheduled} {
		if !s.Open() {
			t.Errorf("ask state %s is not open", s)
		}
	}
	for _, s := range []AskState{AskCompleted, AskDeclined, AskRejected, AskWithdrawn, AskExpired} {
		if s.Open() {
			t.Errorf("ask state %s is open", s)
		}
	}
}

func TestLoggablePathHidesLinkTokens(t *testing.T) {
	for path, want := range map[string]string{
		"/a/aAbC.sig": "/a/…", "/f/sXyZ.sig": "/f/…", "/requests/12": "/requests/12", "/admin/outbox": "/admin/outbox",
	} {
		if got := LoggablePath(path); got != want {
			t.Errorf("LoggablePath(%q) = %q, want %q", path, got, want)
		}
	}
}
