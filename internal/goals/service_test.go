package goals_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/analytics"
	"github.com/vouchhq/vouch/internal/goals"
	"github.com/vouchhq/vouch/internal/references"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

func str(s string) *string              { return &s }
func num(f float64) *float64            { return &f }
func version(n int) *int                { return &n }
func id(n int64) *int64                 { return &n }
func day(m time.Month, d int) time.Time { return time.Date(2026, m, d, 12, 0, 0, 0, time.UTC) }

// figures answers metrics from a table, as the metrics engine would, and
// records the queries it was asked.
type figures struct {
	values map[vouch.MetricID]float64
	asked  []vouch.MetricQuery
}

func (f *figures) Metric(id vouch.MetricID, q vouch.MetricQuery) vouch.MetricValue {
	f.asked = append(f.asked, q)
	v, ok := f.values[id]
	if !ok {
		return vouch.MetricValue{Metric: id}
	}
	return vouch.MetricValue{Metric: id, Value: &v}
}

func setup(t *testing.T, db *store.DB) (*goals.Service, *figures, context.Context, *vouch.User, *vouch.User) {
	t.Helper()
	db.Clock.Set(day(time.November, 15)) // mid Q4 2026 (calendar fiscal year)
	_, cat, _ := testutil.ReadModels(t, db)
	pm := testutil.CreateUser(t, db, "pm@example.com", vouch.RoleProgramManager)
	member := testutil.CreateUser(t, db, "tm@example.com", vouch.RoleTeamMember)
	fx := &figures{values: map[vouch.MetricID]float64{}}
	ctx := vouch.WithActor(context.Background(), vouch.Actor{UserID: pm.ID, Label: pm.Email})
	return goals.New(db, cat, fx), fx, ctx, pm, member
}

func TestGoalsCreateUpdateArchive(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		s, fx, ctx, pm, member := setup(t, db)
		// Every problem at once.
		_, err := s.Create(ctx, goals.Input{Name: str(""), Metric: str("requests_overdue"), Target: num(0),
			Period: str("last_week"), Filters: map[string][]string{"industry": {"Helthcare"}, "colour": {"red"}}})
		got := vouch.ErrorFields(err)
		for _, f := range []string{"name", "objective", "metric", "target", "period", "filters.industry", "filters.colour"} {
			if got[f] == "" {
				t.Errorf("no problem named for %s: %v", f, got)
			}
		}
		if !strings.Contains(got["filters.industry"], "Healthcare") {
			t.Errorf("industry: %q", got["filters.industry"])
		}
		g, err := s.Create(ctx, goals.Input{Name: str("8 new  Healthcare references"), Objective: str("grow Healthcare in EMEA"),
			Metric: str("references_added"), Target: num(8), Period: str("this_quarter"),
			Filters: map[string][]string{"industry": {"healthcare"}, "region": {"EMEA"}}})
		if err != nil {
			t.Fatal(err)
		}
		if g.Name != "8 new Healthcare references" || g.From.String() != "2026-10-01" || g.To.String() != "2026-12-31" ||
			len(g.Filter.IndustryIDs) != 1 || len(g.Filter.RegionIDs) != 1 || g.OwnerID != pm.ID || g.Kind != vouch.GoalProgram {
			t.Fatalf("saved %+v", g)
		}
		// Progress: 46 of 92 days, half of 8 expected; 3 is below 80% of 4.
		fx.values[vouch.MetricReferencesAdded] = 3
		p, err := s.Progress(ctx, vouch.MetricQuery{From: vouch.NewDate(2026, time.November, 1), To: vouch.NewDate(2026, time.November, 30)})
		if err != nil || len(p) != 1 {
			t.Fatalf("progress: %v, %v", p, err)
		}
		if p[0].Pace != vouch.PaceBehind || p[0].Expected != 4 || *p[0].Current != 3 || p[0].Forecast == nil || *p[0].Forecast != 6 {
			t.Errorf("progress %+v", p[0])
		}
		last := fx.asked[len(fx.asked)-1]
		if last.From.String() != "2026-10-01" || last.To.String() != "2026-11-15" || len(last.Filter.IndustryIDs) != 1 {
			t.Errorf("asked the engine %+v", last)
		}
		if p, _ := s.Progress(ctx, vouch.MetricQuery{From: vouch.NewDate(2026, time.July, 1), To: vouch.NewDate(2026, time.September, 30)}); len(p) != 0 {
			t.Errorf("a goal of Q4 shows on Q3's scorecard: %+v", p)
		}

		// A member goal names its member; its figure is counted for them.
		if _, err := s.Create(ctx, goals.Input{Kind: str("member"), Name: str("Recruit 5"), Metric: str("revenue_influenced"),
			Target: num(5), Period: str("this_quarter")}); vouch.ErrorFields(err)["metric"] == "" || vouch.ErrorFields(err)["owner"] == "" {
			t.Errorf("a member goal without a member, on a program metric: %v", err)
		}
		if _, err := s.Create(ctx, goals.Input{Kind: str("member"), Name: str("Recruit 5"), Metric: str("references_recruited"),
			Target: num(5), Period: str("this_quarter"), OwnerID: id(0)}); vouch.ErrorFields(err)["owner"] == "" {
			t.Errorf("a member goal for nobody becomes its creator's: %v", err)
		}
		seller := testutil.CreateUser(t, db, "seller@example.com", vouch.RoleSeller)
		if _, err := s.Create(ctx, goals.Input{Kind: str("member"), Name: str("Recruit 5"), Metric: str("references_recruited"),
			Target: num(5), Period: str("this_quarter"), OwnerID: id(seller.ID)}); vouch.ErrorFields(err)["owner"] == "" {
			t.Errorf("a seller owns a member goal: %v", err)
		}
		mg, err := s.Create(ctx, goals.Input{Kind: str("member"), Name: str("Recruit 5"), Metric: str("references_recruited"),
			Target: num(5), From: str("2026-11-01"), To: str("2026-11-30"), OwnerEmail: str("TM@example.com")})
		if err != nil {
			t.Fatal(err)
		}
		fx.values[vouch.MetricReferencesRecruited] = 5
		mine, err := s.ProgressFor(ctx, member.ID)
		if err != nil || len(mine) != 1 || mine[0].Pace != vouch.PaceMet {
			t.Fatalf("member's goals: %+v, %v", mine, err)
		}
		if q := fx.asked[len(fx.asked)-1]; len(q.Filter.OwnerIDs) != 1 || q.Filter.OwnerIDs[0] != member.ID {
			t.Errorf("member goal not counted for its member: %+v", q)
		}

		// Update with the version read; a stale version changes nothing.
		up, err := s.Update(ctx, g.ID, goals.Input{Target: num(10), Version: version(g.Version)})
		if err != nil || up.Target != 10 || up.Version != 2 {
			t.Fatalf("update: %+v, %v", up, err)
		}
		if _, err := s.Update(ctx, g.ID, goals.Input{Target: num(12), Version: version(1)}); vouch.ErrorCode(err) != vouch.ECONFLICT {
			t.Errorf("stale update: %v", err)
		}
		if _, err := s.Update(ctx, g.ID, goals.Input{Target: num(12)}); vouch.ErrorFields(err)["version"] == "" {
			t.Errorf("update without a version: %v", err)
		}
		if _, err := s.Archive(ctx, mg.ID, 0); err != nil {
			t.Fatal(err)
		}
		if mine, _ := s.ProgressFor(ctx, member.ID); len(mine) != 0 {
			t.Errorf("an archived goal is still on the member's home: %+v", mine)
		}
		all, _ := s.Goals(ctx, vouch.GoalFilter{Archived: true})
		if len(all) != 2 {
			t.Errorf("%d goals with the archived, want 2", len(all))
		}
		// Every write is in the audit log.
		entries, _, err := db.ListAudit(ctx, vouch.AuditFilter{EntityType: string(vouch.EntityGoal)})
		if err != nil || len(entries) != 4 {
			t.Errorf("%d audit entries for goals, want 4 (%v)", len(entries), err)
		}
	})
}

