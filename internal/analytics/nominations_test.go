package analytics_test

import (
	"context"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/analytics"
	"github.com/vouchhq/vouch/internal/nominations"
	"github.com/vouchhq/vouch/internal/references"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestNominationMetrics counts nominations submitted, qualified and
// accepted by the day each happened, credited to the nominator, as the
// engine follows the writes.
func TestNominationMetrics(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})
		db.Clock.Set(time.Date(2026, time.March, 10, 12, 0, 0, 0, time.UTC))
		feed, cat, _ := testutil.ReadModels(t, db)
		mx := analytics.New(db, cat, nil)
		if _, err := feed.Subscribe(ctx, "metrics", analytics.Kinds, mx); err != nil {
			t.Fatal(err)
		}
		ix := nominations.NewIndex(db)
		if _, err := feed.Subscribe(ctx, "duplicates", nominations.Kinds, ix); err != nil {
			t.Fatal(err)
		}
		svc := nominations.New(db, references.New(db, cat), ix)
		sam := testutil.CreateUser(t, db, "sam@example.com", vouch.RoleSeller)
		oli := testutil.CreateUser(t, db, "oli@example.com", vouch.RoleSeller)
		team := testutil.CreateUser(t, db, "tess@example.com", vouch.RoleTeamMember)
		var all []string
		for _, it := range vouch.DefaultChecklist {
			all = append(all, it.Key)
		}
		nominate := func(by *vouch.User, name string) *vouch.Nomination {
			n, _, err := svc.Submit(ctx, by, vouch.Nomination{AccountName: "Acme " + name, Name: name + " Person", Reason: "good"})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		a := nominate(sam, "Ann")
		b := nominate(sam, "Ben")
		nominate(oli, "Cai")
		db.Clock.Set(time.Date(2026, time.April, 2, 12, 0, 0, 0, time.UTC))
		qa, err := svc.Qualify(ctx, team, a.ID, a.Version, all)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Accept(ctx, team, a.ID, qa.Version, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Qualify(ctx, team, b.ID, b.Version, all); err != nil {
			t.Fatal(err)
		}
		march := vouch.MetricQuery{From: vouch.NewDate(2026, time.March, 1), To: vouch.NewDate(2026, time.March, 31)}
		april := vouch.MetricQuery{From: vouch.NewDate(2026, time.April, 1), To: vouch.NewDate(2026, time.April, 30)}
		samsApril := april
		samsApril.Filter.OwnerIDs = []int64{sam.ID}
		olisApril := april
		olisApril.Filter.OwnerIDs = []int64{oli.ID}
		for _, c := range []struct {
			q    vouch.MetricQuery
			id   vouch.MetricID
			want float64
		}{
			{march, vouch.MetricNominationsSubmitted, 3},
			{march, vouch.MetricNominationsQualified, 0},
			{april, vouch.MetricNominationsSubmitted, 0},
			{april, vouch.MetricNominationsQualified, 2},
			{april, vouch.MetricNominationsAccepted, 1},
			{samsApril, vouch.MetricNominationsAccepted, 1},
			{olisApril, vouch.MetricNominationsAccepted, 0},
			{april, vouch.MetricReferencesAdded, 1},
		} {
			v := mx.Metric(c.id, c.q)
			got := float64(v.N) // a count of nothing has no value, and N 0
			if v.Value != nil {
				got = *v.Value
			}
			if got != c.want {
				t.Errorf("%s %s–%s owners %v: %v, want %v", c.id, c.q.From, c.q.To, c.q.Filter.OwnerIDs, v.Value, c.want)
			}
		}
		if rows := mx.Rows(vouch.MetricNominationsAccepted, april, 0); len(rows) != 1 || rows[0].Label != "Ann Person" {
			t.Errorf("rows %+v", rows)
		}
	})
}
