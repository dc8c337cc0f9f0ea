package api_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestCadenceAndHealthAPI runs the week through the API — assign, close,
// skip with and without a note — and records a health assessment; it
// checks who may do which.
func TestCadenceAndHealthAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		f.srv.DB.Clock.Set(time.Date(2027, time.January, 29, 12, 0, 0, 0, time.UTC)) // a Friday
		tm := f.users["team_member"].ID
		var task struct {
			ID       int64  `json:"id"`
			Version  int    `json:"version"`
			Schedule string `json:"schedule"`
		}
		var week struct {
			From  string `json:"from"`
			Items []struct {
				Occurrence struct {
					ID    int64  `json:"id"`
					DueOn string `json:"due_on"`
				} `json:"occurrence"`
				Task struct {
					Title string `json:"title"`
				} `json:"task"`
			} `json:"items"`
		}
		f.run(t, []scenario{
			{name: "a seller has no cadence", method: "GET", path: "/api/v1/cadence/tasks", as: "seller", status: 403},
			{name: "nor an executive", method: "GET", path: "/api/v1/cadence/week", as: "viewer", status: 403},
			{name: "the defaults", method: "GET", path: "/api/v1/cadence/tasks", as: "team_member", status: 200,
				want: []string{"Triage requests due within 72 hours", "Re-verify references not verified in 12 months", `"total":6`}},
			{name: "every problem named", method: "POST", path: "/api/v1/cadence/tasks", as: "program_manager",
				body:   `{"title": "", "recurrence": "quarterly", "month": 4, "day": 0, "assignee_email": "seller@example.com"}`,
				status: 400, fields: []string{"title", "month", "day", "assignee"}},
			{name: "a monthly task on the 31st", method: "POST", path: "/api/v1/cadence/tasks", as: "program_manager",
				body:   fmt.Sprintf(`{"title": "Report to the CMO", "recurrence": "monthly", "day": 31, "assignee_id": %d}`, tm),
				status: 201, check: func(t *testing.T, r response) { r.decode(t, &task) }},
		})
		if task.ID == 0 || task.Schedule != "Monthly on the 31st (or the month's last day)" {
			t.Fatalf("task %+v", task)
		}
		f.get(t, "team_member", "/api/v1/cadence/week", &week)
		if week.From != "2027-01-25" || len(week.Items) != 1 || week.Items[0].Occurrence.DueOn != "2027-01-31" {
			t.Fatalf("week %+v", week)
		}
		occ := fmt.Sprintf("/api/v1/cadence/occurrences/%d/close", week.Items[0].Occurrence.ID)
		f.run(t, []scenario{
			{name: "skip needs a note", method: "POST", path: occ, as: "team_member", body: `{"status": "skipped"}`,
				status: 400, fields: []string{"note"}},
			{name: "done", method: "POST", path: occ, as: "team_member", body: `{"status": "done", "note": "Sent"}`,
				status: 200, want: []string{`"status":"done"`, `"note":"Sent"`}},
			{name: "not twice", method: "POST", path: occ, as: "program_manager", body: `{"status": "skipped", "note": "x"}`, status: 409},
			{name: "stale version", method: "PATCH", path: fmt.Sprintf("/api/v1/cadence/tasks/%d", task.ID), as: "program_manager",
				body: `{"day": 30, "version": 7}`, status: 409},
			{name: "history", method: "GET", path: fmt.Sprintf("/api/v1/cadence/tasks/%d", task.ID), as: "program_manager",
				status: 200, want: []string{`"due_on":"2027-01-31"`, `"status":"done"`}},
			{name: "everyone's week", method: "GET", path: "/api/v1/cadence/week?assignee_id=0&day=2027-02-24", as: "program_manager",
				status: 200, want: []string{`"from":"2027-02-22"`}},
			{name: "a bad day", method: "GET", path: "/api/v1/cadence/week?day=soon", as: "program_manager", offSpec: true, status: 400, fields: []string{"day"}},

			{name: "a seller reads no health", method: "GET", path: "/api/v1/health", as: "seller", status: 403},
			{name: "an executive may not assess", method: "POST", path: "/api/v1/health/assessments", as: "viewer",
				body: `{"ratings": [{"element": "vision", "stage": "focused"}]}`, status: 403},
			{name: "an unknown element and stage", method: "POST", path: "/api/v1/health/assessments", as: "team_member", offSpec: true,
				body:   `{"ratings": [{"element": "luck", "stage": "focused"}, {"element": "vision", "stage": "great"}]}`,
				status: 400, fields: []string{"ratings.luck", "ratings.vision"}},
			{name: "an assessment", method: "POST", path: "/api/v1/health/assessments", as: "team_member",
				body:   `{"note": "Q4 review", "ratings": [{"element": "vision", "stage": "focused"}, {"element": "operations", "stage": "2", "note": "Spreadsheets"}]}`,
				status: 201, want: []string{`"assessed_on":"2027-01-29"`, `"stage":3`, `"Spreadsheets"`}},
			{name: "an executive reads it", method: "GET", path: "/api/v1/health", as: "viewer", status: 200,
				check: func(t *testing.T, r response) {
					for _, want := range []string{`"Q4 review"`, `"element":"horizontal_integration"`, `"Not measured yet"`, `"Scorecard published this month"`} {
						if !strings.Contains(string(r.body), want) {
							t.Errorf("health lacks %s", want)
						}
					}
				}},
		})
	})
}
