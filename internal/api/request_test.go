package api_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/fulfillment"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// requestJSON is the part of a RequestDetail the tests look at.
type requestJSON struct {
	ID        int64 `json:"id"`
	Requester *struct {
		Email string `json:"email"`
	} `json:"requester"`
	Opportunity struct {
		ID       int64  `json:"id"`
		Name     string `json:"name"`
		Prospect string `json:"prospect"`
	} `json:"opportunity"`
	ActivityType     string             `json:"activity_type"`
	ReferencesNeeded int                `json:"references_needed"`
	Criteria         map[string]*string `json:"criteria"`
	DueDate          *string            `json:"due_date"`
	Context          string             `json:"context"`
	Workflow         string             `json:"workflow"`
	State            string             `json:"state"`
	StateReason      string             `json:"state_reason"`
	Stage            string             `json:"stage"`
	StageLabel       string             `json:"stage_label"`
	NextMove         *string            `json:"next_move"`
	NextStep         string             `json:"next_step"`
	NextStates       []string           `json:"next_states"`
	Assignee         *struct {
		Email string `json:"email"`
	} `json:"assignee"`
	Version int       `json:"version"`
	Asks    []askJSON `json:"asks"`
	Events  []struct {
		Kind  string  `json:"kind"`
		From  *string `json:"from"`
		To    *string `json:"to"`
		Body  string  `json:"body"`
		Actor string  `json:"actor"`
	} `json:"events"`
}

// askJSON is the part of an Ask the tests look at.
type askJSON struct {
	ID        int64 `json:"id"`
	RequestID int64 `json:"request_id"`
	Reference struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	} `json:"reference"`
	Account struct {
		Name string `json:"name"`
	} `json:"account"`
	State       string        `json:"state"`
	Score       int           `json:"score"`
	Reasons     []reasonJSON  `json:"reasons"`
	SentAt      *time.Time    `json:"sent_at"`
	ScheduledAt *time.Time    `json:"scheduled_at"`
	Duration    int           `json:"duration_minutes"`
	MeetingURL  string        `json:"meeting_url"`
	Outcome     string        `json:"outcome"`
	ActivityID  *int64        `json:"activity_id"`
	Feedback    []feedbackRow `json:"feedback"`
	Version     int           `json:"version"`
}

type reasonJSON struct {
	Label  string `json:"label"`
	Points int    `json:"points"`
}

type feedbackRow struct {
	Source     string `json:"source"`
	Rating     int    `json:"rating"`
	Influenced *bool  `json:"influenced"`
	Impact     string `json:"impact"`
}

// matchesJSON is a MatchList.
type matchesJSON struct {
	Items []struct {
		ReferenceID int64        `json:"reference_id"`
		Reference   string       `json:"reference"`
		Account     string       `json:"account"`
		Score       int          `json:"score"`
		Reasons     []reasonJSON `json:"reasons"`
		Criteria    []struct {
			Name  string `json:"name"`
			Value string `json:"value"`
			Met   bool   `json:"met"`
		} `json:"criteria"`
		Fatigue []string `json:"fatigue"`
	} `json:"items"`
	NextCursor string `json:"next_cursor"`
	Total      int    `json:"total"`
	Eligible   int    `json:"eligible"`
	MeetAll    int    `json:"meet_all"`
	Summary    string `json:"summary"`
	Ineligible int    `json:"ineligible"`
}

// criteria is each item's criteria, "✓ industry: Healthcare · ✗ region: EMEA".
func (m matchesJSON) criteria() []string {
	out := []string{}
	for _, it := range m.Items {
		var cs []string
		for _, c := range it.Criteria {
			cs = append(cs, map[bool]string{true: "✓ ", false: "✗ "}[c.Met]+c.Name+": "+c.Value)
		}
		out = append(out, strings.Join(cs, " · "))
	}
	return out
}

func (m matchesJSON) names() []string {
	out := []string{}
	for _, it := range m.Items {
		out = append(out, it.Reference)
	}
	return out
}

func request(check func(t *testing.T, q requestJSON)) func(t *testing.T, r response) {
	return func(t *testing.T, r response) {
		t.Helper()
		var q requestJSON
		r.decode(t, &q)
		check(t, q)
	}
}

func ask(check func(t *testing.T, a askJSON)) func(t *testing.T, r response) {
	return func(t *testing.T, r response) {
		t.Helper()
		var a askJSON
		r.decode(t, &a)
		check(t, a)
	}
}

// seedFulfillment is seedReferences plus Sam Ortiz, an active reference at
// Mercy Clinics (Healthcare, North America) who agreed to calls and case
// studies and was last verified two years ago, and an opportunity of the seller's.
func seedFulfillment(t *testing.T, f *fixture) (*seed, int64) {
	t.Helper()
	s := seedReferences(t, f)
	db := f.srv.DB
	val := func(kind vouch.TaxonomyKind, name string) int64 { return findValue(t, db, kind, name).ID }
	sam := &vouch.Reference{AccountID: s.accounts["Mercy Clinics"].ID, Name: "Sam Ortiz", Title: "CIO", Seniority: "executive",
		Status: vouch.StatusActive, Email: "sam@mercy.example", ProductIDs: []int64{val(vouch.TaxProduct, "Security")},
		Activities:   []vouch.AgreedActivity{{TypeID: val(vouch.TaxActivityType, "Call")}, {TypeID: val(vouch.TaxActivityType, "Case study")}},
		LastVerified: f.srv.DB.Today().AddDays(-730)}
	if err := db.CreateReference(seedCtx, sam); err != nil {
		t.Fatal(err)
	}
	s.refs["Sam"] = sam
	opp := &vouch.Opportunity{Name: "Northwind Clinics rollout", Prospect: "Northwind Clinics", OwnerID: f.users["seller"].ID}
	if err := db.CreateOpportunity(seedCtx, opp); err != nil {
		t.Fatal(err)
	}
	return s, opp.ID
}

var answerLink = regexp.MustCompile(`/a/([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+)`)

