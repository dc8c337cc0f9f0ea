package content_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/content"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// rawDB opens db's database directly, to record what other parts of the
// program record (uses, ratings, content requests) at chosen times.
func rawDB(t *testing.T, db *store.DB) (*sql.DB, func(q string, args ...any)) {
	t.Helper()
	driver, dsn := "pgx", db.URL
	if db.Engine == store.SQLite {
		driver, dsn = "sqlite", "file:"+db.Path+"?_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_time_format=sqlite"
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	exec := func(q string, args ...any) {
		t.Helper()
		if db.Engine == store.Postgres {
			for n := 1; strings.Contains(q, "?"); n++ {
				q = strings.Replace(q, "?", fmt.Sprintf("$%d", n), 1)
			}
		}
		if _, err := raw.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return raw, exec
}

// TestReports holds the four reports to a small library with known answers,
// as the program team and as a seller sees them.
func TestReports(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		_, exec := rawDB(t, db)
		bg := context.Background()
		feed, cat, _ := testutil.ReadModels(t, db)
		v := func(k vouch.TaxonomyKind, name string) int64 { return cat.ValueID(k, name) }
		health, fin, ins, retail := v(vouch.TaxIndustry, "Healthcare"), v(vouch.TaxIndustry, "Financial Services"),
			v(vouch.TaxIndustry, "Insurance"), v(vouch.TaxIndustry, "Retail")
		analytics, mobile := v(vouch.TaxProduct, "Analytics"), v(vouch.TaxProduct, "Mobile")
		emea, apac := v(vouch.TaxRegion, "EMEA"), v(vouch.TaxRegion, "APAC")
		now := db.Clock.Now()
		item := func(title string, st vouch.ContentState, industry int64, products, regions []int64) int64 {
			it := &vouch.ContentItem{Title: title, TypeID: v(vouch.TaxContentType, "Case study"), State: st,
				IndustryIDs: []int64{industry}, ProductIDs: products, RegionIDs: regions}
			if st.Approved() {
				it.ApprovedOn, it.ApprovedBy, it.ApprovalMethod, it.ExpiresOn = db.Today(), "Customer", "mail", db.Today().AddDays(700)
			}
			if err := db.CreateContent(ctx, it); err != nil {
				t.Fatal(err)
			}
			return it.ID
		}
		alpha := item("Alpha", vouch.ContentApprovedExternal, health, []int64{analytics}, []int64{emea})
		bravo := item("Bravo", vouch.ContentApprovedInternal, health, []int64{mobile}, nil)
		charlie := item("Charlie", vouch.ContentDraft, fin, nil, nil)
		delta := item("Delta", vouch.ContentApprovedExternal, ins, nil, nil)
		echo := item("Echo", vouch.ContentApprovedExternal, retail, nil, nil)
		exec(`UPDATE content_items SET created_at = ? WHERE id = ?`, now.AddDate(-2, 0, 0).UTC(), delta)
		exec(`UPDATE content_items SET created_at = ? WHERE id = ?`, now.AddDate(-2, 0, 0).UTC(), echo)
		use := func(id int64, ago time.Duration, n int) {
			for range n {
				exec(`INSERT INTO content_uses (content_id, kind, at) VALUES (?, ?, ?)`, id, vouch.UseDownload, now.Add(-ago).UTC())
			}
		}
		day := 24 * time.Hour
		use(alpha, 10*day, 3)
		use(alpha, 400*day, 1) // older than 12 months: not counted
		use(bravo, 30*day, 1)
		use(charlie, day, 5)
		use(echo, 420*day, 1)
		exec(`INSERT INTO content_uses (content_id, kind, at) VALUES (?, 'proof_view', ?)`, delta, now.AddDate(-2, 0, 0).UTC())
		u1 := testutil.CreateUser(t, db, "s1@example.com", vouch.RoleSeller)
		u2 := testutil.CreateUser(t, db, "s2@example.com", vouch.RoleSeller)
		rate := func(id int64, u *vouch.User, r int) {
			exec(`INSERT INTO content_ratings (content_id, user_id, rating, at) VALUES (?, ?, ?, ?)`, id, u.ID, r, now.UTC())
		}
		rate(alpha, u1, 5)
		rate(alpha, u2, 4)
		rate(bravo, u1, 5) // one rating: not ranked
		rate(charlie, u1, 3)
		rate(charlie, u2, 3)

		// Demand: two open reference requests, one cancelled; an open content
		// request and a done one.
		call := v(vouch.TaxActivityType, "Call")
		request := func(c vouch.Criteria) int64 {
			o := &vouch.Opportunity{Name: fmt.Sprintf("Deal %d", c.IndustryID+c.ProductID+c.RegionID), OwnerID: u1.ID}
			if err := db.CreateOpportunity(ctx, o); err != nil {
				t.Fatal(err)
			}
			r := &vouch.Request{RequesterID: u1.ID, OpportunityID: o.ID, ActivityTypeID: call, DueDate: db.Today().AddDays(20),
				Criteria: c, ReferencesNeeded: 1}
			if err := db.CreateRequest(ctx, r, vouch.Outgoing{}); err != nil {
				t.Fatal(err)
			}
			return r.ID
		}
		request(vouch.Criteria{IndustryID: health, ProductID: analytics, RegionID: emea})
		request(vouch.Criteria{IndustryID: health, RegionID: apac})
		cancelled := request(vouch.Criteria{IndustryID: retail, ProductID: analytics})
		exec(`UPDATE requests SET state = ? WHERE id = ?`, string(vouch.RequestCancelled), cancelled)
		contentRequest := func(id int64, state string, values map[vouch.TaxonomyKind][]int64) {
			exec(`INSERT INTO content_requests (id, description, state, version, created_at, updated_at) VALUES (?, 'wanted', ?, 1, ?, ?)`,
				id, state, now.UTC(), now.UTC())
			for k, ids := range values {
				for _, vid := range ids {
					exec(`INSERT INTO content_request_values (request_id, kind, value_id) VALUES (?, ?, ?)`, id, string(k), vid)
				}
			}
		}
		contentRequest(1, vouch.ContentRequestOpen, map[vouch.TaxonomyKind][]int64{vouch.TaxIndustry: {health},
			vouch.TaxProduct: {mobile}, vouch.TaxRegion: {apac}})
		contentRequest(2, vouch.ContentRequestDone, map[vouch.TaxonomyKind][]int64{vouch.TaxIndustry: {ins}, vouch.TaxProduct: {analytics}})

		// The index loads after the data, as at start.
		ix := testutil.Library(t, db, feed, cat)
		reports := content.NewReports(db, ix, cat)
		titles := func(kind string, manage bool) string {
			t.Helper()
			rep, err := reports.Report(bg, kind, manage)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, it := range rep.Items {
				s := it.Item.Title
				switch kind {
				case content.ReportMostUsed:
					s += fmt.Sprintf(" %d", it.RecentUses)
				case content.ReportBestRated:
					s += fmt.Sprintf(" %.1f/%d", it.Stats.AverageRating, it.Stats.Ratings)
				}
				out = append(out, s)
			}
			return strings.Join(out, ", ")
		}
		for _, c := range []struct {
			kind   string
			manage bool
			want   string
		}{
			{content.ReportMostUsed, true, "Charlie 5, Alpha 3, Bravo 1"},
			{content.ReportMostUsed, false, "Alpha 3, Bravo 1"}, // a seller sees no draft
			{content.ReportBestRated, true, "Alpha 4.5/2, Charlie 3.0/2"},
			{content.ReportBestRated, false, "Alpha 4.5/2"},
			{content.ReportStale, true, "Delta, Echo"}, // Delta: only a view two years ago; Echo: used 14 months ago
			{content.ReportStale, false, "Delta, Echo"},
		} {
			if got := titles(c.kind, c.manage); got != c.want {
				t.Errorf("%s (team %v): %q, want %q", c.kind, c.manage, got, c.want)
			}
		}

		rep, err := reports.Report(bg, content.ReportGaps, false)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range rep.Segments {
			got = append(got, fmt.Sprintf("%s %d/%d", s.Name(), s.Demand, s.Approved))
		}
		want := "Healthcare × APAC 2/0, Healthcare × Analytics 1/1, Healthcare × Mobile 1/1, Healthcare × EMEA 1/1"
		if strings.Join(got, ", ") != want {
			t.Errorf("gaps: %q, want %q", strings.Join(got, ", "), want)
		}
		if !rep.Segments[0].Gap() || rep.Segments[1].Gap() {
			t.Errorf("only Healthcare × APAC is a gap: %+v", rep.Segments)
		}

		if _, err := reports.Report(bg, "popular", true); vouch.ErrorFields(err)["kind"] == "" {
			t.Errorf("an unknown report: %v, want an error naming kind", err)
		}
	})
}
