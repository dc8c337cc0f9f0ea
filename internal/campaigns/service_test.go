package campaigns_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/analytics"
	"github.com/vouchhq/vouch/internal/campaigns"
	"github.com/vouchhq/vouch/internal/changefeed"
	"github.com/vouchhq/vouch/internal/nominations"
	"github.com/vouchhq/vouch/internal/references"
	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

var ctx = vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})

// fixture is a campaign for the Healthcare × Call gap of
// testutil.CoverageProgram, run by Pam, with one contact to reach.
type fixture struct {
	db      *store.DB
	svc     *campaigns.Service
	noms    *nominations.Service
	pam     *vouch.User
	p       *testutil.CoverageProgram
	camp    *vouch.Campaign
	contact *vouch.CampaignContact
}

func newFixture(t *testing.T, e store.Engine) *fixture {
	t.Helper()
	db := testutil.OpenDB(t, e)
	feed, cat, rix := testutil.ReadModels(t, db)
	ix := nominations.NewIndex(db)
	if _, err := feed.Subscribe(ctx, "duplicates", nominations.Kinds, ix); err != nil {
		t.Fatal(err)
	}
	noms := nominations.New(db, references.New(db, cat), ix)
	f := &fixture{db: db, noms: noms, svc: campaigns.New(db, cat, noms, rix.Ledger())}
	f.pam = testutil.CreateUser(t, db, "pam@example.com", vouch.RoleProgramManager)
	f.p = testutil.AddCoverageProgram(t, db, f.pam.ID)
	var err error
	f.camp, err = f.svc.Start(ctx, f.pam, vouch.Campaign{Dimension: "industry", ValueID: f.p.Healthcare, ActivityTypeID: f.p.Call})
	if err != nil {
		t.Fatal(err)
	}
	f.contact, err = f.svc.AddContact(ctx, f.pam, vouch.CampaignContact{CampaignID: f.camp.ID, AccountID: f.p.CandidateAccount.ID,
		Name: "Tomas Reyes", Email: "tomas@stolave.example"})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// Moving a contact to nominated makes the nomination, naming the campaign,
// in the transaction that moves the contact: when the move fails because
// someone moved the contact meanwhile, no nomination is left behind.
func TestNominateInOneTransaction(t *testing.T) {
	for _, e := range testutil.Engines(t) {
		t.Run(string(e), func(t *testing.T) {
			f := newFixture(t, e)
			c, err := f.svc.Move(ctx, f.pam, f.contact.ID, 1, vouch.OutreachContacted, "Called")
			if err == nil {
				c, err = f.svc.Move(ctx, f.pam, c.ID, c.Version, vouch.OutreachInterested, "Said yes")
			}
			if err != nil {
				t.Fatal(err)
			}
			// A stale copy of the contact, as a second tab would hold.
			stale := *c
			if _, err := f.svc.Move(ctx, f.pam, c.ID, c.Version, vouch.OutreachDeclined, "Changed their mind"); err != nil {
				t.Fatal(err)
			}
			_, _, err = f.noms.SubmitThen(ctx, f.pam, vouch.Nomination{AccountID: stale.AccountID, Name: stale.Name,
				Email: stale.Email, Reason: "From the campaign", CampaignID: f.camp.ID},
				func(b *store.Batch, n *vouch.Nomination) error {
					stale.State, stale.NominationID = vouch.OutreachNominated, n.ID
					return b.MoveCampaignContact(&stale)
				})
			if vouch.ErrorCode(err) != vouch.ECONFLICT {
				t.Fatalf("nominating over a stale contact: %v, want a conflict", err)
			}
			if list, _ := f.db.Nominations(ctx, store.NominationFilter{}); len(list) != 0 {
				t.Fatalf("a failed move left %d nominations", len(list))
			}
			// The contact stays declined, with no nomination.
			if got, _ := f.db.CampaignContact(ctx, c.ID); got.State != vouch.OutreachDeclined || got.NominationID != 0 {
				t.Errorf("contact after the failed nomination: %+v", got)
			}

			// A second contact goes all the way: one nomination, naming the campaign.
			other, err := f.svc.AddContact(ctx, f.pam, vouch.CampaignContact{CampaignID: f.camp.ID, AccountID: f.p.CandidateAccount.ID,
				Name: "Ana Lind", Email: "ana@stolave.example"})
			if err != nil {
				t.Fatal(err)
			}
			for _, to := range []vouch.OutreachState{vouch.OutreachContacted, vouch.OutreachInterested} {
				if other, err = f.svc.Move(ctx, f.pam, other.ID, other.Version, to, ""); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := f.svc.Move(ctx, f.pam, other.ID, other.Version-1, vouch.OutreachNominated, ""); vouch.ErrorCode(err) != vouch.ECONFLICT {
				t.Errorf("nominating from an old version: %v", err)
			}
			done, err := f.svc.Move(ctx, f.pam, other.ID, other.Version, vouch.OutreachNominated, "Happy to")
			if err != nil {
				t.Fatal(err)
			}
			n, err := f.db.Nomination(ctx, done.NominationID)
			if err != nil {
				t.Fatal(err)
			}
			if n.CampaignID != f.camp.ID || n.Name != "Ana Lind" || !strings.Contains(n.Reason, f.camp.Name) {
				t.Errorf("nomination %+v, want campaign %d", n, f.camp.ID)
			}
			if list, _ := f.db.Nominations(ctx, store.NominationFilter{}); len(list) != 1 {
				t.Errorf("%d nominations, want 1", len(list))
			}
		})
	}
}

// Outreach renders the campaign's template for the contact, goes out
// through the outbox, moves the contact to contacted and lands in the
// account's ledger; a flagged account is refused with the reason, and a
// campaign's asks count to the account cap.
func TestSendOutreach(t *testing.T) {
	for _, e := range testutil.Engines(t) {
		t.Run(string(e), func(t *testing.T) {
			f := newFixture(t, e)
			d, err := f.svc.Outreach(ctx, f.pam, f.contact.ID)
			if err != nil {
				t.Fatal(err)
			}
			if d.To != "tomas@stolave.example" || !strings.Contains(d.Subject, "Tomas Reyes") ||
				!strings.Contains(d.Body, "St Olave Hospitals") || !strings.HasSuffix(d.Body, f.pam.Name) || strings.Contains(d.Body, "{{") {
				t.Errorf("draft %+v", d)
			}
			if _, err := f.svc.SetOutreach(ctx, f.pam, f.camp.ID, "Hi {{first}}", "Body"); vouch.ErrorFields(err)["subject"] == "" {
				t.Errorf("an unknown placeholder: %v", err)
			}
			if _, err := f.svc.SetOutreach(ctx, f.pam, f.camp.ID, "A word, {{name}}?", "Dear {{name}} at {{account}},\n\nWould you?\n\n{{sender}}"); err != nil {
				t.Fatal(err)
			}
			if d, _ = f.svc.Outreach(ctx, f.pam, f.contact.ID); d.Subject != "A word, Tomas Reyes?" {
				t.Errorf("subject from the template: %q", d.Subject)
			}
			if _, err := f.svc.SendOutreach(ctx, f.pam, f.contact.ID, 1, "", "x"); vouch.ErrorFields(err)["subject"] == "" {
				t.Errorf("an empty subject: %v", err)
			}

			// The account is flagged: the ask is refused, saying why, and nothing is queued.
			until := f.db.Today().AddDays(10)
			if _, err := f.db.SetAccountFlag(ctx, f.p.CandidateAccount.ID, "escalation", until); err != nil {
				t.Fatal(err)
			}
			if d, _ = f.svc.Outreach(ctx, f.pam, f.contact.ID); !strings.Contains(d.HeldBack, "St Olave Hospitals is flagged: escalation") {
				t.Errorf("draft of a flagged account: held back %q", d.HeldBack)
			}
			_, err = f.svc.SendOutreach(ctx, f.pam, f.contact.ID, 1, d.Subject, d.Body)
			if vouch.ErrorCode(err) != vouch.ECONFLICT || !strings.Contains(err.Error(), "flagged: escalation") {
				t.Fatalf("outreach to a flagged account: %v", err)
			}
			if mails, _, _ := f.db.ListOutbox(ctx, vouch.OutboxFilter{}); len(mails) != 0 {
				t.Fatalf("a refused ask queued %d mails", len(mails))
			}
			if _, err := f.db.SetAccountFlag(ctx, f.p.CandidateAccount.ID, "", vouch.Date{}); err != nil {
				t.Fatal(err)
			}

			c, err := f.svc.SendOutreach(ctx, f.pam, f.contact.ID, 1, d.Subject, d.Body+"\n\nPS: edited")
			if err != nil {
				t.Fatal(err)
			}
			if c.State != vouch.OutreachContacted || c.ContactedOn != f.db.Today() || !strings.Contains(c.Notes, "outreach mail") {
				t.Errorf("contact after outreach: %+v", c)
			}
			mails, _, _ := f.db.ListOutbox(ctx, vouch.OutboxFilter{})
			if len(mails) != 1 || mails[0].To != "tomas@stolave.example" || mails[0].Subject != "A word, Tomas Reyes?" ||
				!strings.Contains(mails[0].Body, "PS: edited") || mails[0].ReplyTo != f.pam.Email || mails[0].FromName != f.pam.Name {
				t.Fatalf("outbox %+v", mails)
			}
			if _, err := f.svc.SendOutreach(ctx, f.pam, f.contact.ID, c.Version, d.Subject, d.Body); vouch.ErrorFields(err)["state"] == "" {
				t.Errorf("sending twice: %v", err)
			}
			entries, err := f.db.AccountLedger(ctx, f.p.CandidateAccount.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != 1 || entries[0].Source != vouch.LedgerFromCampaign || entries[0].CampaignID != f.camp.ID ||
				entries[0].AskedOn != f.db.Today() || entries[0].ReferenceName != "Tomas Reyes" || entries[0].AskedByName != f.pam.Name {
				t.Fatalf("ledger %+v", entries)
			}

			// With a cap of one ask per account, the campaign's ask used it up: the next contact is held back.
			if err := f.db.SetSetting(ctx, "ledger_account_cap", "1"); err != nil {
				t.Fatal(err)
			}
			next, err := f.svc.AddContact(ctx, f.pam, vouch.CampaignContact{CampaignID: f.camp.ID, AccountID: f.p.CandidateAccount.ID,
				Name: "Ana Lind", Email: "ana@stolave.example"})
			if err != nil {
				t.Fatal(err)
			}
			_, err = f.svc.SendOutreach(ctx, f.pam, next.ID, next.Version, d.Subject, d.Body)
			if vouch.ErrorCode(err) != vouch.ECONFLICT || !strings.Contains(err.Error(), "asked 1 time") && !strings.Contains(err.Error(), "cap 1") {
				t.Errorf("a second ask under a cap of one: %v", err)
			}
		})
	}
}

// A campaign for a goal ranks the customers in the goal's filter with no
// active reference; with no filter, every such customer.
func TestGoalCampaignCandidates(t *testing.T) {
	for _, e := range testutil.Engines(t) {
		t.Run(string(e), func(t *testing.T) {
			f := newFixture(t, e)
			feed, _, ix := testutil.ReadModels(t, f.db)
			accts := refindex.NewAccounts(f.db, ix)
			if _, err := feed.Subscribe(ctx, "accounts", refindex.AccountKinds, accts); err != nil {
				t.Fatal(err)
			}
			today := f.db.Today()
			goal := &vouch.Goal{Kind: vouch.GoalProgram, Name: "Grow Financial Services", Metric: vouch.MetricReferencesAdded,
				Filter: vouch.MetricFilter{IndustryIDs: []int64{f.p.Financial}}, Target: 5, From: today, To: today.AddDays(90)}
			if err := f.db.CreateGoal(ctx, goal); err != nil {
				t.Fatal(err)
			}
			harbour := &vouch.Account{Name: "Harbour Savings", IndustryID: f.p.Financial, Health: "good"}
			if err := f.db.CreateAccount(ctx, harbour); err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.Start(ctx, f.pam, vouch.Campaign{Aim: vouch.AimGoal}); vouch.ErrorFields(err)["goal_id"] == "" {
				t.Errorf("a goal campaign without a goal: %v", err)
			}
			if _, err := f.svc.Start(ctx, f.pam, vouch.Campaign{Aim: vouch.AimGoal, GoalID: 99999}); vouch.ErrorFields(err)["goal_id"] != "is not a known goal" {
				t.Errorf("an unknown goal: %v", err)
			}
			c, err := f.svc.Start(ctx, f.pam, vouch.Campaign{Aim: vouch.AimGoal, GoalID: goal.ID})
			if err != nil {
				t.Fatal(err)
			}
			if c.Name != "Recruit for goal “Grow Financial Services”" {
				t.Errorf("name %q", c.Name)
			}
			v, err := f.svc.Get(ctx, f.pam, accts, ix, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, cand := range v.Candidates {
				names = append(names, cand.Account.Name)
			}
			// Quinn's account in Financial Services has an active reference: not a candidate.
			if !slices.Equal(names, []string{"Harbour Savings"}) || v.Goal == nil || v.Goal.ID != goal.ID {
				t.Errorf("candidates of the goal: %v (goal %+v)", names, v.Goal)
			}
			goal.Filter = vouch.MetricFilter{}
			all := &vouch.Goal{Kind: vouch.GoalProgram, Name: "More references", Metric: vouch.MetricReferencesAdded, Target: 5,
				From: today, To: today.AddDays(90)}
			if err := f.db.CreateGoal(ctx, all); err != nil {
				t.Fatal(err)
			}
			c2, err := f.svc.Start(ctx, f.pam, vouch.Campaign{Aim: vouch.AimGoal, GoalID: all.ID})
			if err != nil {
				t.Fatal(err)
			}
			v, err = f.svc.Get(ctx, f.pam, accts, ix, c2.ID)
			if err != nil {
				t.Fatal(err)
			}
			names = names[:0]
			for _, cand := range v.Candidates {
				names = append(names, cand.Account.Name)
			}
			if !slices.Contains(names, "Harbour Savings") || !slices.Contains(names, "St Olave Hospitals") || slices.Contains(names, f.p.HealthcareAccount.Name) {
				t.Errorf("candidates with no filter: %v", names)
			}
		})
	}
}

// A drive invites existing references as advocates — an ask in each one's
// ledger, refused when the rules hold it back — and counts those done
// (with the review's address) against its target.
func TestDrive(t *testing.T) {
	for _, e := range testutil.Engines(t) {
		t.Run(string(e), func(t *testing.T) {
			f := newFixture(t, e)
			if _, err := f.svc.Start(ctx, f.pam, vouch.Campaign{Aim: vouch.AimDrive, DriveTarget: 0}); err == nil ||
				vouch.ErrorFields(err)["drive_what"] == "" || vouch.ErrorFields(err)["drive_target"] == "" || vouch.ErrorFields(err)["due_on"] == "" {
				t.Errorf("an empty drive: %v", err)
			}
			due := f.db.Today().AddDays(75)
			d, err := f.svc.Start(ctx, f.pam, vouch.Campaign{Aim: vouch.AimDrive, DriveWhat: "Review on G2", DriveTarget: 2, DueOn: due})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(d.Name, "2 × Review on G2 by ") {
				t.Errorf("name %q", d.Name)
			}
			if _, err := f.svc.AddContact(ctx, f.pam, vouch.CampaignContact{CampaignID: d.ID, AccountID: f.p.CandidateAccount.ID, Name: "X"}); vouch.ErrorFields(err)["campaign_id"] == "" {
				t.Errorf("a contact on a drive: %v", err)
			}
			if _, err := f.svc.InviteAdvocate(ctx, f.pam, d.ID, f.p.Pia.ID, ""); vouch.ErrorFields(err)["reference_id"] == "" {
				t.Errorf("a retired reference invited: %v", err)
			}
			nia, err := f.svc.InviteAdvocate(ctx, f.pam, d.ID, f.p.Nia.ID, "Loves the product")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.InviteAdvocate(ctx, f.pam, d.ID, f.p.Nia.ID, ""); vouch.ErrorCode(err) != vouch.ECONFLICT {
				t.Errorf("invited twice: %v", err)
			}
			entries, err := f.db.ReferenceLedger(ctx, f.p.Nia.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) == 0 || entries[0].Team != vouch.TeamReviewCampaign || entries[0].What != "Review on G2" ||
				entries[0].CampaignID != d.ID || entries[0].Outcome != "Invited" {
				t.Fatalf("Nia's ledger %+v", entries)
			}
			// Quinn's account is flagged: the invitation is refused, saying why.
			if _, err := f.db.SetAccountFlag(ctx, f.p.Quinn.AccountID, "renewal", f.db.Today().AddDays(3)); err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.InviteAdvocate(ctx, f.pam, d.ID, f.p.Quinn.ID, ""); vouch.ErrorCode(err) != vouch.ECONFLICT ||
				!strings.Contains(err.Error(), "is flagged: renewal") {
				t.Errorf("inviting a held-back reference: %v", err)
			}
			if _, err := f.svc.MoveAdvocate(ctx, f.pam, nia.ID, nia.Version, vouch.AdvocateDone, "https://g2.example/r/1", ""); vouch.ErrorFields(err)["state"] == "" {
				t.Errorf("invited straight to done: %v", err)
			}
			nia, err = f.svc.MoveAdvocate(ctx, f.pam, nia.ID, nia.Version, vouch.AdvocateAgreed, "", "Will write it this week")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.MoveAdvocate(ctx, f.pam, nia.ID, nia.Version, vouch.AdvocateDone, "", ""); vouch.ErrorFields(err)["evidence"] == "" {
				t.Errorf("done without evidence: %v", err)
			}
			if _, err := f.svc.MoveAdvocate(ctx, f.pam, nia.ID, nia.Version, vouch.AdvocateDone, "javascript:alert(1)", ""); vouch.ErrorFields(err)["evidence"] == "" {
				t.Errorf("done with a script for evidence: %v", err)
			}
			if _, err := f.svc.MoveAdvocate(ctx, f.pam, nia.ID, nia.Version-1, vouch.AdvocateDone, "https://g2.example/r/1", ""); vouch.ErrorCode(err) != vouch.ECONFLICT {
				t.Errorf("moving an old version: %v", err)
			}
			nia, err = f.svc.MoveAdvocate(ctx, f.pam, nia.ID, nia.Version, vouch.AdvocateDone, "https://g2.example/r/1", "")
			if err != nil {
				t.Fatal(err)
			}
			if nia.DoneOn != f.db.Today() || nia.Evidence != "https://g2.example/r/1" || !strings.Contains(nia.Notes, "Will write it this week") {
				t.Errorf("done: %+v", nia)
			}
			v, err := f.svc.Get(ctx, f.pam, nil, nil, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			if v.Progress.Done != 1 || v.Progress.Target != 2 || v.Progress.Percent != 50 || len(v.Advocates) != 1 {
				t.Errorf("progress %+v", v.Progress)
			}
		})
	}
}

// A customer that won a deal in the last 180 days ranks higher, with the
// win named among the reasons; a win older than that does not count.
func TestRecentWinsRankHigher(t *testing.T) {
	for _, e := range testutil.Engines(t) {
		t.Run(string(e), func(t *testing.T) {
			f := newFixture(t, e)
			feed, cat, ix := testutil.ReadModels(t, f.db)
			accts := refindex.NewAccounts(f.db, ix)
			mx := analytics.New(f.db, cat, nil)
			for name, m := range map[string]changefeed.ReadModel{"accounts": accts, "metrics": mx} {
				kinds := refindex.AccountKinds
				if name == "metrics" {
					kinds = analytics.Kinds
				}
				if _, err := feed.Subscribe(ctx, name, kinds, m); err != nil {
					t.Fatal(err)
				}
			}
			f.svc.SetWins(mx)
			// Bayside (good 30 + a year 5 = 35) ranks below St Olave (good 30 +
			// 3 years 15 = 45) until its win (+15 = 50).
			bayside := &vouch.Account{Name: "Bayside Health", IndustryID: f.p.Healthcare, Health: "good",
				CustomerSince: vouch.NewDate(2025, 6, 1)}
			if err := f.db.CreateAccount(ctx, bayside); err != nil {
				t.Fatal(err)
			}
			win := func(acct int64, name string, cents int64, closed vouch.Date) {
				o := &vouch.Opportunity{Name: name, Prospect: "x", AccountID: acct, AmountCents: cents, Currency: "USD",
					Stage: "Closed Won", Status: vouch.OpportunityWon, CloseDate: closed, CreatedOn: closed.AddDays(-60),
					CRMID: "WIN-" + name}
				if err := f.db.CreateOpportunity(ctx, o); err != nil {
					t.Fatal(err)
				}
			}
			order := func() ([]string, map[string][]string) {
				v, err := f.svc.Get(ctx, f.pam, accts, ix, f.camp.ID)
				if err != nil {
					t.Fatal(err)
				}
				var names []string
				why := map[string][]string{}
				for _, c := range v.Candidates {
					names = append(names, c.Account.Name)
					why[c.Account.Name] = c.Reasons
				}
				return names, why
			}
			if names, _ := order(); !slices.Equal(names, []string{"St Olave Hospitals", "Bayside Health"}) {
				t.Fatalf("before the wins: %v", names)
			}
			today := f.db.Today() // 15 Jan 2027
			win(bayside.ID, "Bayside old deal", 5_000_000, today.AddDays(-200))
			if names, _ := order(); names[0] != "St Olave Hospitals" {
				t.Errorf("a win 200 days ago counted: %v", names)
			}
			win(bayside.ID, "Bayside expansion", 12_000_000, vouch.NewDate(2026, 10, 2))
			names, why := order()
			if !slices.Equal(names, []string{"Bayside Health", "St Olave Hospitals"}) {
				t.Errorf("after Bayside's win: %v", names)
			}
			if want := "Won Bayside expansion, USD 120,000, 2026-10-02"; !slices.Contains(why["Bayside Health"], want) {
				t.Errorf("Bayside's reasons %v, want %q", why["Bayside Health"], want)
			}
		})
	}
}

// The program team renames and closes a campaign with its outcome: a
// closed campaign refuses outreach, moves and invitations naming the
// campaign, keeps its funnel, and takes them again once reopened; a stale
// version is a conflict, and every change is in the audit log.
func TestCloseAndReopen(t *testing.T) {
	for _, e := range testutil.Engines(t) {
		t.Run(string(e), func(t *testing.T) {
			f := newFixture(t, e)
			seller := testutil.CreateUser(t, f.db, "sam@example.com", vouch.RoleSeller)
			name, closed, open := "  Healthcare calls,   spring ", vouch.CampaignClosed, vouch.CampaignOpen
			if _, err := f.svc.Change(ctx, seller, f.camp.ID, 1, vouch.CampaignChange{Name: &name}); vouch.ErrorCode(err) != vouch.EFORBIDDEN {
				t.Errorf("a seller renames: %v", err)
			}
			long := strings.Repeat("x", 201)
			if _, err := f.svc.Change(ctx, f.pam, f.camp.ID, 1, vouch.CampaignChange{Name: &long}); vouch.ErrorFields(err)["name"] == "" {
				t.Errorf("a 201-character name: %v", err)
			}
			bad := vouch.CampaignState("done")
			if _, err := f.svc.Change(ctx, f.pam, f.camp.ID, 1, vouch.CampaignChange{State: &bad}); vouch.ErrorFields(err)["state"] == "" {
				t.Errorf("state done: %v", err)
			}
			if _, err := f.svc.Change(ctx, f.pam, f.camp.ID, 0, vouch.CampaignChange{Name: &name}); vouch.ErrorFields(err)["version"] == "" {
				t.Errorf("no version: %v", err)
			}
			c, err := f.svc.Change(ctx, f.pam, f.camp.ID, 1, vouch.CampaignChange{Name: &name})
			if err != nil {
				t.Fatal(err)
			}
			if c.Name != "Healthcare calls, spring" || c.Version != 2 || c.Closed() {
				t.Errorf("renamed: %+v", c)
			}
			ct, err := f.svc.Move(ctx, f.pam, f.contact.ID, 1, vouch.OutreachContacted, "Called")
			if err != nil {
				t.Fatal(err)
			}
			note := "Two references recruited; the rest not now."
			if _, err := f.svc.Change(ctx, f.pam, f.camp.ID, 1, vouch.CampaignChange{State: &closed, Note: &note}); vouch.ErrorCode(err) != vouch.ECONFLICT ||
				vouch.ErrorFields(err)["version"] == "" {
				t.Errorf("closing a stale version: %v", err)
			}
			c, err = f.svc.Change(ctx, f.pam, f.camp.ID, 2, vouch.CampaignChange{State: &closed, Note: &note})
			if err != nil {
				t.Fatal(err)
			}
			if !c.Closed() || c.ClosedOn != f.db.Today() || c.ClosedBy != f.pam.ID || c.Outcome != note || c.Version != 3 {
				t.Errorf("closed: %+v", c)
			}
			refused := func(what string, err error) {
				t.Helper()
				if vouch.ErrorCode(err) != vouch.EINVALID || !strings.Contains(vouch.ErrorFields(err)["campaign"], "is closed") {
					t.Errorf("%s on a closed campaign: %v", what, err)
				}
			}
			_, err = f.svc.Move(ctx, f.pam, ct.ID, ct.Version, vouch.OutreachInterested, "")
			refused("a move", err)
			// The store refuses it too, inside the transaction: a close
			// committed while the move was on its way is seen.
			late := *ct
			late.State = vouch.OutreachInterested
			refused("a move past the service's check", f.db.MoveCampaignContact(ctx, &late))
			_, err = f.svc.AddContact(ctx, f.pam, vouch.CampaignContact{CampaignID: f.camp.ID, AccountID: f.p.CandidateAccount.ID, Name: "Ana"})
			refused("a new contact", err)
			_, err = f.svc.RecordReply(ctx, f.pam, ct.ID, ct.Version, "Yes")
			refused("a reply", err)
			_, err = f.svc.SetOutreach(ctx, f.pam, f.camp.ID, "Hi", "Hello")
			refused("the outreach mail", err)
			v, err := f.svc.Get(ctx, f.pam, nil, nil, f.camp.ID)
			if err != nil || len(v.Candidates) != 0 || (v.Funnel.Contacts != 1 || v.Funnel.ByState[vouch.OutreachContacted] != 1) {
				t.Errorf("a closed campaign: %v %+v", err, v)
			}
			d, err := f.svc.Start(ctx, f.pam, vouch.Campaign{Aim: vouch.AimDrive, DriveWhat: "Review on G2", DriveTarget: 2,
				DueOn: f.db.Today().AddDays(30)})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.Change(ctx, f.pam, d.ID, 1, vouch.CampaignChange{State: &closed}); err != nil {
				t.Fatal(err)
			}
			_, err = f.svc.InviteAdvocate(ctx, f.pam, d.ID, f.p.Nia.ID, "")
			refused("an invitation", err)
			if _, err := f.svc.Change(ctx, f.pam, f.camp.ID, 3, vouch.CampaignChange{State: &open, Note: &note}); vouch.ErrorFields(err)["note"] == "" {
				t.Errorf("an outcome on reopening: %v", err)
			}
			c, err = f.svc.Change(ctx, f.pam, f.camp.ID, 3, vouch.CampaignChange{State: &open})
			if err != nil {
				t.Fatal(err)
			}
			if c.Closed() || !c.ClosedOn.IsZero() || c.Outcome != "" {
				t.Errorf("reopened: %+v", c)
			}
			if _, err := f.svc.Move(ctx, f.pam, ct.ID, ct.Version, vouch.OutreachInterested, "Said yes"); err != nil {
				t.Errorf("a move on a reopened campaign: %v", err)
			}
			entries, _, err := f.db.ListAudit(ctx, vouch.AuditFilter{EntityType: string(vouch.EntityCampaign), EntityID: f.camp.ID})
			if err != nil {
				t.Fatal(err)
			}
			var fields []string
			for _, en := range entries {
				for _, ch := range en.Changes {
					fields = append(fields, ch.Field+"="+fmt.Sprint(ch.After))
				}
			}
			all := strings.Join(fields, " ")
			for _, want := range []string{"name=Healthcare calls, spring", "state=closed", "outcome=" + note, "state=open"} {
				if !strings.Contains(all, want) {
					t.Errorf("audit lacks %q: %s", want, all)
				}
			}
			list, err := f.svc.List(ctx, f.pam)
			if err != nil || len(list) != 2 || list[0].State != vouch.CampaignClosed || list[1].State != vouch.CampaignOpen {
				t.Errorf("list: %v %v", list, err)
			}
		})
	}
}
