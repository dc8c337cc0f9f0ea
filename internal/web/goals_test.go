package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// A program manager sets a program goal and team member goals through the
// form; the goals page groups them by objective and by member, each with
// its pace in words; a team member sees their own goals and not another
// member's, a seller cannot reach goals at all.
func TestGoalsPagesByRole(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		s.DB.Clock.Set(time.Date(2026, time.November, 15, 12, 0, 0, 0, time.UTC))
		testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		tina := testutil.CreateUser(t, s.DB, "tina@example.com", vouch.RoleTeamMember)
		omar := testutil.CreateUser(t, s.DB, "omar@example.com", vouch.RoleTeamMember)
		testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		pm, tm, seller := testutil.Login(t, s, "pam@example.com"), testutil.Login(t, s, "tina@example.com"),
			testutil.Login(t, s, "sam@example.com")
		healthcare := valueID(t, s.DB, vouch.TaxIndustry, "Healthcare")

		resp, body := pm.Get("/goals")
		expect(t, "empty goals", resp, http.StatusOK, "/goals")
		mustContain(t, "empty goals", body, "No program goals yet.", `href="/goals/new"`)
		resp, body = pm.Get("/goals/new")
		expect(t, "new goal form", resp, http.StatusOK, "/goals/new")
		mustContain(t, "new goal form", body, `<option value="references_added"`, "References owned by the team member",
			"This quarter (2026-Q4)", `name="industry"`, ">Healthcare</option>")
		if strings.Contains(body, `value="requests_overdue"`) {
			t.Error("the metric picker offers a metric goals cannot track")
		}

		// Every problem at once, nothing saved.
		resp, body = pm.PostForm("/goals/new", url.Values{"kind": {"program"}, "name": {""}, "metric": {"references_added"},
			"target": {"lots"}, "period": {"this_quarter"}})
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("bad goal: status %d", resp.StatusCode)
		}
		mustContain(t, "bad goal", body, `id="name-error"`, `id="objective-error"`, `id="target-error"`)

		resp, body = pm.PostForm("/goals/new", url.Values{"kind": {"program"}, "name": {"9 new Healthcare references"},
			"objective": {"Grow Healthcare in EMEA"}, "metric": {"references_added"}, "target": {"9"},
			"period": {"this_quarter"}, "industry": {fmt.Sprint(healthcare)}})
		expect(t, "goal set", resp, http.StatusOK, "/goals")
		mustContain(t, "goals page", body, "Goal “9 new Healthcare references” set.", "<h3>Grow Healthcare in EMEA</h3>",
			"References added · Healthcare", "2026-Q4", `<progress max="100" value="0"`, "Pace")
		for _, mg := range []struct {
			owner *vouch.User
			name  string
		}{{tina, "Tina writes 3 case studies"}, {omar, "Omar recruits 4 references"}} {
			resp, _ = pm.PostForm("/goals/new", url.Values{"kind": {"member"}, "name": {mg.name}, "metric": {"content_created"},
				"target": {"3"}, "period": {"this_month"}, "owner": {fmt.Sprint(mg.owner.ID)}})
			expect(t, "member goal set", resp, http.StatusOK, "/goals")
		}
		_, body = pm.Get("/goals")
		mustContain(t, "goals page", body, "Team member goals", "Tina writes 3 case studies", "Omar recruits 4 references", "November 2026")

		omars, err := s.DB.Goals(ctx, vouch.GoalFilter{OwnerID: omar.ID})
		if err != nil || len(omars) != 1 {
			t.Fatalf("omar's goals: %v %v", omars, err)
		}
		resp, body = tm.Get("/goals")
		expect(t, "team member's goals", resp, http.StatusOK, "/goals")
		mustContain(t, "team member's goals", body, "9 new Healthcare references", "Tina writes 3 case studies")
		if strings.Contains(body, "Omar recruits") || strings.Contains(body, `href="/goals/new"`) {
			t.Errorf("a team member sees another member's goal or may set goals:\n%s", body)
		}
		if resp, _ := tm.Get(fmt.Sprintf("/goals/%d", omars[0].ID)); resp.StatusCode != http.StatusNotFound {
			t.Errorf("another member's goal: %d, want 404", resp.StatusCode)
		}
		_, body = tm.Get("/")
		mustContain(t, "team member's home", body, "Your goals", "Tina writes 3 case studies")
		if resp, _ := tm.PostForm("/goals/new", url.Values{"name": {"x"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a team member sets a goal: %d", resp.StatusCode)
		}

		for _, path := range []string{"/goals", "/goals/new", fmt.Sprintf("/goals/%d", omars[0].ID)} {
			if resp, _ := seller.Get(path); resp.StatusCode != http.StatusForbidden {
				t.Errorf("seller GET %s: %d, want 403", path, resp.StatusCode)
			}
		}
		if resp, _ := seller.PostForm("/goals/new", url.Values{"name": {"x"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a seller sets a goal: %d", resp.StatusCode)
		}
		if _, body := seller.Get("/"); strings.Contains(body, `href="/goals"`) {
			t.Error("the seller's navigation links to goals")
		}

		// Edit with the version read, then archive.
		progs, _ := s.DB.Goals(ctx, vouch.GoalFilter{Kind: vouch.GoalProgram})
		g := progs[0]
		path := fmt.Sprintf("/goals/%d", g.ID)
		resp, body = pm.Get(path)
		expect(t, "goal page", resp, http.StatusOK, path)
		mustContain(t, "goal page", body, "Serves “Grow Healthcare in EMEA”", `name="version" value="1"`, "Archive this goal")
		resp, _ = pm.PostForm(path, url.Values{"kind": {"program"}, "name": {g.Name}, "objective": {g.Objective},
			"metric": {"references_added"}, "target": {"12"}, "period": {"this_quarter"}, "owner": {fmt.Sprint(g.OwnerID)},
			"version": {"1"}})
		expect(t, "goal saved", resp, http.StatusOK, "/goals")
		resp, body = pm.PostForm(path, url.Values{"kind": {"program"}, "name": {g.Name}, "objective": {g.Objective},
			"metric": {"references_added"}, "target": {"15"}, "period": {"this_quarter"}, "version": {"1"}})
		if resp.StatusCode != http.StatusConflict && resp.StatusCode != http.StatusBadRequest {
			t.Errorf("a stale save: %d", resp.StatusCode)
		}
		mustContain(t, "stale save", body, "Someone saved this goal since you opened it")
		resp, _ = pm.PostForm(path+"/archive", url.Values{"version": {"2"}})
		expect(t, "archived", resp, http.StatusOK, "/goals")
		if _, body := pm.Get("/goals"); strings.Contains(body, "9 new Healthcare references") {
			t.Error("an archived goal is still on the goals page")
		}
	})
}

// An executive lands on the scorecard; a seller's home shows the
// references and content that fit their open deals, and why.
func TestHomeByRole(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		p := newProgram(t, s, map[string]vouch.Status{"Maya Okafor": vouch.StatusActive})
		testutil.CreateUser(t, s.DB, "vic@example.com", vouch.RoleViewer)
		sam := testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		opp := &vouch.Opportunity{Name: "Northwind Clinics expansion", Prospect: "Northwind Clinics", Stage: "Proposal",
			OwnerID: sam.ID, IndustryID: p.acme.IndustryID, RegionID: p.acme.RegionID}
		if err := s.DB.CreateOpportunity(ctx, opp); err != nil {
			t.Fatal(err)
		}
		story := requestContentItem(t, s, "Clinic group cuts waiting lists", "Case study", vouch.ContentApprovedExternal,
			map[vouch.TaxonomyKind][]int64{vouch.TaxIndustry: {p.acme.IndustryID}})
		requestContentItem(t, s, "Draft clinic story", "Case study", vouch.ContentDraft,
			map[vouch.TaxonomyKind][]int64{vouch.TaxIndustry: {p.acme.IndustryID}})
		viewer, seller := testutil.Login(t, s, "vic@example.com"), testutil.Login(t, s, "sam@example.com")

		resp, _ := viewer.Get("/")
		expect(t, "viewer's home", resp, http.StatusOK, "/scorecard")

		resp, body := seller.Get("/")
		expect(t, "seller's home", resp, http.StatusOK, "/")
		mustContain(t, "seller's home", body, "References and content for your open deals", "Northwind Clinics expansion",
			fmt.Sprintf(`href="/references/%d">Maya Okafor</a>`, p.refs["Maya Okafor"].ID), "industry: Healthcare",
			fmt.Sprintf(`href="/requests/new?opportunity_id=%d&amp;prefill=1"`, opp.ID),
			"Content that fits:", fmt.Sprintf(`<a href="/content/%d">Clinic group cuts waiting lists</a>`, story.ID), "My open requests")
		if strings.Contains(body, "Draft clinic story") {
			t.Error("the seller's home offers a draft for their deal")
		}

		pm := testutil.Login(t, s, p.pmEmail)
		_, body = pm.Get("/")
		mustContain(t, "program manager's home", body, "Needs attention", "Alerts", "waiting for the customer's approval",
			"Unassigned", "Due within 72 h")
		if strings.Contains(body, "References and content for your open deals") {
			t.Error("the program team's home lists deals as a seller's does")
		}
	})
}

