package analytics_test

import (
	"context"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/analytics"
	"github.com/vouchhq/vouch/internal/campaigns"
	"github.com/vouchhq/vouch/internal/nominations"
	"github.com/vouchhq/vouch/internal/references"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestCampaignMetrics counts the contacts campaigns reached, the
// nominations they made and the references those became, and the drive
// items done, each by the day it happened, as the engine follows the
// writes.
func TestCampaignMetrics(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})
		feed, cat, rix := testutil.ReadModels(t, db)
		mx := analytics.New(db, cat, nil)
		if _, err := feed.Subscribe(ctx, "metrics", analytics.Kinds, mx); err != nil {
			t.Fatal(err)
		}
		ix := nominations.NewIndex(db)
		if _, err := feed.Subscribe(ctx, "duplicates", nominations.Kinds, ix); err != nil {
			t.Fatal(err)
		}
		noms := nominations.New(db, references.New(db, cat), ix)
		svc := campaigns.New(db, cat, noms, rix.Ledger())
		pam := testutil.CreateUser(t, db, "pam@example.com", vouch.RoleProgramManager)
		p := testutil.AddCoverageProgram(t, db, pam.ID) // today 15 January 2027
		gap, err := svc.Start(ctx, pam, vouch.Campaign{Dimension: "industry", ValueID: p.Healthcare, ActivityTypeID: p.Call})
		if err != nil {
			t.Fatal(err)
		}
		add := func(name, email string) *vouch.CampaignContact {
			c, err := svc.AddContact(ctx, pam, vouch.CampaignContact{CampaignID: gap.ID, AccountID: p.CandidateAccount.ID, Name: name, Email: email})
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		mailed, called, idle := add("Tomas Reyes", "tomas@stolave.example"), add("Ana Lind", ""), add("Ivo Berg", "")
		_ = idle
		if _, err := svc.SendOutreach(ctx, pam, mailed.ID, mailed.Version, "Hello", "Would you?"); err != nil {
			t.Fatal(err)
		}
		c := called
		for _, to := range []vouch.OutreachState{vouch.OutreachContacted, vouch.OutreachInterested, vouch.OutreachNominated} {
			if c, err = svc.Move(ctx, pam, c.ID, c.Version, to, ""); err != nil {
				t.Fatal(err)
			}
		}
		// A nomination made by hand is no campaign's.
		if _, _, err := noms.Submit(ctx, pam, vouch.Nomination{AccountName: "Elsewhere", Name: "Olu Ade", Reason: "good"}); err != nil {
			t.Fatal(err)
		}
		db.Clock.Set(time.Date(2027, time.February, 3, 12, 0, 0, 0, time.UTC))
		var all []string
		for _, it := range vouch.DefaultChecklist {
			all = append(all, it.Key)
		}
		n, err := noms.Qualify(ctx, pam, c.NominationID, 1, all)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := noms.Accept(ctx, pam, n.ID, n.Version, 0); err != nil {
			t.Fatal(err)
		}
		drive, err := svc.Start(ctx, pam, vouch.Campaign{Aim: vouch.AimDrive, DriveWhat: "Review on G2", DriveTarget: 5,
			DueOn: vouch.NewDate(2027, time.March, 31)})
		if err != nil {
			t.Fatal(err)
		}
		a, err := svc.InviteAdvocate(ctx, pam, drive.ID, p.Nia.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if a, err = svc.MoveAdvocate(ctx, pam, a.ID, a.Version, vouch.AdvocateAgreed, "", ""); err == nil {
			_, err = svc.MoveAdvocate(ctx, pam, a.ID, a.Version, vouch.AdvocateDone, "https://g2.example/r/7", "")
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.InviteAdvocate(ctx, pam, drive.ID, p.Quinn.ID, ""); err != nil {
			t.Fatal(err)
		}
		january := vouch.MetricQuery{From: vouch.NewDate(2027, time.January, 1), To: vouch.NewDate(2027, time.January, 31)}
		february := vouch.MetricQuery{From: vouch.NewDate(2027, time.February, 1), To: vouch.NewDate(2027, time.February, 28)}
		for _, tc := range []struct {
			q    vouch.MetricQuery
			id   vouch.MetricID
			want float64
		}{
			{january, vouch.MetricCampaignContactsReached, 2},
			{january, vouch.MetricCampaignNominations, 1},
			{january, vouch.MetricNominationsSubmitted, 2},
			{january, vouch.MetricCampaignRecruits, 0},
			{february, vouch.MetricCampaignContactsReached, 0},
			{february, vouch.MetricCampaignRecruits, 1},
			{january, vouch.MetricDriveItemsDone, 0},
			{february, vouch.MetricDriveItemsDone, 1},
		} {
			v := mx.Metric(tc.id, tc.q)
			got := float64(v.N)
			if v.Value != nil {
				got = *v.Value
			}
			if got != tc.want {
				t.Errorf("%s %s–%s: %v, want %v", tc.id, tc.q.From, tc.q.To, got, tc.want)
			}
		}
		if rows := mx.Rows(vouch.MetricDriveItemsDone, february, 0); len(rows) != 1 || rows[0].Label != p.Nia.Name {
			t.Errorf("drive rows %+v", rows)
		}
		if rows := mx.Rows(vouch.MetricCampaignContactsReached, january, 0); len(rows) != 2 {
			t.Errorf("reached rows %+v", rows)
		}
		if rows := mx.Rows(vouch.MetricCampaignNominations, january, 0); len(rows) != 1 || rows[0].Label != "Ana Lind" {
			t.Errorf("campaign nomination rows %+v", rows)
		}
	})
}