// answer answers the newest ask mailed to email as its advocate does: with
// the signed link in the mail waiting in the outbox.
func answer(t *testing.T, f *fixture, email, action string) {
	t.Helper()
	ctx := context.Background()
	mails, _, err := f.srv.DB.ListOutbox(ctx, vouch.OutboxFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	token := ""
	for _, m := range mails { // newest first
		if m.To == email {
			if mm := answerLink.FindStringSubmatch(m.Body); mm != nil {
				token = mm[1]
				break
			}
		}
	}
	if token == "" {
		t.Fatalf("no mail to %s with an answer link in the outbox", email)
	}
	_, _, ix := testutil.ReadModels(t, f.srv.DB)
	svc, err := fulfillment.New(ctx, f.srv.DB, ix, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Answer(ctx, token, vouch.Answer{Action: action}); err != nil {
		t.Fatalf("%s answering %s: %v", email, action, err)
	}
}

func TestRequestCreate(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		addSeller(t, f)
		_, oppID := seedFulfillment(t, f)
		due := f.srv.DB.Today().AddDays(30).String()
		var inline requestJSON
		f.run(t, []scenario{
			{name: "by names, with a new opportunity", method: "POST", path: "/api/v1/requests", as: "seller",
				body: `{"opportunity": {"name": "Mercy Health renewal", "prospect": "Mercy Health", "industry": "healthcare", "amount": 250000},
					"activity_type": "call", "references_needed": 2, "due_date": "` + due + `",
					"criteria": {"industry": "HEALTHCARE", "region": "emea", "product": "analytics", "country": "germany",
						"company_size": "1,001-5,000", "use_case": "cloud migration", "competitor": "globex",
						"language": "German", "seniority": "Executive"},
					"context": " Their CFO wants to hear about the rollout. "}`,
				status: 201, check: request(func(t *testing.T, q requestJSON) {
					inline = q
					got := fmt.Sprintf("%s|%s|%s|%s|%d|%s|%s|%s|%s|%s %q %s|%v|%d", q.Requester.Email, q.Opportunity.Name, q.Opportunity.Prospect,
						q.ActivityType, q.ReferencesNeeded, *q.DueDate, q.Context, q.Workflow, q.State, q.Stage, q.StageLabel, str(q.NextMove),
						q.NextStates, len(q.Events))
					// Nobody is asked yet: it cannot be moved to awaiting advocate by hand.
					want := "seller@example.com|Mercy Health renewal|Mercy Health|Call|2|" + due +
						"|Their CFO wants to hear about the rollout.|program_managed|submitted|to_pick \"New — to pick references\" team|" +
						"[in_progress declined cancelled unfulfilled]|1"
					if got != want {
						t.Errorf("created\n got %s\nwant %s", got, want)
					}
					var crit []string
					for _, k := range []string{"industry", "region", "product", "country", "company_size", "use_case", "competitor", "language", "seniority"} {
						crit = append(crit, k+"="+str(q.Criteria[k]))
					}
					if c := strings.Join(crit, " "); c != "industry=Healthcare region=EMEA product=Analytics country=Germany "+
						"company_size=1,001–5,000 use_case=Cloud migration competitor=Globex language=German seniority=executive" {
						t.Errorf("criteria %s", c)
					}
					if q.Assignee != nil || len(q.Asks) != 0 || q.Events[0].Kind != "state" || str(q.Events[0].To) != "submitted" {
						t.Errorf("a new request: assignee %v, asks %v, events %+v", q.Assignee, q.Asks, q.Events)
					}
				})},
			{name: "the new opportunity is the seller's", method: "GET", path: "/api/v1/opportunities?owner=me&q=renewal", as: "seller",
				status: 200, want: []string{`"total":1`, `"industry":"Healthcare"`, `"amount":250000`}},
			{name: "by opportunity id, criteria left out", method: "POST", path: "/api/v1/requests", as: "seller",
				body:   fmt.Sprintf(`{"opportunity_id": %d, "activity_type": "Case study", "due_date": %q}`, oppID, due),
				status: 201, want: []string{`"activity_type":"Case study"`, `"references_needed":1`, `"industry":null`, `"language":null`}},
			{name: "misspelt names, each with the value meant", method: "POST", path: "/api/v1/requests", as: "seller",
				body: fmt.Sprintf(`{"opportunity_id": %d, "activity_type": "cal", "due_date": %q,
					"criteria": {"industry": "Helthcare", "region": "Mars", "product": "Analitics"}}`, oppID, due),
				status: 400, fields: []string{"activity_type", "criteria.industry", "criteria.region", "criteria.product"},
				want: []string{`did you mean \"Call\"?`, `did you mean \"Healthcare\"?`, `did you mean \"Analytics\"?`,
					`has no value \"Mars\"; it is one of North America, Latin America, EMEA, APAC`}},
			{name: "a bad inline opportunity is named with the request's problems", method: "POST", path: "/api/v1/requests", as: "seller",
				body: `{"opportunity": {"name": "", "industry": "Retial"}, "activity_type": "Call", "due_date": "2020-01-01",
					"criteria": {"seniority": "intern"}}`,
				status: 400, fields: []string{"opportunity.name", "opportunity.industry", "due_date", "criteria.seniority"},
				want: []string{`did you mean \"Retail\"?`, "must not be in the past"}},
			{name: "an inline opportunity whose status contradicts its stage", method: "POST", path: "/api/v1/requests", as: "seller",
				body:   fmt.Sprintf(`{"opportunity": {"name": "Umbrella", "stage": "Closed Won", "status": "lost"}, "activity_type": "Call", "due_date": %q}`, due),
				status: 400, fields: []string{"opportunity.status"}, want: []string{"one of the program's won stages"}},
			{name: "no opportunity", method: "POST", path: "/api/v1/requests", as: "seller",
				body: fmt.Sprintf(`{"activity_type": "Call", "due_date": %q}`, due), status: 400, fields: []string{"opportunity_id"}},
			{name: "both opportunities", method: "POST", path: "/api/v1/requests", as: "seller",
				body:   fmt.Sprintf(`{"opportunity_id": %d, "opportunity": {"name": "X"}, "activity_type": "Call", "due_date": %q}`, oppID, due),
				status: 400, fields: []string{"opportunity"}},
			{name: "unknown opportunity", method: "POST", path: "/api/v1/requests", as: "seller",
				body: fmt.Sprintf(`{"opportunity_id": 999999, "activity_type": "Call", "due_date": %q}`, due), status: 400,
				fields: []string{"opportunity_id"}},
			{name: "no activity type, no due date", method: "POST", path: "/api/v1/requests", as: "seller",
				body: fmt.Sprintf(`{"opportunity_id": %d}`, oppID), offSpec: true, status: 400, fields: []string{"activity_type", "due_date"}},
			{name: "too many references", method: "POST", path: "/api/v1/requests", as: "seller",
				body:    fmt.Sprintf(`{"opportunity_id": %d, "activity_type": "Call", "due_date": %q, "references_needed": 11}`, oppID, due),
				offSpec: true, status: 400, fields: []string{"references_needed"}},
			{name: "unknown criterion", method: "POST", path: "/api/v1/requests", as: "seller",
				body:    fmt.Sprintf(`{"opportunity_id": %d, "activity_type": "Call", "due_date": %q, "criteria": {"segment": "SMB"}}`, oppID, due),
				offSpec: true, status: 400, fields: []string{"segment"}},
			{name: "viewers do not request", method: "POST", path: "/api/v1/requests", as: "viewer",
				body: fmt.Sprintf(`{"opportunity_id": %d, "activity_type": "Call", "due_date": %q}`, oppID, due), status: 403},
			{name: "the program team is told", method: "GET", path: "/api/v1/notifications", as: "team_member", status: 200,
				want: []string{`"unread":2`, "Seller requested a call (due " + due + ")"}},
		})
		if inline.ID == 0 {
			t.Fatal("no request created")
		}
		path := fmt.Sprintf("/api/v1/requests/%d", inline.ID)
		f.run(t, []scenario{
			{name: "its requester sees it", method: "GET", path: path, as: "seller", status: 200},
			{name: "the program team sees it", method: "GET", path: path, as: "team_member", status: 200},
			{name: "another seller is told it does not exist", method: "GET", path: path, as: "other_seller", status: 404,
				want: []string{fmt.Sprintf("Request %d not found.", inline.ID)}},
			{name: "nor its matches", method: "GET", path: path + "/matches", as: "other_seller", status: 404},
			{name: "nor may write on it", method: "POST", path: path + "/messages", as: "other_seller", body: `{"body": "Mine now"}`, status: 404},
			{name: "a request that does not exist reads the same", method: "GET", path: "/api/v1/requests/999999", as: "other_seller",
				status: 404, want: []string{"Request 999999 not found."}},
			{name: "another seller lists none", method: "GET", path: "/api/v1/requests", as: "other_seller", status: 200,
				want: []string{`"total":0`}},
			{name: "even asking for them all", method: "GET", path: "/api/v1/requests?state=submitted", as: "other_seller", status: 200,
				want: []string{`"total":0`}},
			{name: "the seller lists theirs", method: "GET", path: "/api/v1/requests", as: "seller", status: 200,
				want: []string{`"total":2`}},
			{name: "viewers list nothing", method: "GET", path: "/api/v1/requests", as: "viewer", status: 403},
		})
	})
}

