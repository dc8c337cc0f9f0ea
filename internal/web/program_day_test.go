package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestPagesCountDaysInTheProgramZone: with the program in Kiritimati
// (UTC+14) and the clock at 23:30 UTC, it is already tomorrow for the
// program. The request form, the queue, the request page and the API all
// count due dates from the program's day, not from UTC's.
func TestPagesCountDaysInTheProgramZone(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		p := newRQProgram(t, s)
		ps, err := s.DB.ProgramSettings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ps.TimeZone = "Pacific/Kiritimati"
		if err := s.DB.SetProgramSettings(ctx, ps); err != nil {
			t.Fatal(err)
		}
		// Tonight at 23:30 UTC: 13:30 the next day in Kiritimati.
		at := time.Now().UTC().Truncate(24 * time.Hour).Add(23*time.Hour + 30*time.Minute)
		utcDay := vouch.NewDate(at.Date())
		programDay := utcDay.AddDays(1)
		s.DB.Clock.Set(at.Add(-24 * time.Hour))
		// Made a day earlier, due on what is then the program's today.
		late := p.request(t, s.DB, p.sue, "Late deal", utcDay, 0, vouch.Criteria{})
		s.DB.Clock.Set(at)
		if got := s.DB.Today(); got != programDay {
			t.Fatalf("the database's today is %s, want the program's %s", got, programDay)
		}
		onTime := p.request(t, s.DB, p.sue, "On-time deal", programDay, 0, vouch.Criteria{})

		sam := testutil.Login(t, s, "sam@example.com")
		resp, body := sam.Get("/requests/new")
		expect(t, "form", resp, http.StatusOK, "/requests/new")
		mustContain(t, "the form's earliest due date", body, `min="`+programDay.String()+`"`)
		resp, body = sam.PostForm("/requests/new", url.Values{"opportunity_id": {"new"}, "opp_name": {"Umbrella"},
			"activity_type": {idOf(p.call)}, "references_needed": {"1"}, "due_date": {utcDay.String()}})
		if resp.StatusCode == http.StatusSeeOther || !strings.Contains(body, `id="due_date-error"`) {
			t.Errorf("a due date on UTC's today (the program's yesterday): %d, want the form again with the due date refused", resp.StatusCode)
		}

		pam := testutil.Login(t, s, "pam@example.com")
		_, body = pam.Get("/requests?tab=overdue")
		mustContain(t, "overdue tab", body, "Late deal")
		if strings.Contains(body, "On-time deal") {
			t.Error("overdue tab lists a request due on the program's today")
		}
		_, body = pam.Get("/requests?tab=due")
		mustContain(t, "due tab", body, "On-time deal")
		if strings.Contains(body, "Late deal") {
			t.Error("due tab lists a request due on the program's yesterday")
		}
		_, body = pam.Get(fmt.Sprintf("/requests/%d", onTime.ID))
		mustContain(t, "request due on the program's today", body, "Due <strong>today</strong>")
		_, body = pam.Get(fmt.Sprintf("/requests/%d", late.ID))
		mustContain(t, "request due on the program's yesterday", body, "Due <strong>yesterday</strong>", "Overdue")

		token := testutil.Token(t, s.DB, p.sam)
		create := func(due vouch.Date) (int, string) {
			t.Helper()
			req, err := http.NewRequest("POST", s.URL+"/api/v1/requests", strings.NewReader(
				`{"opportunity": {"name": "API deal `+due.String()+`"}, "activity_type": "call", "due_date": "`+due.String()+`"}`))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			return resp.StatusCode, string(b)
		}
		if code, body := create(programDay); code != http.StatusCreated {
			t.Errorf("API, due on the program's today: %d %s, want 201", code, body)
		}
		if code, body := create(utcDay); code != http.StatusBadRequest || !strings.Contains(body, `"due_date"`) {
			t.Errorf("API, due on UTC's today (the program's yesterday): %d %s, want 400 naming due_date", code, body)
		}
	})
}
