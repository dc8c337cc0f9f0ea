package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/cadence"
	"github.com/vouchhq/vouch/internal/health"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestCadenceWeekOnPhone: a program manager with the daily triage and the
// monthly scorecard opens their week at 375 px, marks the triage done
// with a note, and sees it done in the week and in the task's history.
func TestCadenceWeekOnPhone(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		s.DB.Clock.Set(time.Date(2027, time.March, 5, 9, 0, 0, 0, time.UTC)) // a Friday, the scorecard's day
		pm := testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		ctx := vouch.WithActor(context.Background(), vouch.Actor{UserID: pm.ID, Label: pm.Email})
		svc := cadence.New(s.DB, nil)
		tasks, err := svc.Tasks(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		var triage *vouch.CadenceTask
		for _, task := range tasks {
			if task.Kind == vouch.CadenceTriage || task.Kind == vouch.CadenceScorecard {
				if _, err := svc.Update(ctx, task.ID, cadence.Input{AssigneeID: &pm.ID, Version: &task.Version}); err != nil {
					t.Fatal(err)
				}
			}
			if task.Kind == vouch.CadenceTriage {
				triage = task
			}
		}
		c.LoginAs(s, "pam@example.com")
		c.Phone()
		// The home page's block leads to the week.
		c.Open(s.URL + "/")
		if got := c.Text(".home-cadence"); !strings.Contains(got, "Triage requests due within 72 hours") {
			t.Errorf("home: %q", got)
		}
		c.Submit(`.home-cadence a[href="/cadence"]`)
		week := c.Text("#week-heading")
		if week != "This week" {
			t.Errorf("heading %q", week)
		}
		body := c.Text("main")
		for _, want := range []string{"Triage requests due within 72 hours", "Publish the scorecard", "Due 5 Mar 2027"} {
			if !strings.Contains(body, want) {
				t.Errorf("the week does not show %q:\n%s", want, body)
			}
		}
		checkNoHorizontalScroll(t, c, "cadence week")
		c.Screenshot("cadence-phone")

		item := `li.cadence-item:has(a[href="/requests?tab=due"])`
		c.Fill(item+` input[name="note"]`, "Two requests reassigned to Omar")
		c.Submit(item + ` button[value="done"]`)
		c.WaitText(".flash", "marked done")
		if got := c.Text(item); !strings.Contains(got, "Done by Pam") || !strings.Contains(got, "Two requests reassigned to Omar") {
			t.Errorf("the triage after done: %q", got)
		}
		if c.Has(item + ` form.cadence-close`) {
			t.Error("a done occurrence still offers done and skip")
		}
		c.Open(fmt.Sprintf("%s/cadence/tasks/%d", s.URL, triage.ID))
		if got := c.Text(".cadence-history"); !strings.Contains(got, "Done") || !strings.Contains(got, "Two requests reassigned to Omar") {
			t.Errorf("history: %q", got)
		}
		checkNoHorizontalScroll(t, c, "cadence task")
	})
}

// TestHealthPageWithChart: a program manager assesses the program on the
// form at 375 px; the health page then shows each element's stage beside
// what Vouch measures, and a trend chart drawn on the server.
func TestHealthPageWithChart(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		s.DB.Clock.Set(time.Date(2027, time.March, 5, 9, 0, 0, 0, time.UTC))
		pm := testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		ctx := vouch.WithActor(context.Background(), vouch.Actor{UserID: pm.ID, Label: pm.Email})
		if _, err := health.New(s.DB, nil, nil, nil).Record(ctx, health.Input{AssessedOn: "2026-12-01", Ratings: []health.RatingInput{
			{Element: "vision", Stage: "emerging"}, {Element: "metrics", Stage: "underdeveloped"}, {Element: "operations", Stage: "emerging"}}}); err != nil {
			t.Fatal(err)
		}
		c.LoginAs(s, "pam@example.com")
		c.Phone()
		c.Open(s.URL + "/health/new")
		checkNoHorizontalScroll(t, c, "health form")
		if got := c.Value("#stage_vision"); got != "emerging" {
			t.Errorf("vision starts at %q, want the last rating", got)
		}
		c.Select("#stage_vision", "Focused")
		c.Select("#stage_metrics", "Emerging")
		c.Fill("#note_metrics", "Scorecard goes out monthly now")
		c.Submit(".health-form button.primary")
		c.WaitText(".flash", "Assessment of 5 Mar 2027 saved.")
		if got := c.Text("#element-vision"); !strings.Contains(got, "Focused") || !strings.Contains(got, "Up from Emerging") {
			t.Errorf("vision row: %q", got)
		}
		if got := c.Text("#element-metrics"); !strings.Contains(got, "Scorecard published this month") || !strings.Contains(got, "Scorecard goes out monthly now") {
			t.Errorf("metrics row: %q", got)
		}
		if got := c.Text("#element-promotion"); !strings.Contains(got, "Not measured yet") {
			t.Errorf("promotion row: %q", got)
		}
		if n := testutil.Eval[int](c, `document.querySelectorAll(".health-chart svg path").length`); n == 0 {
			t.Error("no trend chart drawn")
		}
		for _, want := range []string{"Assessment date", "Stage (1–4)"} {
			if !testutil.Eval[bool](c, fmt.Sprintf(`document.querySelector(".health-chart svg").textContent.includes(%q)`, want)) {
				t.Errorf("the chart lacks %q", want)
			}
		}
		checkNoHorizontalScroll(t, c, "health page")
		c.Screenshot("health-phone")
	})
}