func TestRequestMatches(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		_, oppID := seedFulfillment(t, f)
		due := f.srv.DB.Today().AddDays(30).String()
		create := func(criteria string) string {
			r := f.call(t, "seller", "POST", "/api/v1/requests",
				fmt.Sprintf(`{"opportunity_id": %d, "activity_type": "Call", "due_date": %q, "criteria": %s}`, oppID, due, criteria), 201)
			var q requestJSON
			r.decode(t, &q)
			return fmt.Sprintf("/api/v1/requests/%d/matches", q.ID)
		}
		exact := create(`{"industry": "Healthcare", "region": "EMEA", "product": "Analytics"}`)
		industry := create(`{"industry": "healthcare"}`)
		apac := create(`{"industry": "Healthcare", "region": "APAC"}`)

		// sound checks what every answer must be: best first, and each
		// score the sum of its reasons.
		sound := func(t *testing.T, m matchesJSON) {
			t.Helper()
			for i, it := range m.Items {
				sum := 0
				for _, r := range it.Reasons {
					sum += r.Points
				}
				if sum != it.Score {
					t.Errorf("%s: reasons %v add up to %d, not the score %d", it.Reference, it.Reasons, sum, it.Score)
				}
				if i > 0 && m.Items[i-1].Score < it.Score {
					t.Errorf("%s (%d) is listed after %s (%d)", it.Reference, it.Score, m.Items[i-1].Reference, m.Items[i-1].Score)
				}
			}
		}
		matches := func(check func(t *testing.T, m matchesJSON)) func(t *testing.T, r response) {
			return func(t *testing.T, r response) {
				t.Helper()
				var m matchesJSON
				r.decode(t, &m)
				sound(t, m)
				check(t, m)
			}
		}
		f.run(t, []scenario{
			{name: "every criterion met", method: "GET", path: exact, as: "seller", status: 200,
				check: matches(func(t *testing.T, m matchesJSON) {
					// Jonas is at capacity until after the due date; Priya is
					// nominated, Diego do-not-contact, Aisha resting, Tom retired.
					// Criteria are points: Sam, in North America without
					// Analytics, is listed after Maya.
					if !slices.Equal(m.names(), []string{"Maya Okafor", "Sam Ortiz"}) || m.Total != 2 || m.Eligible != 2 || m.MeetAll != 1 ||
						m.Ineligible != 5 || m.NextCursor != "" {
						t.Fatalf("matched %v, total %d, eligible %d, meet all %d, ineligible %d", m.names(), m.Total, m.Eligible, m.MeetAll, m.Ineligible)
					}
					want := []string{"✓ industry: Healthcare · ✓ region: EMEA · ✓ product: Analytics",
						"✓ industry: Healthcare · ✗ region: EMEA · ✗ product: Analytics"}
					if !slices.Equal(m.criteria(), want) || m.Summary != "1 meets every criterion; the others follow, best first." {
						t.Errorf("criteria %q, summary %q", m.criteria(), m.Summary)
					}
					labels := []string{}
					for _, r := range m.Items[0].Reasons {
						labels = append(labels, fmt.Sprintf("%s %+d", r.Label, r.Points))
					}
					for _, want := range []string{"industry: Healthcare +40", "region: EMEA +25", "product: Analytics +20"} {
						if !slices.Contains(labels, want) {
							t.Errorf("reasons %v lack %q", labels, want)
						}
					}
					if m.Items[0].Account != "Acme Health" {
						t.Errorf("account %q", m.Items[0].Account)
					}
				})},
			{name: "one criterion, two candidates, the fresher first", method: "GET", path: industry, as: "team_member", status: 200,
				check: matches(func(t *testing.T, m matchesJSON) {
					if !slices.Equal(m.names(), []string{"Maya Okafor", "Sam Ortiz"}) {
						t.Errorf("matched %v", m.names())
					}
				})},
			{name: "a region nobody is in: everyone is still listed, and the summary says so", method: "GET", path: apac, as: "seller", status: 200,
				check: matches(func(t *testing.T, m matchesJSON) {
					if m.Summary != "No reference meets every criterion; best first." || len(m.Items) != 2 || m.MeetAll != 0 {
						t.Errorf("matched %v, summary %q", m.names(), m.Summary)
					}
				})},
			{name: "a page at a time", method: "GET", path: industry + "?limit=1", as: "seller", status: 200,
				check: matches(func(t *testing.T, m matchesJSON) {
					if !slices.Equal(m.names(), []string{"Maya Okafor"}) || m.Total != 2 || m.NextCursor == "" {
						t.Fatalf("limit 1 gave %v, total %d, next %q", m.names(), m.Total, m.NextCursor)
					}
					r := f.call(t, "seller", "GET", industry+"?limit=1&cursor="+m.NextCursor, "", 200)
					var next matchesJSON
					r.decode(t, &next)
					if !slices.Equal(next.names(), []string{"Sam Ortiz"}) || next.NextCursor != "" {
						t.Errorf("the second page: %v, next %q", next.names(), next.NextCursor)
					}
				})},
			{name: "the references failing a rule, for the team", method: "GET", path: strings.TrimSuffix(exact, "/matches") + "/ineligible",
				as: "team_member", status: 200, check: func(t *testing.T, r response) {
					var l struct {
						Items []struct {
							Reference string `json:"reference"`
							Failures  []struct {
								Rule string `json:"rule"`
								Text string `json:"text"`
							} `json:"failures"`
						} `json:"items"`
						Total int `json:"total"`
					}
					r.decode(t, &l)
					got := map[string]string{}
					for _, it := range l.Items {
						var texts []string
						for _, f := range it.Failures {
							texts = append(texts, f.Text)
						}
						got[it.Reference] = strings.Join(texts, "; ")
					}
					if l.Total != 5 || !strings.HasPrefix(got["Diego Alvarez"], "do not contact") || !strings.HasPrefix(got["Tom Becker"], "retired") || !strings.Contains(got["Priya Raman"], "not agreed to a call") ||
						// Jonas did a call today: the ask ledger's cool-down holds him back too.
						!strings.HasPrefix(got["Jonas Lindqvist"], "held back: Jonas Lindqvist: cool-down until ") ||
						!strings.Contains(got["Jonas Lindqvist"], "; at capacity until ") {
						t.Errorf("ineligible %d: %v", l.Total, got)
					}
				}},
			{name: "but not for a seller", method: "GET", path: strings.TrimSuffix(exact, "/matches") + "/ineligible", as: "seller", status: 403},
			{name: "limit past 100", method: "GET", path: industry + "?limit=101", as: "seller", offSpec: true, status: 400,
				fields: []string{"limit"}},
		})
	})
}

