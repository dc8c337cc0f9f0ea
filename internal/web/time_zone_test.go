package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// setZone gives u the time zone zone, as an admin would.
func setZone(t *testing.T, db *store.DB, u *vouch.User, zone string) {
	t.Helper()
	if _, err := db.UpdateUser(ctx, u.ID, vouch.UserUpdate{TimeZone: &zone}); err != nil {
		t.Fatal(err)
	}
	u.TimeZone = zone
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, ok := vouch.Zone(name)
	if !ok {
		t.Fatalf("no zone %s", name)
	}
	return loc
}

// A user sets their own zone on Your account, an admin anyone's; an
// unknown zone is refused on the field, and every change is audited.
func TestUserTimeZonePages(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		ada := testutil.CreateUser(t, s.DB, "ada@example.com", vouch.RoleAdmin)
		sam := testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)

		b := testutil.Login(t, s, "sam@example.com")
		resp, body := b.Get("/account")
		expect(t, "account", resp, http.StatusOK, "/account")
		mustContain(t, "account", body, `action="/account/time-zone"`, `placeholder="UTC"`, "leave empty for the program's zone, UTC")
		resp, body = b.PostForm("/account/time-zone", url.Values{"time_zone": {"Mars/Olympus"}})
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("an unknown zone: status %d, want 400", resp.StatusCode)
		}
		mustContain(t, "an unknown zone", body, `id="time_zone-error"`, "Time zone must be a time zone like Europe/Berlin", `value="Mars/Olympus"`)
		if got := userByEmail(t, s.DB, "sam@example.com").TimeZone; got != "" {
			t.Errorf("a refused zone was saved: %q", got)
		}
		resp, body = b.PostForm("/account/time-zone", url.Values{"time_zone": {"Asia/Tokyo"}})
		expect(t, "save zone", resp, http.StatusOK, "/account")
		mustContain(t, "save zone", body, "Times are shown in Asia/Tokyo.", `value="Asia/Tokyo"`)
		if got := userByEmail(t, s.DB, "sam@example.com").TimeZone; got != "Asia/Tokyo" {
			t.Errorf("saved zone %q, want Asia/Tokyo", got)
		}

		admin := testutil.Login(t, s, "ada@example.com")
		path := fmt.Sprintf("/admin/users/%d", sam.ID)
		_, body = admin.Get(path)
		mustContain(t, "user page", body, "reads times in Asia/Tokyo", `name="time_zone"`)
		resp, body = admin.PostForm(path, url.Values{"name": {sam.Name}, "role": {"seller"}, "time_zone": {"Europe/Nowhere"}})
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("admin, an unknown zone: status %d, want 400", resp.StatusCode)
		}
		mustContain(t, "admin, an unknown zone", body, `id="time_zone-error"`)
		resp, body = admin.PostForm(path, url.Values{"name": {sam.Name}, "role": {"seller"}, "time_zone": {""}})
		expect(t, "admin clears the zone", resp, http.StatusOK, path)
		mustContain(t, "admin clears the zone", body, "reads times in the program's zone (UTC)")
		resp, _ = admin.PostForm("/admin/users", url.Values{"email": {"kai@example.com"}, "name": {"Kai"}, "role": {"seller"},
			"password": {"a long enough password"}, "time_zone": {"America/Denver"}})
		expect(t, "admin adds a user", resp, http.StatusOK, "/admin/users")
		if got := userByEmail(t, s.DB, "kai@example.com").TimeZone; got != "America/Denver" {
			t.Errorf("new user's zone %q, want America/Denver", got)
		}

		entries, _, err := s.DB.ListAudit(ctx, vouch.AuditFilter{EntityType: "user", EntityID: sam.ID, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		var zones []string
		for _, e := range entries {
			for _, c := range e.Changes {
				if c.Field == "time_zone" {
					zones = append(zones, fmt.Sprint(c.Before, "→", c.After))
				}
			}
		}
		if len(zones) != 2 {
			t.Errorf("time zone changes audited: %v, want the user's and the admin's", zones)
		}

		// The admin in Tokyo reads the user's history in Tokyo time.
		setZone(t, s.DB, ada, "Asia/Tokyo")
		_, body = admin.Get(path)
		mustContain(t, "the history in the admin's zone", body, ` JST</span>`)
		if strings.Contains(body, ` UTC</span>`) {
			t.Error("the history shows a time in UTC to an admin in Tokyo")
		}
	})
}

