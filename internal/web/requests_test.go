package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// The signed-in pages of request fulfillment, used as sellers and the
// program team use them: the request form, the queue, the request page
// with its matches and asks, the outbox, activity type rules, notifications.

// rqProgram is a server with a program manager, another team member, two
// sellers, and references who agreed to calls at two accounts.
type rqProgram struct {
	s            *testutil.Server
	pam, tom     *vouch.User // the program team
	sam, sue     *vouch.User // sellers
	call         int64
	healthcare   int64
	emea         int64
	northAmerica int64
	maya, ola    *vouch.Reference
}

func newRQProgram(t *testing.T, s *testutil.Server) *rqProgram {
	t.Helper()
	p := &rqProgram{s: s,
		pam:          testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager),
		tom:          testutil.CreateUser(t, s.DB, "tom@example.com", vouch.RoleTeamMember),
		sam:          testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller),
		sue:          testutil.CreateUser(t, s.DB, "sue@example.com", vouch.RoleSeller),
		call:         valueID(t, s.DB, vouch.TaxActivityType, "Call"),
		healthcare:   valueID(t, s.DB, vouch.TaxIndustry, "Healthcare"),
		emea:         valueID(t, s.DB, vouch.TaxRegion, "EMEA"),
		northAmerica: valueID(t, s.DB, vouch.TaxRegion, "North America"),
	}
	acme := &vouch.Account{Name: "Acme Hospitals", IndustryID: p.healthcare, RegionID: p.emea}
	bank := &vouch.Account{Name: "Northwind Bank", IndustryID: valueID(t, s.DB, vouch.TaxIndustry, "Financial Services"),
		RegionID: p.northAmerica}
	for _, a := range []*vouch.Account{acme, bank} {
		if err := s.DB.CreateAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	p.maya = p.reference(t, acme, "Maya Okafor")
	p.ola = p.reference(t, bank, "Ola Berg")
	return p
}

func (p *rqProgram) reference(t *testing.T, acct *vouch.Account, name string) *vouch.Reference {
	t.Helper()
	r := &vouch.Reference{AccountID: acct.ID, Name: name, Title: "CIO", Status: vouch.StatusActive,
		Email: strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.org", LastVerified: p.s.DB.Today(),
		Activities: []vouch.AgreedActivity{{TypeID: p.call}}}
	if err := p.s.DB.CreateReference(ctx, r); err != nil {
		t.Fatal(err)
	}
	return r
}

// request stores a request for a call on a new opportunity called name,
// through db (the server's, or one with another clock).
func (p *rqProgram) request(t *testing.T, db *store.DB, by *vouch.User, name string, due vouch.Date, assignee int64, c vouch.Criteria) *vouch.Request {
	t.Helper()
	o := &vouch.Opportunity{Name: name, Prospect: "Prospect of " + name, OwnerID: by.ID}
	if err := db.CreateOpportunity(ctx, o); err != nil {
		t.Fatal(err)
	}
	r := &vouch.Request{RequesterID: by.ID, OpportunityID: o.ID, ActivityTypeID: p.call, DueDate: due, AssigneeID: assignee, Criteria: c,
		ReferencesNeeded: 1}
	if err := db.CreateRequest(ctx, r, vouch.Outgoing{}); err != nil {
		t.Fatal(err)
	}
	return r
}

// earlierDB opens the server's database a second time with a clock days
// in the past, to store what only could have been stored back then (a
// request that is overdue now). The server sees it as another process's write.
func earlierDB(t *testing.T, s *testutil.Server, days int) *store.DB {
	t.Helper()
	cfg := store.Config{URL: s.DB.URL}
	if s.DB.Engine == store.SQLite {
		cfg = store.Config{DataDir: filepath.Dir(s.DB.Path)}
	}
	db, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Clock = vouch.NewClock(func() time.Time { return time.Now().UTC().AddDate(0, 0, -days) })
	return db
}