func TestRequestFulfillment(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		addSeller(t, f)
		s, oppID := seedFulfillment(t, f)
		due := f.srv.DB.Today().AddDays(30).String()
		r := f.call(t, "seller", "POST", "/api/v1/requests",
			fmt.Sprintf(`{"opportunity_id": %d, "activity_type": "Call", "due_date": %q, "criteria": {"industry": "Healthcare"}}`, oppID, due), 201)
		var req requestJSON
		r.decode(t, &req)
		path := fmt.Sprintf("/api/v1/requests/%d", req.ID)
		maya, sam := s.refs["Maya"].ID, s.refs["Sam"].ID
		var asked askJSON
		f.run(t, []scenario{
			{name: "the seller does not pick in a program-managed request", method: "POST", path: path + "/asks", as: "seller",
				body: fmt.Sprintf(`{"reference_id": %d}`, maya), status: 403, want: []string{"Only the program team picks"}},
			{name: "a reference that is no match is refused, saying why", method: "POST", path: path + "/asks", as: "team_member",
				body: fmt.Sprintf(`{"reference_id": %d}`, s.refs["Diego"].ID), status: 409, want: []string{"Diego Alvarez cannot be asked for this request: do not contact"}},
			{name: "no reference", method: "POST", path: path + "/asks", as: "team_member", body: `{}`, offSpec: true, status: 400,
				fields: []string{"reference_id"}},
			{name: "the team asks Maya", method: "POST", path: path + "/asks", as: "team_member",
				body: fmt.Sprintf(`{"reference_id": %d}`, maya), status: 201, check: ask(func(t *testing.T, a askJSON) {
					asked = a
					sum := 0
					for _, r := range a.Reasons {
						sum += r.Points
					}
					if a.State != "pending" || a.Reference.Name != "Maya Okafor" || a.Account.Name != "Acme Health" ||
						a.SentAt == nil || a.Score == 0 || sum != a.Score || a.ActivityID != nil {
						t.Errorf("ask %+v", a)
					}
				})},
			{name: "the request awaits the advocate", method: "GET", path: path, as: "seller", status: 200,
				check: request(func(t *testing.T, q requestJSON) {
					if q.State != "awaiting_advocate" || len(q.Asks) != 1 || q.Asks[0].ID != asked.ID {
						t.Errorf("state %s, asks %+v", q.State, q.Asks)
					}
				})},
			{name: "Maya is not asked twice for one deal", method: "POST", path: path + "/asks", as: "team_member",
				body: fmt.Sprintf(`{"reference_id": %d}`, maya), status: 409, want: []string{"already asked for this opportunity"}},
			{name: "and is no match any more", method: "GET", path: path + "/matches", as: "team_member", status: 200,
				check: func(t *testing.T, r response) {
					var m matchesJSON
					r.decode(t, &m)
					if !slices.Equal(m.names(), []string{"Sam Ortiz"}) {
						t.Errorf("matched %v", m.names())
					}
				}},
		})
		askPath := fmt.Sprintf("/api/v1/asks/%d", asked.ID)
		f.run(t, []scenario{
			{name: "an ask not yet accepted is not scheduled", method: "POST", path: askPath + "/schedule", as: "team_member",
				body: `{"scheduled_at": "2030-01-01T10:00:00Z"}`, status: 409, want: []string{"Only an accepted ask can be scheduled"}},
			{name: "another seller cannot see the ask", method: "POST", path: askPath + "/withdraw", as: "other_seller",
				body: `{"reason": "x"}`, status: 404, want: []string{fmt.Sprintf("Ask %d not found.", asked.ID)}},
		})

		answer(t, f, "maya@acme.example", vouch.AnswerAccept)
		at := time.Now().UTC().Add(48 * time.Hour).Truncate(time.Second)
		f.run(t, []scenario{
			{name: "accepted: the activity is booked", method: "GET", path: path, as: "team_member", status: 200,
				check: request(func(t *testing.T, q requestJSON) {
					if a := q.Asks[0]; a.State != "accepted" || a.ActivityID == nil {
						t.Errorf("ask %+v", a)
					}
					// The state still says awaiting advocate; the stage says the move is the team's.
					if q.State != "awaiting_advocate" || q.Stage != "to_schedule" || q.StageLabel != "Accepted — to schedule" ||
						str(q.NextMove) != "team" || q.NextStep == "" || slices.Contains(q.NextStates, "scheduled") {
						t.Errorf("state %s, stage %s %q, %s's move (%q), next states %v", q.State, q.Stage, q.StageLabel, str(q.NextMove), q.NextStep, q.NextStates)
					}
				})},
			{name: "accepted is not scheduled by hand", method: "POST", path: path + "/state", as: "team_member",
				body: `{"state": "scheduled", "version": 100}`, status: 409, want: []string{"Nothing is scheduled yet — schedule an accepted ask first."}},
			{name: "a time that is not RFC 3339", method: "POST", path: askPath + "/schedule", as: "team_member",
				body: `{"scheduled_at": "next Tuesday"}`, offSpec: true, status: 400, fields: []string{"scheduled_at"}},
			{name: "a meeting address that is not one", method: "POST", path: askPath + "/schedule", as: "team_member",
				body: `{"scheduled_at": "` + at.Format(time.RFC3339) + `", "meeting_url": "zoom"}`, status: 400, fields: []string{"meeting_url"}},
			{name: "the seller does not schedule a program-managed request", method: "POST", path: askPath + "/schedule", as: "seller",
				body: `{"scheduled_at": "` + at.Format(time.RFC3339) + `"}`, status: 403},
			{name: "scheduled", method: "POST", path: askPath + "/schedule", as: "team_member",
				body:   `{"scheduled_at": "` + at.In(time.FixedZone("CET", 3600)).Format(time.RFC3339) + `", "duration_minutes": 45, "meeting_url": "https://meet.example.com/abc"}`,
				status: 200, check: ask(func(t *testing.T, a askJSON) {
					if a.State != "scheduled" || a.ScheduledAt == nil || !a.ScheduledAt.Equal(at) || a.Duration != 45 ||
						a.MeetingURL != "https://meet.example.com/abc" {
						t.Errorf("ask %+v, want scheduled at %s", a, at)
					}
				})},
			{name: "so is the request", method: "GET", path: path, as: "seller", status: 200, want: []string{`"state":"scheduled"`}},
			{name: "both are mailed an invitation", method: "GET", path: path, as: "seller", status: 200,
				check: func(t *testing.T, r response) {
					mails, _, err := f.srv.DB.ListOutbox(context.Background(), vouch.OutboxFilter{Limit: 500})
					if err != nil {
						t.Fatal(err)
					}
					var to []string
					for _, m := range mails {
						if strings.HasPrefix(m.Subject, "Scheduled: ") && m.ICS != "" {
							to = append(to, m.To)
						}
					}
					slices.Sort(to)
					if !slices.Equal(to, []string{"maya@acme.example", "seller@example.com"}) {
						t.Errorf("invitations to %v", to)
					}
				}},
			{name: "an unknown outcome", method: "POST", path: askPath + "/complete", as: "team_member",
				body: `{"outcome": "great"}`, offSpec: true, status: 400, fields: []string{"outcome"}},
			{name: "not in the future", method: "POST", path: askPath + "/complete", as: "team_member",
				body: `{"outcome": "completed", "occurred_on": "2099-01-01"}`, status: 400, fields: []string{"occurred_on"}},
			{name: "feedback waits for completion", method: "POST", path: askPath + "/feedback", as: "seller",
				body: `{"rating": 5, "influenced": true}`, status: 409},
			{name: "completed", method: "POST", path: askPath + "/complete", as: "team_member",
				body: `{"outcome": "completed"}`, status: 200, check: ask(func(t *testing.T, a askJSON) {
					if a.State != "completed" || a.Outcome != "completed" || a.ActivityID == nil {
						t.Errorf("ask %+v", a)
					}
				})},
			{name: "the request is completed", method: "GET", path: path, as: "seller", status: 200,
				check: request(func(t *testing.T, q requestJSON) {
					var kinds []string
					for _, e := range q.Events {
						kinds = append(kinds, e.Kind)
					}
					if q.State != "completed" || len(q.NextStates) != 0 || !slices.Contains(kinds, "schedule") || !slices.Contains(kinds, "complete") {
						t.Errorf("state %s, next %v, timeline %v", q.State, q.NextStates, kinds)
					}
				})},
			{name: "the activity is on Maya's profile", method: "GET", path: s.path("Maya", "/activities"), as: "seller", status: 200,
				want: []string{`"state":"done"`, fmt.Sprintf(`"request_id":%d`, req.ID), fmt.Sprintf(`"opportunity_id":%d`, oppID),
					`"points":10`, `"thank_you":""`, `"thank_you_sent_on":null`}},
			{name: "only the requester rates it", method: "POST", path: askPath + "/feedback", as: "team_member",
				body: `{"rating": 5, "influenced": true}`, status: 403},
			{name: "a rating out of range", method: "POST", path: askPath + "/feedback", as: "seller",
				body: `{"rating": 9, "influenced": true}`, offSpec: true, status: 400, fields: []string{"rating"}},
			{name: "influenced is required", method: "POST", path: askPath + "/feedback", as: "seller",
				body: `{"rating": 4}`, offSpec: true, status: 400, fields: []string{"influenced"}},
			{name: "the seller rates it", method: "POST", path: askPath + "/feedback", as: "seller",
				body:   `{"rating": 5, "influenced": true, "impact": "Accelerated", "comment": "Closed a week later."}`,
				status: 201, want: []string{`"source":"seller"`, `"rating":5`, `"influenced":true`, `"impact":"accelerated"`}},
			{name: "once", method: "POST", path: askPath + "/feedback", as: "seller",
				body: `{"rating": 1, "influenced": false}`, status: 409, want: []string{"already given"}},
			{name: "the feedback is on the ask", method: "GET", path: path, as: "team_member", status: 200,
				check: request(func(t *testing.T, q requestJSON) {
					fb := q.Asks[0].Feedback
					if len(fb) != 1 || fb[0].Source != "seller" || fb[0].Rating != 5 || fb[0].Influenced == nil || !*fb[0].Influenced {
						t.Errorf("feedback %+v", fb)
					}
				})},
			{name: "a closed request takes no more asks", method: "POST", path: path + "/asks", as: "team_member",
				body: fmt.Sprintf(`{"reference_id": %d}`, sam), status: 409},
		})
	})
}

