package api_test

import (
	"fmt"
	"testing"
	"time"
)

// goalAPIItem is a Goal as the API answers it.
type goalAPIItem struct {
	ID        int64               `json:"id"`
	Kind      string              `json:"kind"`
	Name      string              `json:"name"`
	Objective string              `json:"objective"`
	From      string              `json:"from"`
	To        string              `json:"to"`
	Filters   map[string][]string `json:"filters"`
	OwnerID   *int64              `json:"owner_id"`
	Archived  bool                `json:"archived"`
	Version   int                 `json:"version"`
	Progress  struct {
		Pace     string   `json:"pace"`
		Expected float64  `json:"expected"`
		Current  *float64 `json:"current"`
	} `json:"progress"`
}

// TestGoalsAPI sets a program goal and a team member goal through the API,
// and checks who may set, read and archive them.
func TestGoalsAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		f.srv.DB.Clock.Set(time.Date(2026, time.November, 15, 12, 0, 0, 0, time.UTC))
		var program, member goalAPIItem
		tm := f.users["team_member"].ID
		f.run(t, []scenario{
			{name: "a seller may not set goals", method: "POST", path: "/api/v1/goals", as: "seller",
				body: `{"name": "x"}`, status: 403},
			{name: "nor a team member", method: "POST", path: "/api/v1/goals", as: "team_member",
				body: `{"name": "x"}`, status: 403},
			{name: "a seller may not read goals", method: "GET", path: "/api/v1/goals", as: "seller", status: 403},
			{name: "every problem named", method: "POST", path: "/api/v1/goals", as: "program_manager",
				body: `{"name": "", "metric": "requests_overdue", "target": -1, "filters": {"industry": ["Helthcare"]},
					"from": "2026-12-01", "to": "2026-11-01"}`,
				status: 400, fields: []string{"name", "objective", "metric", "target", "filters.industry", "to"},
				want: []string{`did you mean \"Healthcare\"?`}},
			{name: "unknown field", method: "POST", path: "/api/v1/goals", as: "program_manager",
				body: `{"name": "x", "colour": "red"}`, offSpec: true, status: 400, fields: []string{"colour"}},
			{name: "program goal", method: "POST", path: "/api/v1/goals", as: "program_manager",
				body: `{"name": "12 new Healthcare references", "objective": "grow Healthcare in EMEA",
					"metric": "references_added", "target": 12, "period": "this_quarter",
					"filters": {"industry": ["healthcare"], "region": ["EMEA"]}}`,
				status: 201, check: func(t *testing.T, r response) {
					r.decode(t, &program)
					if program.From != "2026-10-01" || program.To != "2026-12-31" || program.Filters["industry"][0] != "Healthcare" ||
						program.Progress.Pace == "" || program.Version != 1 {
						t.Errorf("created %+v", program)
					}
				}},
			{name: "member goal", method: "POST", path: "/api/v1/goals", as: "program_manager",
				body: fmt.Sprintf(`{"kind": "member", "name": "Write 3 case studies", "metric": "content_created", "target": 3,
					"from": "2026-11-01", "to": "2026-11-30", "owner_id": %d}`, tm),
				status: 201, check: func(t *testing.T, r response) { r.decode(t, &member) }},
		})
		if program.ID == 0 || member.ID == 0 {
			t.Fatal("goals not created")
		}
		one := fmt.Sprintf("/api/v1/goals/%d", program.ID)
		mine := fmt.Sprintf("/api/v1/goals/%d", member.ID)
		var list struct {
			Items []goalAPIItem `json:"items"`
			Total int           `json:"total"`
		}
		f.get(t, "team_member", "/api/v1/goals", &list)
		if list.Total != 2 {
			t.Errorf("the team member sees %d goals, want the program's and their own", list.Total)
		}
		f.get(t, "viewer", "/api/v1/goals", &list)
		if list.Total != 1 || list.Items[0].ID != program.ID {
			t.Errorf("the viewer sees %+v, want the program goal only", list.Items)
		}
		f.run(t, []scenario{
			{name: "a member goal is hidden from others", method: "GET", path: mine, as: "viewer", status: 404},
			{name: "and shown to its member", method: "GET", path: mine, as: "team_member", status: 200},
			{name: "update needs the version", method: "PATCH", path: one, as: "program_manager",
				body: `{"target": 15}`, status: 400, fields: []string{"version"}},
			{name: "update", method: "PATCH", path: one, as: "program_manager",
				body: `{"target": 15, "version": 1}`, status: 200, want: []string{`"target":15`, `"version":2`}},
			{name: "a stale version", method: "PATCH", path: one, as: "program_manager",
				body: `{"target": 16, "version": 1}`, status: 409},
			{name: "a team member may not archive", method: "DELETE", path: one, as: "team_member", status: 403},
			{name: "archive", method: "DELETE", path: one + "?version=2", as: "program_manager", status: 200,
				want: []string{`"archived":true`}},
		})
		f.get(t, "viewer", "/api/v1/goals", &list)
		if list.Total != 0 {
			t.Errorf("an archived goal is still listed: %+v", list.Items)
		}
		f.get(t, "program_manager", "/api/v1/goals?archived=true", &list)
		if list.Total != 2 {
			t.Errorf("with the archived: %d goals, want 2", list.Total)
		}
	})
}