func TestSellerRequestsAReferenceWithANewOpportunity(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		p := newRQProgram(t, s)
		sam := testutil.Login(t, s, "sam@example.com")

		resp, body := sam.Get("/requests/new")
		expect(t, "form", resp, http.StatusOK, "/requests/new")
		mustContain(t, "form", body, `<label for="opportunity_id">Opportunity</label>`, `<option value="new" selected>A new opportunity…</option>`,
			`<label for="activity_type">Activity type</label>`, `<label for="due_date">Due date</label>`,
			`<label for="industry">Industry</label>`, "More details (optional)")
		// Three fields come before anything optional.
		if i, j := strings.Index(body, `for="due_date"`), strings.Index(body, `for="industry"`); i < 0 || j < i {
			t.Error("the due date does not come before the optional criteria")
		}

		due := s.DB.Today().AddDays(10)
		resp, body = sam.PostForm("/requests/new", url.Values{"opportunity_id": {"new"}, "opp_name": {"Globex  expansion"},
			"opp_prospect": {"Globex"}, "opp_amount": {"250,000"}, "opp_close_date": {s.DB.Today().AddDays(60).String()},
			"activity_type": {idOf(p.call)}, "due_date": {due.String()}, "industry": {idOf(p.healthcare)},
			"context": {"They worry about the migration weekend."}})
		expect(t, "submit", resp, http.StatusOK, "")
		id := pathID(t, resp)
		mustContain(t, "request page", body, "Request submitted.", "Call for Globex expansion", "Submitted", "in 10 days",
			"Globex · USD 250,000", "Industry: Healthcare", "They worry about the migration weekend.", "Maya Okafor")

		req, err := s.DB.Request(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if req.RequesterID != p.sam.ID || req.State != vouch.RequestSubmitted || req.DueDate != due || req.Criteria.IndustryID != p.healthcare {
			t.Errorf("stored request = %+v", req)
		}
		opp, err := s.DB.Opportunity(ctx, req.OpportunityID)
		if err != nil {
			t.Fatal(err)
		}
		if opp.Name != "Globex expansion" || opp.OwnerID != p.sam.ID || opp.AmountCents != 25000000 || opp.IndustryID != p.healthcare {
			t.Errorf("stored opportunity = %+v", opp)
		}

		// The next request can pick that opportunity; its industry is filled in.
		_, body = sam.Get("/requests/new")
		mustContain(t, "second form", body, fmt.Sprintf(`<option value="%d" selected>Globex expansion — Globex</option>`, opp.ID),
			"Filled in from the opportunity: industry", fmt.Sprintf(`<option value="%d" selected>Healthcare</option>`, p.healthcare))

		// The seller's list shows it.
		resp, body = sam.Get("/requests")
		expect(t, "my requests", resp, http.StatusOK, "/requests")
		mustContain(t, "my requests", body, "<h1>My requests</h1>", fmt.Sprintf(`href="/requests/%d"`, id), "Globex expansion")
	})
}

func TestRequestFormShowsErrorsNextToFieldsAndKeepsInput(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		p := newRQProgram(t, s)
		sam := testutil.Login(t, s, "sam@example.com")
		sam.Get("/requests/new")
		form := url.Values{"opportunity_id": {"new"}, "opp_name": {"Initech pilot"}, "opp_prospect": {"Initech"},
			"activity_type": {idOf(p.call)}, "due_date": {"next friday"}, "context": {"Keep this note"}}
		resp, body := sam.PostForm("/requests/new", form)
		expect(t, "bad due date", resp, http.StatusBadRequest, "/requests/new")
		mustContain(t, "bad due date", body, `id="due_date-error">Due date must be a date like`, `aria-invalid="true"`,
			`value="next friday"`, `value="Initech pilot"`, `value="Initech"`, "Keep this note",
			fmt.Sprintf(`<option value="%d" selected>Call</option>`, p.call), "Nothing was submitted.")

		form.Set("due_date", s.DB.Today().AddDays(-1).String())
		form.Set("opp_name", " ")
		resp, body = sam.PostForm("/requests/new", form)
		expect(t, "past due date, no name", resp, http.StatusBadRequest, "/requests/new")
		mustContain(t, "past due date, no name", body, `id="due_date-error">Due date must not be in the past.</p>`,
			`id="opp_name-error">Opportunity name is required.</p>`, "Please correct the 2 highlighted fields.")

		if _, n, _ := s.DB.ListOpportunities(ctx, vouch.OpportunityFilter{}); n != 0 {
			t.Errorf("%d opportunities after refused forms", n)
		}
		if _, n, _ := s.DB.ListRequests(ctx, vouch.RequestFilter{}); n != 0 {
			t.Errorf("%d requests after refused forms", n)
		}
	})
}