func TestAskApproval(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		addSeller(t, f)
		s, oppID := seedFulfillment(t, f)
		acme := fmt.Sprintf("/api/v1/accounts/%d", s.accounts["Acme Health"].ID)
		f.call(t, "program_manager", "PATCH", acme, `{"version": 1, "owner_email": "other_seller@example.com"}`, 200)
		f.run(t, []scenario{
			{name: "sellers do not change the rules", method: "PATCH", path: "/api/v1/activity-types/call", as: "seller",
				body: `{"approval": true}`, status: 403},
			{name: "a misspelt type", method: "PATCH", path: "/api/v1/activity-types/Cal", as: "program_manager",
				body: `{"approval": true}`, status: 404, want: []string{`did you mean \"Call\"?`}},
			{name: "an unknown workflow", method: "PATCH", path: "/api/v1/activity-types/call", as: "program_manager",
				body: `{"workflow": "magic"}`, status: 400, fields: []string{"workflow"}},
			{name: "calls need the account owner's approval", method: "PATCH", path: "/api/v1/activity-types/call", as: "program_manager",
				body: `{"approval": true, "points": 25}`, status: 200,
				want: []string{`"name":"Call"`, `"approval":true`, `"points":25`, `"workflow":"program_managed"`}},
			{name: "case studies are self-serve", method: "PATCH", path: "/api/v1/activity-types/CASE%20STUDY", as: "team_member",
				body: `{"workflow": "self_serve"}`, status: 200, want: []string{`"name":"Case study"`, `"workflow":"self_serve"`, `"points":10`}},
			{name: "everyone reads the rules", method: "GET", path: "/api/v1/activity-types", as: "viewer", status: 200,
				check: func(t *testing.T, r response) {
					var p page[struct {
						Name     string `json:"name"`
						Workflow string `json:"workflow"`
						Approval bool   `json:"approval"`
						Points   int    `json:"points"`
					}]
					r.decode(t, &p)
					var got []string
					for _, it := range p.Items {
						got = append(got, fmt.Sprintf("%s:%s:%v:%d", it.Name, it.Workflow, it.Approval, it.Points))
					}
					if p.Total != 11 || got[0] != "Call:program_managed:true:25" || got[2] != "Case study:self_serve:false:10" ||
						got[1] != "Site visit:program_managed:false:10" {
						t.Errorf("activity types %v", got)
					}
				}},
		})

		due := f.srv.DB.Today().AddDays(30).String()
		r := f.call(t, "seller", "POST", "/api/v1/requests",
			fmt.Sprintf(`{"opportunity_id": %d, "activity_type": "Call", "due_date": %q, "criteria": {"region": "EMEA"}}`, oppID, due), 201)
		var req requestJSON
		r.decode(t, &req)
		path := fmt.Sprintf("/api/v1/requests/%d", req.ID)
		r = f.call(t, "team_member", "POST", path+"/asks", fmt.Sprintf(`{"reference_id": %d}`, s.refs["Maya"].ID), 201)
		var a askJSON
		r.decode(t, &a)
		askPath := fmt.Sprintf("/api/v1/asks/%d", a.ID)
		f.run(t, []scenario{
			{name: "the ask waits for the owner", method: "GET", path: path, as: "seller", status: 200,
				check: request(func(t *testing.T, q requestJSON) {
					if q.State != "in_progress" || q.Asks[0].State != "awaiting_approval" || q.Asks[0].SentAt != nil {
						t.Errorf("state %s, ask %+v", q.State, q.Asks[0])
					}
				})},
			{name: "the owner is asked", method: "GET", path: "/api/v1/notifications", as: "other_seller", status: 200,
				want: []string{`"unread":1`, "Approve asking Maya Okafor (Acme Health) for a call?"}},
			{name: "approve needs a decision", method: "POST", path: askPath + "/approve", as: "other_seller",
				body: `{"note": "hmm"}`, offSpec: true, status: 400, fields: []string{"approve"}},
			{name: "the requester does not approve", method: "POST", path: askPath + "/approve", as: "seller",
				body: `{"approve": true}`, status: 403},
			{name: "the owner approves, though the request is not theirs", method: "POST", path: askPath + "/approve", as: "other_seller",
				body: `{"approve": true, "note": "Go ahead"}`, status: 200, check: ask(func(t *testing.T, a askJSON) {
					if a.State != "pending" || a.SentAt == nil {
						t.Errorf("ask %+v", a)
					}
				})},
			// The owner of an asked account sees the request they were asked
			// about, as on the web page their notification links to.
			{name: "and can read the request", method: "GET", path: path, as: "other_seller", status: 200,
				want: []string{`"state":"awaiting_advocate"`}},
			// The ranked candidate list is the requester's and the team's:
			// the owner sees the ask about their customer, not the others.
			{name: "but not its ranked matches", method: "GET", path: path + "/matches", as: "other_seller", status: 403,
				want: []string{"are for its requester and the program team"}},
			{name: "which the requester reads", method: "GET", path: path + "/matches", as: "seller", status: 200,
				want: []string{`"items":[`}},
			{name: "approved once", method: "POST", path: askPath + "/approve", as: "program_manager",
				body: `{"approve": false}`, status: 409, want: []string{"not awaiting approval"}},
			{name: "the advocate is asked", method: "GET", path: path, as: "seller", status: 200,
				want: []string{`"state":"awaiting_advocate"`, "Account owner approved; advocate asked: Go ahead"}},
			{name: "withdrawn by the team", method: "POST", path: askPath + "/withdraw", as: "team_member",
				body: `{"reason": "The prospect changed plans"}`, status: 200, want: []string{`"state":"withdrawn"`, `"answer_note":"The prospect changed plans"`}},
			{name: "the request is back to picking", method: "GET", path: path, as: "seller", status: 200,
				want: []string{`"state":"in_progress"`}},
		})

		// Self-serve: the seller picks from the matches.
		r = f.call(t, "seller", "POST", "/api/v1/requests",
			fmt.Sprintf(`{"opportunity_id": %d, "activity_type": "case study", "due_date": %q}`, oppID, due), 201)
		var self requestJSON
		r.decode(t, &self)
		selfPath := fmt.Sprintf("/api/v1/requests/%d", self.ID)
		f.run(t, []scenario{
			{name: "a self-serve request", method: "GET", path: selfPath, as: "seller", status: 200, want: []string{`"workflow":"self_serve"`}},
			{name: "another seller cannot pick for it", method: "POST", path: selfPath + "/asks", as: "other_seller",
				body: fmt.Sprintf(`{"reference_id": %d}`, s.refs["Sam"].ID), status: 404},
			{name: "its seller picks Sam", method: "POST", path: selfPath + "/asks", as: "seller",
				body: fmt.Sprintf(`{"reference_id": %d}`, s.refs["Sam"].ID), status: 201, want: []string{`"state":"pending"`}},
		})
	})
}