// With the metrics engine itself: a reference that becomes active counts
// towards a goal of references added at once, through the change feed.
func TestGoalProgressFromTheEngine(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		db.Clock.Set(day(time.November, 15))
		feed, cat, _ := testutil.ReadModels(t, db)
		mx := analytics.New(db, cat, nil)
		if _, err := feed.Subscribe(context.Background(), "metrics engine", analytics.Kinds, mx); err != nil {
			t.Fatal(err)
		}
		pm := testutil.CreateUser(t, db, "pm@example.com", vouch.RoleProgramManager)
		ctx := vouch.WithActor(context.Background(), vouch.Actor{UserID: pm.ID, Label: pm.Email})
		s := goals.New(db, cat, mx)
		g, err := s.Create(ctx, goals.Input{Name: str("Two new references"), Objective: str("grow the program"),
			Metric: str("references_added"), Target: num(2), Period: str("this_month")})
		if err != nil {
			t.Fatal(err)
		}
		before := s.ProgressOf(g)
		refs := references.New(db, cat)
		if _, err := refs.CreateReference(ctx, vouch.ReferenceInput{Account: str("Nimbus Air"), CreateAccount: true,
			Name: str("Ana Lima"), Email: str("ana@nimbus.example"), Status: str("active")}); err != nil {
			t.Fatal(err)
		}
		after := s.ProgressOf(g)
		if after.Current == nil || *after.Current != 1 {
			t.Fatalf("after one reference became active: current %v (before %v)", after.Current, before.Current)
		}
		// Day 15 of 30: one of two is on pace.
		if after.Pace != vouch.PaceOnTrack || after.Expected != 1 || after.Forecast == nil || *after.Forecast != 2 {
			t.Errorf("progress %+v", after)
		}
	})
}