// queueRows returns the opportunity names the queue page lists.
func queueRows(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<a href="/requests/\d+"><strong>([^<]+)</strong></a>`).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestQueueTabsListTheRightRequests(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		p := newRQProgram(t, s)
		today := s.DB.Today()
		p.request(t, s.DB, p.sam, "Alpha deal", today.AddDays(10), 0, vouch.Criteria{})
		bravo := p.request(t, s.DB, p.sam, "Bravo deal", today.AddDays(2), p.pam.ID, vouch.Criteria{})
		p.request(t, earlierDB(t, s, 5), p.sue, "Charlie deal", today.AddDays(-2), 0, vouch.Criteria{})
		p.request(t, s.DB, p.sue, "Delta deal", today.AddDays(1), p.tom.ID, vouch.Criteria{})
		echo := p.request(t, s.DB, p.sue, "Echo deal", today.AddDays(20), 0, vouch.Criteria{})
		if _, err := s.DB.ChangeRequestState(ctx, echo.ID, 0, vouch.RequestChange{To: vouch.RequestCancelled, Reason: "Deal lost"}, vouch.Outgoing{}); err != nil {
			t.Fatal(err)
		}

		pam := testutil.Login(t, s, "pam@example.com")
		for _, c := range []struct {
			path string
			want []string
		}{
			{"/requests", []string{"Charlie deal", "Delta deal", "Bravo deal", "Alpha deal"}},
			{"/requests?tab=unassigned", []string{"Charlie deal", "Alpha deal"}},
			{"/requests?tab=mine", []string{"Bravo deal"}},
			{"/requests?tab=due", []string{"Delta deal", "Bravo deal"}},
			{"/requests?tab=overdue", []string{"Charlie deal"}},
			{"/requests?tab=closed", []string{"Echo deal"}},
		} {
			resp, body := pam.Get(c.path)
			expect(t, c.path, resp, http.StatusOK, "/requests")
			if got := queueRows(body); strings.Join(got, ", ") != strings.Join(c.want, ", ") {
				t.Errorf("%s lists %v, want %v", c.path, got, c.want)
			}
		}
		_, body := pam.Get("/requests?tab=overdue")
		mustContain(t, "overdue", body, `aria-current="page">Overdue <span class="tab-count">1</span>`,
			`Unassigned <span class="tab-count">2</span>`, `Due within 72 h <span class="tab-count">2</span>`,
			`<span class="pill pill-bad">Overdue</span>`, "2 days ago", "5 days ago")

		// The board: a column per stage of open requests. A card offers only
		// the moves its asks allow: nobody is asked for Bravo, so it cannot
		// await an advocate; the team's next step is picking.
		resp, body := pam.Get("/requests?view=board&tab=mine")
		expect(t, "board", resp, http.StatusOK, "/requests")
		mustContain(t, "board", body, `id="col-to_pick"`, `id="col-awaiting_approval"`, `id="col-awaiting_advocate"`,
			`id="col-to_schedule"`, `id="col-scheduled"`, "Bravo deal", "In progress — to pick references", "Team's move",
			fmt.Sprintf(`href="/requests/%d#matches" aria-label="Pick references: request %d"`, bravo.ID, bravo.ID))
		if strings.Contains(body, "to Awaiting advocate") {
			t.Error("the board offers to move a never-asked request to awaiting advocate")
		}

		// A hand-made (or stale) form asking for that move is refused, says why, and changes nothing.
		resp, body = pam.PostForm(fmt.Sprintf("/requests/%d/state", bravo.ID), url.Values{"state": {"awaiting_advocate"},
			"version": {strconv.Itoa(bravo.Version)}, "back": {"/requests?tab=mine&view=board"}})
		expect(t, "refused move", resp, http.StatusOK, "/requests")
		if resp.Request.URL.RawQuery != "tab=mine&view=board" {
			t.Errorf("the refused move came back to %s", resp.Request.URL)
		}
		mustContain(t, "refused move", body, "flash-error", "No advocate has been asked yet — pick a reference first.")
		if r, _ := s.DB.Request(ctx, bravo.ID); r.State != vouch.RequestInProgress || r.Version != bravo.Version {
			t.Errorf("after a refused move the request is %s (version %d)", r.State, r.Version)
		}

		// A move the state machine allows is one click and comes back to the board.
		alpha := p.request(t, s.DB, p.sam, "Alpha two", today.AddDays(11), 0, vouch.Criteria{})
		_, body = pam.Get("/requests?view=board&tab=unassigned")
		mustContain(t, "unassigned board", body, "New — to pick references",
			`aria-label="Move request `+idOf(alpha.ID)+` to In progress"`)
		resp, body = pam.PostForm(fmt.Sprintf("/requests/%d/state", alpha.ID), url.Values{"state": {"in_progress"},
			"version": {strconv.Itoa(alpha.Version)}, "back": {"/requests?tab=unassigned&view=board"}})
		expect(t, "board move", resp, http.StatusOK, "/requests")
		mustContain(t, "board move", body, fmt.Sprintf("Request #%d is now in progress.", alpha.ID))

		// A second click on the stale card changes nothing and says why.
		_, body = pam.PostForm(fmt.Sprintf("/requests/%d/state", alpha.ID), url.Values{"state": {"in_progress"},
			"version": {strconv.Itoa(alpha.Version)}, "back": {"/requests?view=board"}})
		mustContain(t, "stale move", body, "flash-error")

		// The home page counts what waits.
		_, body = pam.Get("/")
		mustContain(t, "dashboard", body, `href="/requests?tab=unassigned"`, `href="/requests?tab=due"`, `href="/requests?tab=overdue"`,
			"Awaiting approval by me")
	})
}

func TestSellersSeeOnlyTheirOwnRequests(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		p := newRQProgram(t, s)
		mine := p.request(t, s.DB, p.sam, "Sam's deal", s.DB.Today().AddDays(7), 0, vouch.Criteria{})
		theirs := p.request(t, s.DB, p.sue, "Sue's deal", s.DB.Today().AddDays(7), 0, vouch.Criteria{})

		sam := testutil.Login(t, s, "sam@example.com")
		for _, path := range []string{"/requests", "/requests/mine"} {
			resp, body := sam.Get(path)
			expect(t, path, resp, http.StatusOK, path)
			mustContain(t, path, body, "My requests", "Sam&#39;s deal")
			if strings.Contains(body, "Sue&#39;s deal") {
				t.Errorf("%s shows another seller's request", path)
			}
		}
		resp, _ := sam.Get(fmt.Sprintf("/requests/%d", mine.ID))
		expect(t, "own request", resp, http.StatusOK, "")
		resp, body := sam.Get(fmt.Sprintf("/requests/%d", theirs.ID))
		expect(t, "another seller's request", resp, http.StatusNotFound, "")
		if strings.Contains(body, "Sue&#39;s deal") {
			t.Error("the 404 page names the other request")
		}
		resp, _ = sam.PostForm(fmt.Sprintf("/requests/%d/messages", theirs.ID), url.Values{"body": {"Hello?"}})
		expect(t, "message on another seller's request", resp, http.StatusNotFound, "")
		resp, _ = sam.PostForm(fmt.Sprintf("/requests/%d/state", theirs.ID), url.Values{"state": {"cancelled"}, "reason": {"mine now"}})
		expect(t, "cancel another seller's request", resp, http.StatusNotFound, "")
		if r, _ := s.DB.Request(ctx, theirs.ID); r.State != vouch.RequestSubmitted {
			t.Errorf("another seller's request became %s", r.State)
		}
		// The queue's tabs are the team's; a seller's own request may be cancelled with a reason.
		_, body = sam.Get(fmt.Sprintf("/requests/%d", mine.ID))
		mustContain(t, "own request", body, "Cancel the request", `name="reason"`)
		if strings.Contains(body, `action="/requests/`+idOf(mine.ID)+`/assign"`) {
			t.Error("a seller is offered to assign the request")
		}
		_, body = sam.PostForm(fmt.Sprintf("/requests/%d/state", mine.ID), url.Values{"state": {"cancelled"}, "reason": {" "},
			"version": {strconv.Itoa(mine.Version)}})
		mustContain(t, "cancel without reason", body, "flash-error", "Say why the request is cancelled.")
		_, body = sam.PostForm(fmt.Sprintf("/requests/%d/state", mine.ID), url.Values{"state": {"cancelled"}, "reason": {"Deal slipped to next year"},
			"version": {strconv.Itoa(mine.Version)}})
		mustContain(t, "cancel", body, fmt.Sprintf("Request #%d is now cancelled.", mine.ID), "Cancelled: Deal slipped to next year")

		viewer := testutil.CreateUser(t, s.DB, "vic@example.com", vouch.RoleViewer)
		_ = viewer
		vic := testutil.Login(t, s, "vic@example.com")
		resp, _ = vic.Get("/requests")
		expect(t, "viewer", resp, http.StatusForbidden, "/requests")
	})
}

// matchScores reads each match on a request page: its reference id, its
// score and the points of its reasons.
func matchScores(t *testing.T, body string) map[int64][2]int {
	t.Helper()
	out := map[int64][2]int{}
	items := regexp.MustCompile(`(?s)<li class="match" id="match-(\d+)">(.*?)</li>\s*</ul>`).FindAllStringSubmatch(body, -1)
	for _, m := range items {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		score := regexp.MustCompile(`<span class="score-n">(-?\d+)</span>`).FindStringSubmatch(m[2])
		if score == nil {
			t.Fatalf("match %d shows no score", id)
		}
		s, _ := strconv.Atoi(score[1])
		sum := 0
		for _, pts := range regexp.MustCompile(`<span class="pts">(&#43;|−)(\d+)</span>`).FindAllStringSubmatch(m[2], -1) {
			n, _ := strconv.Atoi(pts[2])
			if pts[1] == "−" {
				n = -n
			}
			sum += n
		}
		out[id] = [2]int{s, sum}
	}
	return out
}