func TestRequestStates(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		addSeller(t, f)
		_, oppID := seedFulfillment(t, f)
		today := f.srv.DB.Today()
		var ids []int64
		for i, days := range []int{3, 10, 40} {
			r := f.call(t, "seller", "POST", "/api/v1/requests",
				fmt.Sprintf(`{"opportunity_id": %d, "activity_type": "Call", "due_date": %q, "context": "request %d"}`,
					oppID, today.AddDays(days), i), 201)
			var q requestJSON
			r.decode(t, &q)
			ids = append(ids, q.ID)
		}
		first, second := fmt.Sprintf("/api/v1/requests/%d", ids[0]), fmt.Sprintf("/api/v1/requests/%d", ids[1])
		f.run(t, []scenario{
			{name: "a move the lifecycle does not allow", method: "POST", path: first + "/state", as: "program_manager",
				body: `{"state": "completed", "version": 1}`, status: 409, fields: []string{"state"},
				want: []string{"A request that is submitted cannot become completed; it can become in progress, declined, cancelled, unfulfilled."}},
			{name: "a new request is to pick, the team's move", method: "GET", path: first, as: "seller", status: 200,
				check: request(func(t *testing.T, q requestJSON) {
					if q.Stage != "to_pick" || q.StageLabel != "New — to pick references" || str(q.NextMove) != "team" {
						t.Errorf("stage %s %q, %s's move", q.Stage, q.StageLabel, str(q.NextMove))
					}
				})},
			{name: "declining needs a reason", method: "POST", path: first + "/state", as: "program_manager",
				body: `{"state": "declined", "version": 1}`, status: 400, fields: []string{"reason"}},
			{name: "an unknown state", method: "POST", path: first + "/state", as: "program_manager",
				body: `{"state": "finished", "version": 1}`, status: 400, fields: []string{"state"}},
			{name: "the version is required", method: "POST", path: first + "/state", as: "program_manager",
				body: `{"state": "in_progress"}`, offSpec: true, status: 400, fields: []string{"version"}},
			{name: "a seller moves nothing but a cancel", method: "POST", path: first + "/state", as: "seller",
				body: `{"state": "in_progress", "version": 1}`, status: 403},
			{name: "another seller cannot even see it", method: "POST", path: first + "/state", as: "other_seller",
				body: `{"state": "cancelled", "reason": "x", "version": 1}`, status: 404},
			{name: "never asked: not awaiting an advocate", method: "POST", path: first + "/state", as: "program_manager",
				body: `{"state": "awaiting_advocate", "version": 1}`, status: 409,
				want: []string{"No advocate has been asked yet — pick a reference first."}},
			{name: "a label works too", method: "POST", path: first + "/state", as: "program_manager",
				body: `{"state": "In progress", "version": 1}`, status: 200,
				want: []string{`"state":"in_progress"`, `"version":2`}},
			{name: "a stale version", method: "POST", path: first + "/state", as: "program_manager",
				body: `{"state": "unfulfilled", "reason": "Nobody fits", "version": 1}`, status: 409, fields: []string{"version"}},
			{name: "cancelling needs a reason too", method: "POST", path: first + "/state", as: "seller",
				body: `{"state": "cancelled", "version": 2}`, status: 400, fields: []string{"reason"}},
			{name: "the requester cancels", method: "POST", path: first + "/state", as: "seller",
				body: `{"state": "cancelled", "reason": "The deal slipped to next year", "version": 2}`, status: 200,
				check: request(func(t *testing.T, q requestJSON) {
					last := q.Events[len(q.Events)-1]
					if q.State != "cancelled" || q.StateReason != "The deal slipped to next year" ||
						str(last.From) != "in_progress" || str(last.To) != "cancelled" || last.Actor != "seller@example.com" {
						t.Errorf("state %s (%s), last event %+v", q.State, q.StateReason, last)
					}
				})},
			{name: "a closed request stays closed", method: "POST", path: first + "/state", as: "program_manager",
				body: `{"state": "in_progress", "version": 3}`, status: 409, want: []string{"it cannot change any more"}},

			{name: "sellers do not assign", method: "POST", path: second + "/assign", as: "seller",
				body: `{"assignee": "me"}`, status: 403},
			{name: "only to the program team", method: "POST", path: second + "/assign", as: "program_manager",
				body: `{"assignee": "other_seller@example.com"}`, status: 400, fields: []string{"assignee"},
				want: []string{"is not on the program team"}},
			{name: "an unknown assignee", method: "POST", path: second + "/assign", as: "program_manager",
				body: `{"assignee": "nobody@example.com"}`, status: 400, fields: []string{"assignee"}},
			{name: "the assignee is required", method: "POST", path: second + "/assign", as: "program_manager",
				body: `{}`, offSpec: true, status: 400, fields: []string{"assignee"}},
			{name: "assigned, so in progress", method: "POST", path: second + "/assign", as: "program_manager",
				body: `{"assignee": "Team_Member@example.com", "version": 1}`, status: 200,
				check: request(func(t *testing.T, q requestJSON) {
					if q.Assignee == nil || q.Assignee.Email != "team_member@example.com" || q.State != "in_progress" {
						t.Errorf("assignee %v, state %s", q.Assignee, q.State)
					}
				})},
			{name: "the assignee is told", method: "GET", path: "/api/v1/notifications", as: "team_member", status: 200,
				want: []string{fmt.Sprintf("Program_manager assigned you request #%d", ids[1])}},
			{name: "mine to work on", method: "GET", path: "/api/v1/requests?mine=assigned", as: "team_member", status: 200,
				check: requestIDs(ids[1])},
			{name: "unassigned, soonest due first", method: "GET", path: "/api/v1/requests?unassigned=true", as: "team_member", status: 200,
				check: requestIDs(ids[0], ids[2])},
			{name: "open ones by state", method: "GET", path: "/api/v1/requests?state=submitted&state=in_progress", as: "admin", status: 200,
				check: requestIDs(ids[1], ids[2])},
			{name: "states separated by commas", method: "GET", path: "/api/v1/requests?state=cancelled,Submitted", as: "admin", status: 200,
				check: requestIDs(ids[0], ids[2])},
			{name: "due within two weeks", method: "GET", path: "/api/v1/requests?due_before=" + today.AddDays(14).String(), as: "team_member",
				status: 200, check: requestIDs(ids[0], ids[1])},
			{name: "what the seller asked for", method: "GET", path: "/api/v1/requests?mine=requested", as: "seller", status: 200,
				check: requestIDs(ids...)},
			{name: "pages", method: "GET", path: "/api/v1/requests?limit=2", as: "seller", status: 200,
				check: func(t *testing.T, r response) {
					var p page[requestJSON]
					r.decode(t, &p)
					if p.Total != 3 || len(p.Items) != 2 || p.NextCursor == "" {
						t.Fatalf("first page %d of %d, next %q", len(p.Items), p.Total, p.NextCursor)
					}
					var rest page[requestJSON]
					f.get(t, "seller", "/api/v1/requests?limit=2&cursor="+p.NextCursor, &rest)
					if len(rest.Items) != 1 || rest.Items[0].ID != ids[2] || rest.NextCursor != "" {
						t.Errorf("second page %+v", rest)
					}
				}},
			{name: "bad filters", method: "GET", path: "/api/v1/requests?state=done&due_before=soon&unassigned=maybe", as: "admin",
				offSpec: true, status: 400, fields: []string{"state", "due_before", "unassigned"}},

			{name: "a message", method: "POST", path: second + "/messages", as: "seller",
				body: `{"body": " Any news? The prospect asks daily. "}`, status: 201,
				want: []string{`"kind":"message"`, `"body":"Any news? The prospect asks daily."`, `"actor":"seller@example.com"`}},
			{name: "an empty message", method: "POST", path: second + "/messages", as: "seller",
				body: `{"body": "  "}`, status: 400, fields: []string{"body"}},
			{name: "the assignee hears of it", method: "GET", path: "/api/v1/notifications?limit=1", as: "team_member", status: 200,
				want: []string{fmt.Sprintf("Seller wrote on request #%d", ids[1])}},
			{name: "it is on the timeline", method: "GET", path: second, as: "team_member", status: 200,
				want: []string{"Any news? The prospect asks daily.", "Assigned to Team_member"}},
		})
	})
}

