package browsertest

import (
	"context"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestCampaignFromGapToNomination: at 375 px a program manager opens the
// coverage page, starts a recruiting campaign from the largest gap
// (Healthcare × Call), adds a contact at the best candidate, sends the
// outreach mail (edited) through the outbox, records the reply and moves
// the contact to nominated — which makes a real nomination, counted on the
// campaign, whose page names the campaign.
func TestCampaignFromGapToNomination(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		pm := testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		p := testutil.AddCoverageProgram(t, s.DB, pm.ID)
		c.LoginAs(s, "pam@example.com")
		c.Phone()
		c.Open(s.URL + "/")
		c.Submit(`.home-coverage a[href="/coverage"]`)
		first := `tr.coverage-cell[data-value="Healthcare"][data-activity="Call"]`
		if got := c.Text(first); !strings.Contains(got, "3.3") { // the default estimate: 30 % of deals, 1 reference each
			t.Fatalf("the largest gap: %q", got)
		}
		checkNoHorizontalScroll(t, c, "coverage")
		c.Submit(first + ` form.start-campaign button`)
		c.WaitText(".flash", "Campaign started")
		if got := c.Text("h1"); got != "Recruit for Healthcare × Call" {
			t.Errorf("campaign %q", got)
		}
		cand := `li[data-account="St Olave Hospitals"]`
		if got := c.Text(cand); !strings.Contains(got, "Health good") || !strings.Contains(got, "Customer for 3 years") {
			t.Errorf("the candidate's reasons: %q", got)
		}
		if c.Has(`li[data-account="Mercy Clinics"]`) {
			t.Error("an account with an active reference is a candidate")
		}
		checkNoHorizontalScroll(t, c, "campaign")
		c.Fill(cand+` input[name="name"]`, "Tomas Reyes")
		c.Fill(cand+` input[name="email"]`, "tomas.reyes@stolave.example")
		c.Submit(cand + ` button`)
		c.WaitText(".flash", "Tomas Reyes is to contact")
		// The outreach mail, filled in for the contact, edited and sent through the outbox.
		c.Submit(`tr[data-state="to_contact"] a[href$="/outreach"]`)
		if got := c.Value(`input[name="subject"]`); !strings.Contains(got, "Tomas Reyes") {
			t.Errorf("the draft's subject: %q", got)
		}
		checkNoHorizontalScroll(t, c, "outreach")
		c.Fill(`textarea[name="body"]`, "Dear Tomas,\n\nWould St Olave speak for us?\n\nPam")
		c.Submit(`main form button.primary`)
		c.WaitText(".flash", "is in the outbox")
		mails, _, err := s.DB.ListOutbox(context.Background(), vouch.OutboxFilter{})
		if err != nil || len(mails) != 1 || mails[0].To != "tomas.reyes@stolave.example" || !strings.Contains(mails[0].Body, "Would St Olave speak for us?") {
			t.Fatalf("outbox %+v (%v)", mails, err)
		}
		c.Fill(`tr[data-state="contacted"] form.contact-reply input[name="note"]`, "Wrote back after the QBR")
		c.Submit(`tr[data-state="contacted"] form.contact-reply button`)
		c.WaitText(".flash", "Reply recorded")
		for _, step := range []struct{ state, note string }{
			{"interested", "Replied: happy to take a call in March"},
			{"nominated", "Sponsor agreed"},
		} {
			row := `tr[data-state]:has(form.contact-move)`
			c.Select(row+` select[name="state"]`, step.state)
			c.Fill(row+` form.contact-move input[name="note"]`, step.note)
			c.Submit(row + ` form.contact-move button`)
		}
		c.WaitText(".flash", "is nominated")
		row := c.Text(`tr[data-state="nominated"]`)
		for _, want := range []string{"Nominated", "Reply: Wrote back after the QBR", "Replied: happy to take a call in March", "Sponsor agreed"} {
			if !strings.Contains(row, want) {
				t.Errorf("the contact after nominating: %q lacks %q", row, want)
			}
		}
		if got := c.Text(".campaign-funnel"); !strings.Contains(got, "1 nominated") {
			t.Errorf("funnel %q", got)
		}
		noms, err := s.DB.Nominations(context.Background(), store.NominationFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(noms) != 1 || noms[0].AccountID != p.CandidateAccount.ID || noms[0].Email != "tomas.reyes@stolave.example" ||
			noms[0].NominatorID != pm.ID || !strings.Contains(noms[0].Reason, "Recruit for Healthcare × Call") {
			t.Fatalf("nominations %+v", noms)
		}
		c.Submit(`tr[data-state="nominated"] a[href^="/nominations/"]`)
		if got := c.Text("main"); !strings.Contains(got, "Tomas Reyes") || !strings.Contains(got, "from campaign Recruit for Healthcare × Call") {
			t.Errorf("the nomination page: %q", got)
		}
	})
}

// TestDriveOnAPhone: at 375 px a program manager starts a review drive from
// the campaigns page, invites a reference and moves it to done with the
// review's address; the progress counts it. Closed, it keeps its progress
// and is listed apart.
func TestDriveOnAPhone(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		pm := testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		p := testutil.AddCoverageProgram(t, s.DB, pm.ID)
		c.LoginAs(s, "pam@example.com")
		c.Phone()
		c.Open(s.URL + "/campaigns")
		checkNoHorizontalScroll(t, c, "campaigns")
		c.Fill(`#drive_what`, "Review on G2")
		c.Fill(`#drive_target`, "3")
		c.Submit(`#start-drive button`)
		c.WaitText(".flash", "Drive started")
		c.Fill(`#advocate-ref`, p.Nia.Email)
		c.Submit(`form.advocate-invite button`)
		c.WaitText(".flash", "is invited")
		checkNoHorizontalScroll(t, c, "drive")
		row := `tr[data-state]:has(form.advocate-move)`
		c.Select(row+` select[name="state"]`, "agreed")
		c.Submit(row + ` form.advocate-move button`)
		c.WaitText(".flash", "Agreed")
		c.Select(row+` select[name="state"]`, "done")
		c.Fill(row+` input[name="evidence"]`, "https://g2.example/reviews/42")
		c.Submit(row + ` form.advocate-move button`)
		c.WaitText(".flash", "Done")
		if got := c.Text(".campaign-progress"); !strings.Contains(got, "1 of 3 done") {
			t.Errorf("progress %q", got)
		}
		// Closed with its outcome: the page says so, keeps the progress
		// and offers no invitation; the campaigns page lists it apart.
		c.Fill(`#campaign-outcome`, "One review in; the rest next quarter.")
		c.Submit(`form.campaign-close button`)
		c.WaitText(".flash", "Campaign closed")
		if got := c.Text(".campaign-closed"); !strings.Contains(got, "One review in; the rest next quarter.") {
			t.Errorf("the closed drive says %q", got)
		}
		if c.Has(`form.advocate-invite`) || c.Has(`form.advocate-move`) || !strings.Contains(c.Text(".campaign-progress"), "1 of 3 done") {
			t.Error("a closed drive offers invitations or lost its progress")
		}
		checkNoHorizontalScroll(t, c, "closed drive")
		c.Open(s.URL + "/campaigns")
		if got := c.Text("#closed"); !strings.Contains(got, "3 × Review on G2") {
			t.Errorf("the closed section: %q", got)
		}
	})
}