func TestRequestPageExplainsMatchesAndAsks(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		p := newRQProgram(t, s)
		req := p.request(t, s.DB, p.sam, "Globex expansion", s.DB.Today().AddDays(14), 0,
			vouch.Criteria{IndustryID: p.healthcare, RegionID: p.northAmerica})

		// With no criteria both are candidates; Ola's recent call counts against
		// her (20 days ago: past the ask ledger's 14-day cool-down).
		if err := s.DB.LogActivity(ctx, &vouch.Activity{ReferenceID: p.ola.ID, TypeID: p.call, OccurredOn: s.DB.Today().AddDays(-20)}); err != nil {
			t.Fatal(err)
		}
		open := p.request(t, s.DB, p.sue, "Initech pilot", s.DB.Today().AddDays(14), 0, vouch.Criteria{})
		pam := testutil.Login(t, s, "pam@example.com")
		_, body := pam.Get(fmt.Sprintf("/requests/%d", open.ID))
		mustContain(t, "no criteria", body, "2 references pass the rules", `<span class="pts">&#43;5</span> under-used this quarter`,
			`<span class="pts">−5</span> 1 activity in the last 90 days`, "1 of 3 used")
		scores := matchScores(t, body)
		if len(scores) != 2 {
			t.Fatalf("%d matches shown, want 2", len(scores))
		}
		for id, sc := range scores {
			if sc[0] != sc[1] {
				t.Errorf("reference %d: score %d, but its reasons add up to %d", id, sc[0], sc[1])
			}
		}
		if scores[p.maya.ID][0] <= scores[p.ola.ID][0] {
			t.Errorf("Maya (unused) scores %d, not above Ola's %d (used 10 days ago)", scores[p.maya.ID][0], scores[p.ola.ID][0])
		}
		if strings.Index(body, `id="match-`+idOf(p.maya.ID)+`"`) > strings.Index(body, `id="match-`+idOf(p.ola.ID)+`"`) {
			t.Error("the better match is not listed first")
		}

		// Criteria nobody meets together are points, not filters: every
		// eligible reference is listed, with the criteria it meets and misses.
		resp, body := pam.Get(fmt.Sprintf("/requests/%d", req.ID))
		expect(t, "request page", resp, http.StatusOK, "")
		mustContain(t, "request page", body, "Best matches", "No reference meets every criterion; best first.",
			"2 references pass the rules", "2 candidates, best first",
			`<span class="pts">&#43;40</span> <span aria-hidden="true">✓</span> industry: Healthcare`,
			`<li class="missed"><span aria-hidden="true">✗</span> <span class="visually-hidden">misses</span> region: North America</li>`,
			"Maya Okafor", "0 of 3 used", "Request submitted")
		scores = matchScores(t, body)
		if len(scores) != 2 || scores[p.maya.ID][0] != scores[p.maya.ID][1] || scores[p.maya.ID][0] < 40 {
			t.Errorf("matches = %v, want both eligible references, Maya's reasons adding up", scores)
		}
		if strings.Contains(body, "No exact match") {
			t.Error("the page still relaxes criteria")
		}
		// One primary action: asking the best match.
		if n := strings.Count(body, `class="primary"`); n != 1 {
			t.Errorf("%d primary buttons, want 1", n)
		}
		mustContain(t, "primary", body, `class="primary" aria-label="Ask Maya Okafor"`)

		// The seller sees the candidates but does not pick them.
		sam := testutil.Login(t, s, "sam@example.com")
		_, body = sam.Get(fmt.Sprintf("/requests/%d", req.ID))
		mustContain(t, "seller's view", body, "The program team picks from these and asks the customer")
		if strings.Contains(body, `aria-label="Ask Maya Okafor"`) {
			t.Error("a seller can ask on a program-managed request")
		}

		// The matches list shows what Maya misses beside her Ask button: its
		// form confirms.
		resp, body = pam.PostForm(fmt.Sprintf("/requests/%d/asks", req.ID), url.Values{"ref_id": {idOf(p.maya.ID)}, "confirm": {"1"}})
		expect(t, "ask", resp, http.StatusOK, fmt.Sprintf("/requests/%d", req.ID))
		mustContain(t, "ask", body, "Maya Okafor was asked by email", `<span class="pill pill-warn">Awaiting advocate</span>`,
			`<span class="pill pill-warn">Asked</span>`, "Asked Maya Okafor", "More candidates")
		got, err := s.DB.Request(ctx, req.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != vouch.RequestAwaitingAdvocate {
			t.Errorf("request is %s after the ask, want awaiting advocate", got.State)
		}
		asks, err := s.DB.Asks(ctx, req.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(asks) != 1 || asks[0].ReferenceID != p.maya.ID || asks[0].State != vouch.AskPending {
			t.Fatalf("asks = %+v", asks)
		}
		// Maya is no longer a candidate; asking her again is refused and changes nothing.
		if strings.Contains(body, fmt.Sprintf(`id="match-%d"`, p.maya.ID)) {
			t.Error("the asked reference is still listed as a candidate")
		}
		resp, body = pam.PostForm(fmt.Sprintf("/requests/%d/asks", req.ID), url.Values{"ref_id": {idOf(p.maya.ID)}, "confirm": {"1"}})
		expect(t, "ask again", resp, http.StatusOK, fmt.Sprintf("/requests/%d", req.ID))
		mustContain(t, "ask again", body, "flash-error", "Maya Okafor cannot be asked for this request: already asked for this opportunity.")
		if asks, _ := s.DB.Asks(ctx, req.ID); len(asks) != 1 {
			t.Errorf("%d asks after a refused second ask", len(asks))
		}

		// The reference's profile lists the ask.
		_, body = pam.Get(fmt.Sprintf("/references/%d", p.maya.ID))
		mustContain(t, "profile", body, `<h2 id="asks-heading">Asks</h2>`, fmt.Sprintf(`<a href="/requests/%d">Globex expansion</a>`, req.ID))

		// A message reaches the timeline.
		_, body = pam.PostForm(fmt.Sprintf("/requests/%d/messages", req.ID), url.Values{"body": {"Maya prefers mornings."}})
		mustContain(t, "message", body, "Message added.", "Maya prefers mornings.")

		// The outbox keeps the mail to Maya, with her answer link, unsent without SMTP.
		resp, body = pam.Get("/admin/outbox")
		expect(t, "outbox", resp, http.StatusOK, "/admin/outbox")
		mustContain(t, "outbox", body, "maya.okafor@example.org", "Would you do a call with Prospect of Globex expansion?",
			"Not sent — SMTP not configured", "No SMTP server is configured")
		mails, _, err := s.DB.ListOutbox(ctx, vouch.OutboxFilter{})
		if err != nil || len(mails) != 1 {
			t.Fatalf("outbox: %v, %v", mails, err)
		}
		resp, body = pam.Get(fmt.Sprintf("/admin/outbox/%d", mails[0].ID))
		expect(t, "mail", resp, http.StatusOK, "")
		link := regexp.MustCompile(`<a href="(http://[^"]+/a/[^"]+)" rel="noopener">`).FindStringSubmatch(body)
		if link == nil {
			t.Fatalf("the mail shows no answer link:\n%s", body)
		}
		mustContain(t, "mail", body, "Hello Maya,", "Not sent — SMTP not configured")
		advocate, err := http.Get(link[1])
		if err != nil {
			t.Fatal(err)
		}
		advocate.Body.Close()
		if advocate.StatusCode != http.StatusOK {
			t.Errorf("the answer link from the outbox answers %d", advocate.StatusCode)
		}
		sam2 := testutil.Login(t, s, "sue@example.com")
		resp, _ = sam2.Get("/admin/outbox")
		expect(t, "outbox as a seller", resp, http.StatusForbidden, "/admin/outbox")
	})
}