// One call, one instant: scheduled in the advocate's zone by a team member
// in Berlin, it reads 10:00 in Denver with each reader's own time beside
// it — in the confirmation, on the card and the timeline, and in the
// seller's mail; the advocate's mail says it in Denver time only.
func TestScheduleReadsInEachReadersZone(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		l := newAdvocateLoop(t, s)
		setZone(t, s.DB, l.team, "Europe/Berlin")
		setZone(t, s.DB, l.seller, "Asia/Tokyo")
		capacity := 3
		maya := &vouch.Reference{AccountID: l.acct.ID, Name: "Maya Okafor", Title: "CIO", Status: vouch.StatusActive,
			Email: "maya.okafor@acme.example", CapacityOverride: &capacity, TimeZone: "America/Denver",
			Activities: []vouch.AgreedActivity{{TypeID: l.call}}}
		if err := s.DB.CreateReference(ctx, maya); err != nil {
			t.Fatal(err)
		}
		denver, berlin, tokyo := mustZone(t, "America/Denver"), mustZone(t, "Europe/Berlin"), mustZone(t, "Asia/Tokyo")
		a, token := l.ask(t, maya)
		if resp, _ := answer(t, s, "/a/"+token, url.Values{"action": {"accept"}}); resp.StatusCode != http.StatusOK {
			t.Fatalf("accept: %d", resp.StatusCode)
		}
		page := fmt.Sprintf("/requests/%d", a.RequestID)

		tess := testutil.Login(t, s, "tess@example.com")
		_, body := tess.Get(page)
		mustContain(t, "the picker", body, `<option value="America/Denver">America/Denver (Maya Okafor&#39;s)</option>`,
			`<option value="Europe/Berlin">Europe/Berlin (yours)</option>`, `<option value="UTC">UTC (the program&#39;s)</option>`)
		if strings.Index(body, `value="America/Denver"`) > strings.Index(body, `value="Europe/Berlin"`) {
			t.Error("the picker does not default to the advocate's zone")
		}

		day := time.Now().In(denver).AddDate(0, 0, 10)
		at := time.Date(day.Year(), day.Month(), day.Day(), 10, 0, 0, 0, denver)
		resp, body := tess.PostForm(fmt.Sprintf("%s/asks/%d/schedule", page, a.ID), url.Values{
			"scheduled_at": {at.Format("2006-01-02T15:04")}, "time_zone": {"America/Denver"}, "duration_minutes": {"30"}})
		expect(t, "schedule", resp, http.StatusOK, page)
		forTess := vouch.TimeFor(at, denver, berlin)
		if !strings.HasPrefix(strings.SplitN(forTess, ", ", 2)[1], "10:00 M") || !strings.Contains(forTess, "your time") {
			t.Fatalf("the time for Tess reads %q", forTess)
		}
		mustContain(t, "the confirmation", body, "Scheduled for "+forTess+".")
		mustContain(t, "Tess's card", body, "<strong>"+forTess+"</strong>")
		mustContain(t, "Tess's timeline", body, "<p>Scheduled for "+forTess+" <span")
		if strings.Contains(body, "UTC</strong>") || strings.Contains(body, "Scheduled for "+at.UTC().Format("2 Jan 2006")) {
			t.Error("the request page still shows the call in UTC")
		}
		got, err := s.DB.Ask(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ScheduledAt == nil || !got.ScheduledAt.Equal(at) {
			t.Fatalf("stored %v, want %v", got.ScheduledAt, at.UTC())
		}

		forSam := vouch.TimeFor(at, denver, tokyo)
		_, body = testutil.Login(t, s, "sam@example.com").Get(page)
		mustContain(t, "Sam's card and timeline", body, "<strong>"+forSam+"</strong>", "<p>Scheduled for "+forSam+" <span")

		mails, _, err := s.DB.ListOutbox(ctx, vouch.OutboxFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var sellerMail, advocateMail string
		for _, m := range mails {
			if strings.HasPrefix(m.Subject, "Scheduled:") {
				switch m.To {
				case l.seller.Email:
					sellerMail = m.Body
				case maya.Email:
					advocateMail = m.Body
				}
			}
		}
		mustContain(t, "the seller's mail", sellerMail, "is set for "+forSam+" (30 minutes)")
		mustContain(t, "the advocate's mail", advocateMail, "is set for "+vouch.TimeIn(at, denver)+" (30 minutes)")
		if strings.Contains(advocateMail, "your time") {
			t.Errorf("the advocate reads another zone's time: %s", advocateMail)
		}

		// Rescheduled in Tess's own zone: the same instant reads the same way.
		later := at.Add(24 * time.Hour)
		resp, body = tess.PostForm(fmt.Sprintf("%s/asks/%d/schedule", page, a.ID), url.Values{
			"scheduled_at": {later.In(berlin).Format("2006-01-02T15:04")}, "time_zone": {"Europe/Berlin"}, "duration_minutes": {"30"}})
		expect(t, "reschedule", resp, http.StatusOK, page)
		forTess = vouch.TimeFor(later, denver, berlin)
		mustContain(t, "rescheduled in Berlin time", body, "Scheduled for "+forTess+".", "<strong>"+forTess+"</strong>", "<p>Rescheduled to "+forTess+" <span")
	})
}