// requestIDs checks a page lists exactly these requests, in this order.
func requestIDs(ids ...int64) func(t *testing.T, r response) {
	return func(t *testing.T, r response) {
		t.Helper()
		var p page[requestJSON]
		r.decode(t, &p)
		var got []int64
		for _, q := range p.Items {
			got = append(got, q.ID)
		}
		if !slices.Equal(got, ids) || p.Total != len(ids) {
			t.Errorf("listed %v (total %d), want %v", got, p.Total, ids)
		}
	}
}

func TestNotifications(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		_, oppID := seedFulfillment(t, f)
		due := f.srv.DB.Today().AddDays(30).String()
		for range 3 {
			f.call(t, "seller", "POST", "/api/v1/requests",
				fmt.Sprintf(`{"opportunity_id": %d, "activity_type": "Call", "due_date": %q}`, oppID, due), 201)
		}
		var p struct {
			Items []struct {
				ID     int64   `json:"id"`
				ReadAt *string `json:"read_at"`
			} `json:"items"`
			Total  int `json:"total"`
			Unread int `json:"unread"`
		}
		f.get(t, "program_manager", "/api/v1/notifications", &p)
		if p.Total != 3 || p.Unread != 3 || p.Items[0].ID < p.Items[2].ID {
			t.Fatalf("notifications %+v, want 3 unread, newest first", p)
		}
		f.run(t, []scenario{
			{name: "nothing to mark", method: "POST", path: "/api/v1/notifications/read", as: "program_manager",
				body: `{}`, status: 400, fields: []string{"ids"}},
			{name: "ids or all", method: "POST", path: "/api/v1/notifications/read", as: "program_manager",
				body: fmt.Sprintf(`{"ids": [%d], "all": true}`, p.Items[0].ID), status: 400, fields: []string{"ids"}},
			{name: "someone else's change nothing", method: "POST", path: "/api/v1/notifications/read", as: "team_member",
				body: fmt.Sprintf(`{"ids": [%d]}`, p.Items[0].ID), status: 200, want: []string{`"unread":3`}},
			{name: "one read", method: "POST", path: "/api/v1/notifications/read", as: "program_manager",
				body: fmt.Sprintf(`{"ids": [%d]}`, p.Items[0].ID), status: 200, want: []string{`{"unread":2}`}},
			{name: "the newest is read", method: "GET", path: "/api/v1/notifications?limit=2", as: "program_manager", status: 200,
				check: func(t *testing.T, r response) {
					var q struct {
						Items []struct {
							ReadAt *string `json:"read_at"`
						} `json:"items"`
						Total  int `json:"total"`
						Unread int `json:"unread"`
					}
					r.decode(t, &q)
					if len(q.Items) != 2 || q.Items[0].ReadAt == nil || q.Items[1].ReadAt != nil || q.Unread != 2 {
						t.Errorf("notifications %+v", q)
					}
				}},
			{name: "all read", method: "POST", path: "/api/v1/notifications/read", as: "program_manager",
				body: `{"all": true}`, status: 200, want: []string{`{"unread":0}`}},
			{name: "viewers have notifications too", method: "GET", path: "/api/v1/notifications", as: "viewer", status: 200,
				want: []string{`"unread":0`, `"items":[]`}},
		})
	})
}