func TestActivityTypeRuleIsSavedFromTheForm(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		p := newRQProgram(t, s)
		pam := testutil.Login(t, s, "pam@example.com")
		resp, body := pam.Get("/admin/activity-types")
		expect(t, "rules", resp, http.StatusOK, "/admin/activity-types")
		mustContain(t, "rules", body, `<label for="workflow-`+idOf(p.call)+`" class="visually-hidden">Workflow for Call</label>`,
			`id="points-`+idOf(p.call)+`" name="points" type="number" min="0" max="10000" value="10"`)

		resp, body = pam.PostForm("/admin/activity-types", url.Values{"type_id": {idOf(p.call)}, "workflow": {"self_serve"},
			"approval": {"1"}, "points": {"25"}})
		expect(t, "save", resp, http.StatusOK, "/admin/activity-types")
		mustContain(t, "save", body, "Call saved: sellers pick from the matches; account owners approve each ask, 25 points each.")
		want := vouch.ActivityTypeRule{TypeID: p.call, Workflow: vouch.WorkflowSelfServe, Approval: true, Points: 25}
		rules, err := s.DB.ActivityTypeRules(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if rules[p.call] != want {
			t.Errorf("rule = %+v, want %+v", rules[p.call], want)
		}

		resp, body = pam.PostForm("/admin/activity-types", url.Values{"type_id": {idOf(p.call)}, "workflow": {"program_managed"}, "points": {"lots"}})
		expect(t, "bad points", resp, http.StatusBadRequest, "/admin/activity-types")
		mustContain(t, "bad points", body, "Points must be a whole number from 0 to 10,000.", `value="lots"`, "The rule for Call is unchanged.")
		if rules, _ := s.DB.ActivityTypeRules(ctx); rules[p.call] != want {
			t.Errorf("a refused save changed the rule to %+v", rules[p.call])
		}

		// Self-serve: the seller now picks from the matches of a new request.
		req := p.request(t, s.DB, p.sam, "Umbrella deal", s.DB.Today().AddDays(5), 0, vouch.Criteria{})
		sam := testutil.Login(t, s, "sam@example.com")
		_, body = sam.Get(fmt.Sprintf("/requests/%d", req.ID))
		mustContain(t, "self-serve", body, "Self-serve", `aria-label="Ask Maya Okafor"`)

		samBrowser := testutil.Login(t, s, "sam@example.com")
		resp, _ = samBrowser.Get("/admin/activity-types")
		expect(t, "rules as a seller", resp, http.StatusForbidden, "/admin/activity-types")
	})
}