// Marked completed before its scheduled time, a call asks the day it
// actually took place — today unless told, never in the future nor before
// the request was made — and the activity counts on that day.
func TestEarlyCompletionAsksTheDay(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		l := newAdvocateLoop(t, s)
		maya := l.reference(t, "Maya Okafor", 3)
		a, token := l.ask(t, maya)
		if resp, _ := answer(t, s, "/a/"+token, url.Values{"action": {"accept"}}); resp.StatusCode != http.StatusOK {
			t.Fatalf("accept: %d", resp.StatusCode)
		}
		if _, err := l.svc.Schedule(ctx, l.team, a.ID, vouch.Schedule{At: time.Now().Add(72 * time.Hour), DurationMinutes: 30}); err != nil {
			t.Fatal(err)
		}
		req, err := s.DB.Request(ctx, a.RequestID)
		if err != nil {
			t.Fatal(err)
		}
		page := fmt.Sprintf("/requests/%d", a.RequestID)
		made, today := s.DB.Clock.DayOf(req.CreatedAt), s.DB.Today()

		tess := testutil.Login(t, s, "tess@example.com")
		_, body := tess.Get(page)
		mustContain(t, "the completion form", body, "Date it actually took place", `value="`+today.String()+`" min="`+made.String()+`" max="`+today.String()+`" required`,
			"It was scheduled for later; say the day it took place.")

		complete := fmt.Sprintf("%s/asks/%d/complete", page, a.ID)
		for _, c := range []struct{ day, says string }{
			{made.AddDays(-1).String(), "cannot have taken place before the request was made"},
			{today.AddDays(1).String(), "cannot be completed in the future"},
		} {
			_, body = tess.PostForm(complete, url.Values{"outcome": {"completed"}, "occurred_on": {c.day}})
			mustContain(t, "completing on "+c.day, body, c.says)
			if askState(t, s.DB, a.ID) != vouch.AskScheduled {
				t.Fatalf("completing on %s changed the ask", c.day)
			}
		}
		resp, body := tess.PostForm(complete, url.Values{"outcome": {"completed"}, "occurred_on": {made.String()}})
		expect(t, "complete", resp, http.StatusOK, page)
		mustContain(t, "complete", body, "Completed: the activity is on Maya Okafor", "Completed on "+made.String())
		acts, err := s.DB.Activities(ctx, maya.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(acts) != 1 || acts[0].OccurredOn != made || acts[0].State != vouch.ActivityDone {
			t.Errorf("activities %+v, want one done on %s, the day given", acts, made)
		}
	})
}
