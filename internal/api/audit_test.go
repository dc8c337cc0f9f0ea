package api_test

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/vouch"
)

func TestAudit(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		// 55 new products by the admin: more than the default page of 50,
		// and exactly five pages of 11.
		ctx := vouch.WithActor(context.Background(), vouch.UserActor(f.users["admin"]))
		for i := range 55 {
			if err := f.srv.DB.CreateTaxonomyValue(ctx, &vouch.TaxonomyValue{Kind: vouch.TaxProduct, Name: fmt.Sprintf("Product %02d", i)}); err != nil {
				t.Fatal(err)
			}
		}
		var all page[vouch.AuditEntry]
		f.get(t, "admin", "/api/v1/audit?limit=500", &all)
		if all.Total < 60 || len(all.Items) != all.Total || all.NextCursor != "" {
			t.Fatalf("limit=500: %d items, total %d, next %q; want every entry on one page", len(all.Items), all.Total, all.NextCursor)
		}
		total := func(want int) func(t *testing.T, r response) {
			return func(t *testing.T, r response) {
				var p page[vouch.AuditEntry]
				r.decode(t, &p)
				if p.Total != want {
					t.Errorf("total %d, want %d", p.Total, want)
				}
				if n := min(want, 50); len(p.Items) != n {
					t.Errorf("%d items, want %d", len(p.Items), n)
				}
			}
		}
		hour := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)

		f.run(t, []scenario{
			{name: "default page", method: "GET", path: "/api/v1/audit", as: "admin", status: 200,
				check: func(t *testing.T, r response) {
					var p page[vouch.AuditEntry]
					r.decode(t, &p)
					if len(p.Items) != 50 || p.NextCursor == "" || p.Total != all.Total {
						t.Errorf("%d items, next %q, total %d; want 50, a cursor, %d", len(p.Items), p.NextCursor, p.Total, all.Total)
					}
				}},
			{name: "by actor", method: "GET", path: fmt.Sprintf("/api/v1/audit?actor_id=%d", f.users["admin"].ID), as: "admin",
				status: 200, check: total(55)},
			{name: "by entity", method: "GET", path: fmt.Sprintf("/api/v1/audit?entity_type=user&entity_id=%d", f.users["disabled"].ID),
				as: "admin", status: 200, check: total(2), want: []string{`"field":"disabled","before":false,"after":true`}},
			{name: "since a date", method: "GET", path: "/api/v1/audit?since=2000-01-01", as: "admin", status: 200, check: total(all.Total)},
			{name: "until a date", method: "GET", path: "/api/v1/audit?until=2000-01-01", as: "admin", status: 200,
				check: total(0), want: []string{`"items":[]`}},
			{name: "since a time", method: "GET", path: "/api/v1/audit?since=" + url.QueryEscape(hour), as: "admin", status: 200, check: total(0)},
			{name: "until a time", method: "GET", path: "/api/v1/audit?until=" + url.QueryEscape(hour), as: "admin", status: 200, check: total(all.Total)},
			{name: "bad since and until", method: "GET", path: "/api/v1/audit?since=yesterday&until=2025-13-01", as: "admin",
				status: 400, fields: []string{"since", "until"}},
			{name: "bad entity_id", method: "GET", path: "/api/v1/audit?entity_id=abc", as: "admin", offSpec: true,
				status: 400, fields: []string{"entity_id"}},
			{name: "bad actor_id", method: "GET", path: "/api/v1/audit?actor_id=-1", as: "admin", offSpec: true,
				status: 400, fields: []string{"actor_id"}},
			{name: "limit too big", method: "GET", path: "/api/v1/audit?limit=501", as: "admin", offSpec: true,
				status: 400, fields: []string{"limit"}},
			{name: "limit zero", method: "GET", path: "/api/v1/audit?limit=0", as: "admin", offSpec: true,
				status: 400, fields: []string{"limit"}},
			{name: "bad cursor", method: "GET", path: "/api/v1/audit?cursor=not-a-cursor", as: "admin",
				status: 400, fields: []string{"cursor"}},
			{name: "program manager may not read", method: "GET", path: "/api/v1/audit", as: "program_manager", status: 403},
			{name: "seller may not read", method: "GET", path: "/api/v1/audit", as: "seller", status: 403,
				want: []string{`"code":"forbidden"`}},
		})

		t.Run("pages", func(t *testing.T) {
			for _, tc := range []struct {
				name  string
				query url.Values
				limit int
				total int
				pages int
			}{
				{"every entry by 7", url.Values{}, 7, all.Total, (all.Total + 6) / 7},
				{"every entry by 500", url.Values{}, 500, all.Total, 1},
				{"an exact number of pages", url.Values{"entity_type": {"taxonomy_value"}, "action": {"create"}}, 11, 55, 5},
				{"one entry a page", url.Values{"entity_type": {"taxonomy_value"}, "action": {"create"}}, 1, 55, 55},
				{"nothing", url.Values{"action": {"explode"}}, 10, 0, 1},
			} {
				t.Run(tc.name, func(t *testing.T) {
					ids, pages := f.auditPages(t, tc.query, tc.limit, tc.total)
					if len(ids) != tc.total || pages != tc.pages {
						t.Errorf("%d entries on %d pages, want %d on %d", len(ids), pages, tc.total, tc.pages)
					}
				})
			}
		})
	})
}

// auditPages follows next_cursor from the first page to the last and returns
// the ids seen and the number of pages. Every page must report the same
// total, every page but the last must be full, and ids must strictly
// decrease, so no entry is on two pages.
func (f *fixture) auditPages(t *testing.T, q url.Values, limit, total int) ([]int64, int) {
	t.Helper()
	q.Set("limit", strconv.Itoa(limit))
	var ids []int64
	for pages := 1; ; pages++ {
		var p page[vouch.AuditEntry]
		f.get(t, "admin", "/api/v1/audit?"+q.Encode(), &p)
		if p.Total != total {
			t.Fatalf("page %d: total %d, want %d", pages, p.Total, total)
		}
		for _, e := range p.Items {
			if len(ids) > 0 && e.ID >= ids[len(ids)-1] {
				t.Fatalf("page %d: entry %d after entry %d", pages, e.ID, ids[len(ids)-1])
			}
			ids = append(ids, e.ID)
		}
		if p.NextCursor == "" {
			return ids, pages
		}
		if len(p.Items) != limit {
			t.Fatalf("page %d has %d entries and a next_cursor; want a full page of %d", pages, len(p.Items), limit)
		}
		if pages > total {
			t.Fatalf("more pages than entries")
		}
		q.Set("cursor", p.NextCursor)
	}
}