// TestGoalsOnTheScorecardAndHome: the scorecard of a quarter lists the
// program goals whose period overlaps it, each with its pace in words and
// its forecast; a program manager's home shows their own goals under "Your
// goals" and another owner's goal that is behind under "Goals at risk or
// behind"; the executive lands on the scorecard.
func TestGoalsOnTheScorecardAndHome(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		s.DB.Clock.Set(time.Date(2026, time.November, 15, 12, 0, 0, 0, time.UTC))
		testutil.AddScorecardDeals(t, s.DB)
		pam := testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		tina := testutil.CreateUser(t, s.DB, "tina@example.com", vouch.RoleTeamMember)
		testutil.CreateUser(t, s.DB, "vic@example.com", vouch.RoleViewer)
		pm := testutil.Login(t, s, "pam@example.com")
		pm.Get("/goals/new")
		for _, g := range []url.Values{
			// 9 of 10 by 15 November: past the 8.7 linear pacing expects.
			{"name": {"Ten influenced wins this year"}, "objective": {"Prove the program's effect on revenue"}, "metric": {"deals_influenced"},
				"target": {"10"}, "period": {"this_year"}},
			// 9 of 12 and the quarter is over.
			{"name": {"Twelve influenced wins in Q3"}, "objective": {"Prove the program's effect on revenue"}, "metric": {"deals_influenced"},
				"target": {"12"}, "period": {"custom"}, "from": {"2026-07-01"}, "to": {"2026-09-30"}},
			// None of 40 by mid-November, owned by Tina.
			{"name": {"Forty requests in November"}, "objective": {"Launch Product X"}, "metric": {"requests_received"},
				"target": {"40"}, "period": {"this_month"}, "owner": {fmt.Sprint(tina.ID)}},
		} {
			g.Set("kind", "program")
			if g.Get("owner") == "" {
				g.Set("owner", fmt.Sprint(pam.ID)) // the form's default: who sets it
			}
			if resp, body := pm.PostForm("/goals/new", g); resp.StatusCode != http.StatusOK {
				t.Fatalf("set %q: %d\n%s", g.Get("name"), resp.StatusCode, body)
			}
		}

		_, card := pm.Get("/scorecard?period=2026-Q3")
		goalsSection := regexp.MustCompile(`(?s)<section class="sc-section" id="sc-goals".*?</section>`).FindString(card)
		text := strings.Join(strings.Fields(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(goalsSection, " ")), " ")
		for _, want := range []string{"Ten influenced wins this year", "On track", "Twelve influenced wins in Q3", "Missed",
			"Serves: Prove the program"} {
			if !strings.Contains(text, want) {
				t.Errorf("the scorecard's goal progress lacks %q: %s", want, text)
			}
		}
		if strings.Contains(text, "Forty requests in November") {
			t.Errorf("a November goal is on the Q3 scorecard: %s", text)
		}
		_, nov := pm.Get("/scorecard?period=2026-11")
		if !strings.Contains(nov, "Forty requests in November") || !strings.Contains(nov, "Behind") {
			t.Errorf("the November scorecard does not show the November goal behind")
		}

		_, home := pm.Get("/")
		mine := regexp.MustCompile(`(?s)id="my-goals-heading".*?</section>`).FindString(home)
		if !strings.Contains(mine, "Ten influenced wins this year") || strings.Contains(mine, "Forty requests") {
			t.Errorf("the manager's own goals on their home: %s", mine)
		}
		attention := regexp.MustCompile(`(?s)id="attention-heading".*?</section>`).FindString(home)
		if !strings.Contains(attention, "Goals at risk or behind") || !strings.Contains(attention, "Forty requests in November") ||
			strings.Contains(attention, "Ten influenced wins") {
			t.Errorf("goals at risk on the manager's home: %s", attention)
		}
		tm := testutil.Login(t, s, "tina@example.com")
		if _, home := tm.Get("/"); !strings.Contains(home, "Your goals") || !strings.Contains(home, "Forty requests in November") {
			t.Errorf("Tina's home does not show her goal")
		}

		viewer := testutil.Login(t, s, "vic@example.com")
		resp, body := viewer.Get("/")
		expect(t, "the executive's home", resp, http.StatusOK, "/scorecard")
		mustContain(t, "the executive's home", body, "Ten influenced wins this year")
	})
}