// TestAskNeedsConfirmation: asking a reference that misses a criterion
// answers with the warnings and asks nobody, until confirmed; a hard rule
// refuses even confirmed. The pages call the same service.
func TestAskNeedsConfirmation(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		s, oppID := seedFulfillment(t, f)
		due := f.srv.DB.Today().AddDays(30).String()
		r := f.call(t, "seller", "POST", "/api/v1/requests",
			fmt.Sprintf(`{"opportunity_id": %d, "activity_type": "Call", "due_date": %q, "criteria": {"industry": "Healthcare", "region": "EMEA"}}`, oppID, due), 201)
		var req requestJSON
		r.decode(t, &req)
		path := fmt.Sprintf("/api/v1/requests/%d", req.ID)
		sam := s.refs["Sam"].ID
		f.run(t, []scenario{
			{name: "Sam misses the region: warnings, nothing asked", method: "POST", path: path + "/asks", as: "team_member",
				body: fmt.Sprintf(`{"reference_id": %d}`, sam), status: 409, fields: []string{"confirm"},
				check: func(t *testing.T, r response) {
					var e struct {
						Error struct {
							Warnings []string `json:"warnings"`
						} `json:"error"`
					}
					r.decode(t, &e)
					if !slices.Equal(e.Error.Warnings, []string{"Does not meet region: EMEA"}) {
						t.Errorf("warnings %q", e.Error.Warnings)
					}
				}},
			{name: "nobody was asked", method: "GET", path: path, as: "team_member", status: 200,
				check: request(func(t *testing.T, q requestJSON) {
					if len(q.Asks) != 0 {
						t.Errorf("asks %+v", q.Asks)
					}
				})},
			{name: "a do-not-contact reference is refused even confirmed", method: "POST", path: path + "/asks", as: "team_member",
				body: fmt.Sprintf(`{"reference_id": %d, "confirm": true}`, s.refs["Diego"].ID), status: 409, want: []string{"do not contact"}},
			{name: "confirmed, Sam is asked", method: "POST", path: path + "/asks", as: "team_member",
				body: fmt.Sprintf(`{"reference_id": %d, "confirm": true}`, sam), status: 201, check: ask(func(t *testing.T, a askJSON) {
					if a.Reference.Name != "Sam Ortiz" || a.State != "pending" {
						t.Errorf("ask %+v", a)
					}
				})},
		})
	})
}