// unreadCount reads the bell's count in the navigation; 0 when it shows none.
func unreadCount(body string) int {
	m := regexp.MustCompile(`<span class="bell-count">(\d+)<span class="visually-hidden"> unread</span>`).FindStringSubmatch(body)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func TestNotificationsCountAndMarkRead(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		p := newRQProgram(t, s)
		pam := testutil.Login(t, s, "pam@example.com")
		_, body := pam.Get("/")
		if n := unreadCount(body); n != 0 {
			t.Fatalf("bell shows %d before anything happened", n)
		}

		sam := testutil.Login(t, s, "sam@example.com")
		sam.Get("/requests/new")
		for i, name := range []string{"First deal", "Second deal"} {
			resp, _ := sam.PostForm("/requests/new", url.Values{"opportunity_id": {"new"}, "opp_name": {name},
				"activity_type": {idOf(p.call)}, "due_date": {s.DB.Today().AddDays(7 + i).String()}})
			expect(t, "request "+name, resp, http.StatusOK, "")
		}

		_, body = pam.Get("/")
		if n := unreadCount(body); n != 2 {
			t.Errorf("the team's bell shows %d, want 2", n)
		}
		resp, body := pam.Get("/notifications")
		expect(t, "notifications", resp, http.StatusOK, "/notifications")
		mustContain(t, "notifications", body, "Sam requested a call (due "+s.DB.Today().AddDays(7).String()+")", "2 unread", "Mark all read")
		ids := regexp.MustCompile(`name="id" value="(\d+)"`).FindAllStringSubmatch(body, -1)
		if len(ids) != 2 {
			t.Fatalf("%d unread notifications to open, want 2", len(ids))
		}
		// Opening one marks it read and goes where it points: the request.
		next := regexp.MustCompile(`name="next" value="([^"]+)"`).FindStringSubmatch(body)
		if next == nil {
			t.Fatal("a notification links nowhere")
		}
		resp, body = pam.PostForm("/notifications/read", url.Values{"id": {ids[0][1]}, "next": {next[1]}})
		expect(t, "open one", resp, http.StatusOK, next[1])
		mustContain(t, "open one", body, "<h1>Call for ")
		if n := unreadCount(body); n != 1 {
			t.Errorf("bell shows %d after opening one, want 1", n)
		}
		// Someone else's notification cannot be marked read.
		sam.Get("/notifications")
		sam.PostForm("/notifications/read", url.Values{"id": {ids[1][1]}})
		_, body = pam.Get("/notifications")
		if n := unreadCount(body); n != 1 {
			t.Errorf("another user's click changed the bell to %d", n)
		}
		resp, body = pam.PostForm("/notifications/read", url.Values{"all": {"1"}})
		expect(t, "mark all", resp, http.StatusOK, "/notifications")
		mustContain(t, "mark all", body, "All notifications are marked read.", "You are up to date.")
		if n := unreadCount(body); n != 0 {
			t.Errorf("bell shows %d after marking all read", n)
		}
		// The seller, who did the asking, was not notified of their own requests.
		_, body = sam.Get("/")
		if n := unreadCount(body); n != 0 {
			t.Errorf("the seller's bell shows %d", n)
		}
	})
}

