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

// A program manager takes the daily triage, sees it in their week and on
// the home page, marks it done and finds it in the task's history; a skip
// without a note is refused. Sellers and viewers cannot reach the cadence.
func TestCadencePagesByRole(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		s.DB.Clock.Set(time.Date(2027, time.March, 3, 9, 0, 0, 0, time.UTC)) // a Wednesday
		testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		testutil.CreateUser(t, s.DB, "vic@example.com", vouch.RoleViewer)
		pm := testutil.Login(t, s, "pam@example.com")
		for _, who := range []string{"sam@example.com", "vic@example.com"} {
			b := testutil.Login(t, s, who)
			if resp, _ := b.Get("/cadence"); resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s: /cadence answered %d", who, resp.StatusCode)
			}
		}

		resp, body := pm.Get("/cadence")
		expect(t, "cadence", resp, http.StatusOK, "/cadence")
		mustContain(t, "cadence", body, "Nothing due for you this week.", "Triage requests due within 72 hours", "Every working day",
			"Publish the scorecard", "Monthly on the 5th", "Meet the sales advisory board", "Quarterly: 3rd month of the quarter, on the 15th")
		tasks, err := s.DB.CadenceTasks(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		triage := tasks[0]
		me := userByEmail(t, s.DB, "pam@example.com")
		resp, body = pm.PostForm(fmt.Sprintf("/cadence/tasks/%d", triage.ID), url.Values{"assignee": {fmt.Sprint(me.ID)},
			"version": {fmt.Sprint(triage.Version)}, "back": {"list"}})
		expect(t, "assign", resp, http.StatusOK, "/cadence")
		mustContain(t, "assigned", body, "Saved “Triage requests due within 72 hours”.", `href="/requests?tab=due"`, "Due 3 Mar 2027")

		_, home := pm.Get("/")
		mustContain(t, "home", home, "Your cadence this week", "Triage requests due within 72 hours")

		id := regexp.MustCompile(`action="/cadence/occurrences/(\d+)"`).FindStringSubmatch(body)
		if id == nil {
			t.Fatalf("no done form:\n%s", body)
		}
		resp, body = pm.PostForm("/cadence/occurrences/"+id[1], url.Values{"action": {"skip"}, "note": {""}, "back": {"/cadence"}})
		expect(t, "skip without a note", resp, http.StatusOK, "/cadence")
		mustContain(t, "skip refused", body, "To skip, write why in the note")
		resp, body = pm.PostForm("/cadence/occurrences/"+id[1], url.Values{"action": {"done"}, "note": {"Two requests reassigned"}, "back": {"/cadence"}})
		expect(t, "done", resp, http.StatusOK, "/cadence")
		mustContain(t, "done", body, "marked done.", "Done by Pam", "Two requests reassigned")

		_, hist := pm.Get(fmt.Sprintf("/cadence/tasks/%d", triage.ID))
		mustContain(t, "history", hist, "History", "3 Mar 2027", "Two requests reassigned", `class="pill pill-ok">Done`)

		// A task the team adds, with a day no month has: refused, saying why.
		resp, body = pm.PostForm("/cadence/tasks", url.Values{"title": {"Report to the CMO"}, "recurrence": {"monthly"}, "day": {"32"}})
		expect(t, "bad task", resp, http.StatusOK, "/cadence")
		mustContain(t, "bad task", body, "The task was not added: day must be a day of the month from 1 to 31")
		resp, body = pm.PostForm("/cadence/tasks", url.Values{"title": {"Report to the CMO"}, "recurrence": {"monthly"}, "day": {"31"},
			"assignee": {fmt.Sprint(me.ID)}})
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Task “Report to the CMO” added: monthly on the 31st") {
			t.Fatalf("task added: %d\n%s", resp.StatusCode, body)
		}
	})
}

// The program team records a health assessment; an executive reads the
// page with its chart but cannot assess; a seller cannot see it.
func TestHealthPagesByRole(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		s.DB.Clock.Set(time.Date(2027, time.March, 3, 9, 0, 0, 0, time.UTC))
		testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		testutil.CreateUser(t, s.DB, "vic@example.com", vouch.RoleViewer)
		pm, seller, exec := testutil.Login(t, s, "pam@example.com"), testutil.Login(t, s, "sam@example.com"), testutil.Login(t, s, "vic@example.com")
		if resp, _ := seller.Get("/health"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("seller: /health answered %d", resp.StatusCode)
		}
		resp, body := pm.Get("/health")
		expect(t, "health", resp, http.StatusOK, "/health")
		mustContain(t, "empty health", body, "No assessment yet.", "Horizontal integration (PR, AR, IR, RFP)", "Not measured yet",
			"Scorecard published this month", "Median time to fulfil", "Coverage gaps closed this quarter", "No recruiting campaign started from a gap this quarter")

		resp, body = pm.PostForm("/health", url.Values{"assessed_on": {"2027-03-04"}, "stage_vision": {"focused"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("future assessment: %d", resp.StatusCode)
		}
		mustContain(t, "future", body, "must not be in the future")
		resp, _ = pm.PostForm("/health", url.Values{"assessed_on": {"2027-01-10"}, "stage_vision": {"emerging"}, "stage_metrics": {"underdeveloped"}})
		expect(t, "first", resp, http.StatusOK, "/health")
		resp, body = pm.PostForm("/health", url.Values{"stage_vision": {"focused"}, "note_vision": {"Charter signed by the CRO"},
			"stage_metrics": {"underdeveloped"}, "note": {"After the QBR"}})
		expect(t, "second", resp, http.StatusOK, "/health")
		mustContain(t, "health", body, "Assessment of 3 Mar 2027 saved.", "Up from Emerging", "Unchanged", "Charter signed by the CRO",
			"<svg", "Assessment date", "Stage (1–4)", "After the QBR")

		resp, body = exec.Get("/health?element=metrics")
		expect(t, "executive", resp, http.StatusOK, "/health")
		mustContain(t, "executive", body, "<svg", "average and Metrics")
		if strings.Contains(body, `href="/health/new"`) || strings.Contains(body, `href="/requests`) || strings.Contains(body, `href="/cadence"`) {
			t.Error("the executive is offered what they may not open")
		}
		if resp, _ := exec.Get("/health/new"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("executive: /health/new answered %d", resp.StatusCode)
		}
	})
}