// answerLink reads the newest answer link mailed to email from the outbox.
func answerLink(t *testing.T, db *store.DB, email string) string {
	t.Helper()
	mails, _, err := db.ListOutbox(ctx, vouch.OutboxFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mails {
		if m.To == email {
			if l := regexp.MustCompile(`http://\S+/a/\S+`).FindString(m.Body); l != "" {
				return l
			}
		}
	}
	t.Fatalf("no answer link mailed to %s", email)
	return ""
}

func TestRequestLoopFromApprovalToThankYou(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		p := newRQProgram(t, s)
		// Calls need the account owner's approval; Sue owns Acme Hospitals.
		if err := s.DB.SetActivityTypeRule(ctx, vouch.ActivityTypeRule{TypeID: p.call, Workflow: vouch.WorkflowProgramManaged,
			Approval: true, Points: 15}); err != nil {
			t.Fatal(err)
		}
		acme, err := s.DB.Account(ctx, p.maya.AccountID)
		if err != nil {
			t.Fatal(err)
		}
		acme.OwnerID = p.sue.ID
		if err := s.DB.UpdateAccount(ctx, acme); err != nil {
			t.Fatal(err)
		}
		req := p.request(t, s.DB, p.sam, "Globex expansion", s.DB.Today().AddDays(14), 0, vouch.Criteria{IndustryID: p.healthcare})
		page := fmt.Sprintf("/requests/%d", req.ID)

		pam := testutil.Login(t, s, "pam@example.com")
		pam.Get(page)
		_, body := pam.PostForm(page+"/asks", url.Values{"ref_id": {idOf(p.maya.ID)}})
		mustContain(t, "ask", body, "Maya Okafor is picked. Their account owner was asked to approve", "Awaiting approval")

		// Sue, a seller who did not ask, may see the request to approve it.
		sue := testutil.Login(t, s, "sue@example.com")
		_, body = sue.Get("/")
		mustContain(t, "owner's home", body, "Awaiting approval by me", `href="/requests/mine#approvals"`)
		_, body = sue.Get("/requests/mine")
		mustContain(t, "owner's list", body, "Awaiting your approval", "Globex expansion")
		resp, body := sue.Get(page)
		expect(t, "owner's view", resp, http.StatusOK, page)
		mustContain(t, "owner's view", body, "Approve and ask", "Do not approve")
		// The ranked candidate list is the requester's and the team's: the
		// owner sees the ask about their customer, not the list.
		for _, path := range []string{page, page + "?page=2", page + "?failing=1"} {
			if _, body := sue.Get(path); strings.Contains(body, `id="matches"`) {
				t.Errorf("the owner of an asked account sees the ranked matches at %s", path)
			}
		}
		if _, body := testutil.Login(t, s, "sam@example.com").Get(page); !strings.Contains(body, `id="matches"`) {
			t.Error("the requester does not see the ranked matches")
		}
		asks, _ := s.DB.Asks(ctx, req.ID)
		if len(asks) != 1 || asks[0].State != vouch.AskAwaitingApproval {
			t.Fatalf("asks = %+v", asks)
		}
		askPath := fmt.Sprintf("%s/asks/%d", page, asks[0].ID)
		// The requester cannot approve for the owner.
		sam := testutil.Login(t, s, "sam@example.com")
		sam.Get(page)
		_, body = sam.PostForm(askPath+"/approve", url.Values{"decision": {"approve"}})
		mustContain(t, "requester approves", body, "flash-error", "Only the account owner or the program team can approve this ask.")
		resp, body = sue.PostForm(askPath+"/approve", url.Values{"decision": {"approve"}, "note": {"Go ahead"}})
		expect(t, "approve", resp, http.StatusOK, page)
		mustContain(t, "approve", body, "Approved: Maya Okafor was asked by email.", "Account owner approved; advocate asked: Go ahead")

		// Maya accepts through the mailed link: the slot is booked.
		link := answerLink(t, s.DB, p.maya.Email)
		answered, err := http.PostForm(link, url.Values{"action": {"accept"}, "proposed_times": {"Tuesday morning"}})
		if err != nil {
			t.Fatal(err)
		}
		answered.Body.Close()
		if answered.StatusCode != http.StatusOK {
			t.Fatalf("accepting through the link answered %d", answered.StatusCode)
		}
		_, body = pam.Get(fmt.Sprintf("/references/%d", p.maya.ID))
		mustContain(t, "booked", body, `<span class="pill pill-accent">Booked</span>`, "1 of 3 used")

		_, body = pam.Get(page)
		mustContain(t, "accepted", body, "Proposed times:</span> Tuesday morning", `class="primary">Schedule and send invitations</button>`)
		// The seller cannot schedule a program-managed request: nothing changes.
		sam.Get(page)
		_, body = sam.PostForm(askPath+"/schedule", url.Values{"scheduled_at": {"2030-01-01T10:00"}})
		mustContain(t, "seller schedules", body, "flash-error", "Only the program team schedules this request.")

		at := time.Now().UTC().AddDate(0, 0, 3).Truncate(time.Hour)
		_, body = pam.PostForm(askPath+"/schedule", url.Values{"scheduled_at": {at.Format("2006-01-02T15:04")}, "time_zone": {"UTC"},
			"duration_minutes": {"45"}, "meeting_url": {"https://meet.example/globex"}})
		mustContain(t, "schedule", body, "Scheduled for "+at.Format("Mon 2 Jan 2006, 15:04 UTC"), "45 minutes",
			`<span class="pill pill-ok">Scheduled</span>`, `class="primary">Mark completed</button>`)
		_, body = pam.PostForm(askPath+"/schedule", url.Values{"scheduled_at": {"soon"}})
		mustContain(t, "bad schedule", body, "flash-error", "Nothing was scheduled: give the date and time")

		_, body = pam.PostForm(askPath+"/complete", url.Values{"outcome": {"completed"}, "occurred_on": {s.DB.Today().String()}})
		mustContain(t, "complete", body, "Completed: the activity is on Maya Okafor&#39;s profile", `<span class="pill pill-ok">Completed</span>`)
		if r, _ := s.DB.Request(ctx, req.ID); r.State != vouch.RequestCompleted {
			t.Errorf("request is %s, want completed", r.State)
		}

		// The seller rates the call; the team does not get that form.
		if strings.Contains(body, `action="`+askPath+`/feedback"`) {
			t.Error("the program manager is offered the seller's feedback form")
		}
		_, body = sam.Get(page)
		mustContain(t, "feedback form", body, "How did Maya Okafor help?", `class="primary">Send feedback</button>`,
			`<input type="radio" name="impact" value="accelerated"> It sped the deal up`, "How helpful was it?", "5 – Very helpful")
		_, body = sam.PostForm(askPath+"/feedback", url.Values{"rating": {"4"}, "influenced": {"yes"}, "impact": {"accelerated"},
			"comment": {"Sealed the technical win."}})
		mustContain(t, "feedback", body, "Thank you — your feedback is recorded.",
			"Seller feedback</span> 4/5, influenced the deal, deal accelerated — “Sealed the technical win.”")
		if strings.Contains(body, `action="`+askPath+`/feedback"`) {
			t.Error("the feedback form is offered again after feedback was given")
		}

		// The profile: the done call, its points, and the thank-you to send.
		_, body = pam.Get(fmt.Sprintf("/references/%d", p.maya.ID))
		mustContain(t, "done", body, `<span class="pill pill-ok">Done</span>`, "earned <strong class=\"num\">15</strong> points",
			`<span class="pill pill-warn">Not sent</span>`, "Mark thank-you sent", `<span class="pill pill-ok">Completed</span>`)
		acts, err := s.DB.Activities(ctx, p.maya.ID)
		if err != nil || len(acts) != 1 {
			t.Fatalf("activities: %v, %v", acts, err)
		}
		_, body = pam.PostForm(fmt.Sprintf("/references/%d/activities/%d/thank-you", p.maya.ID, acts[0].ID),
			url.Values{"thank_you": {"gift"}, "sent_on": {s.DB.Today().String()}})
		mustContain(t, "thanked", body, "A thank-you (gift) is recorded as sent on", `<span class="pill pill-ok">Sent `)
		// An activity of another reference is not reachable through this one.
		resp, _ = pam.PostForm(fmt.Sprintf("/references/%d/activities/%d/thank-you", p.ola.ID, acts[0].ID), url.Values{"thank_you": {"gift"}})
		expect(t, "thank-you through another reference", resp, http.StatusNotFound, "")
	})
}
