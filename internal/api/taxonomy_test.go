package api_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

func TestTaxonomiesRead(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		// One retired value, to see include_retired at work.
		video := findValue(t, f.srv.DB, vouch.TaxActivityType, "Video")
		retired := true
		if _, err := f.srv.DB.UpdateTaxonomyValue(ctx, video.ID, vouch.TaxonomyUpdate{Retired: &retired}); err != nil {
			t.Fatal(err)
		}
		activityTypes := vouch.DefaultTaxonomies[vouch.TaxActivityType]

		type taxonomy struct {
			Kind   vouch.TaxonomyKind    `json:"kind"`
			Label  string                `json:"label"`
			Values []vouch.TaxonomyValue `json:"values"`
		}
		names := func(vs []vouch.TaxonomyValue) []string {
			var out []string
			for _, v := range vs {
				out = append(out, v.Name)
			}
			return out
		}
		allKinds := func(wantActivityTypes []string) func(t *testing.T, r response) {
			return func(t *testing.T, r response) {
				var p page[taxonomy]
				r.decode(t, &p)
				if n := len(vouch.TaxonomyKinds); p.Total != n || len(p.Items) != n || p.NextCursor != "" {
					t.Fatalf("total %d, %d items, next %q; want %d picklists on one page", p.Total, len(p.Items), p.NextCursor, n)
				}
				for i, k := range vouch.TaxonomyKinds {
					if p.Items[i].Kind != k || p.Items[i].Label != k.Label() {
						t.Errorf("picklist %d is %s %q, want %s %q", i, p.Items[i].Kind, p.Items[i].Label, k, k.Label())
					}
				}
				if got := names(p.Items[8].Values); !slices.Equal(got, wantActivityTypes) {
					t.Errorf("activity types %v, want %v", got, wantActivityTypes)
				}
			}
		}
		oneKind := func(want []string) func(t *testing.T, r response) {
			return func(t *testing.T, r response) {
				var p page[vouch.TaxonomyValue]
				r.decode(t, &p)
				if got := names(p.Items); !slices.Equal(got, want) || p.Total != len(want) {
					t.Errorf("values %v (total %d), want %v", got, p.Total, want)
				}
			}
		}

		f.run(t, []scenario{
			{name: "all, as viewer", method: "GET", path: "/api/v1/taxonomies", as: "viewer", status: 200,
				want:  []string{`"kind":"industry","label":"Industries"`, `"name":"Call"`, `"name":"Video"`},
				check: allKinds(activityTypes)},
			{name: "all, as seller, retired hidden", method: "GET", path: "/api/v1/taxonomies?include_retired=false", as: "seller",
				status: 200, check: allKinds(activityTypes[:len(activityTypes)-1])},
			{name: "one kind", method: "GET", path: "/api/v1/taxonomies/activity_type", as: "team_member",
				status: 200, want: []string{`"retired":true`}, check: oneKind(activityTypes)},
			{name: "one kind, retired hidden", method: "GET", path: "/api/v1/taxonomies/activity_type?include_retired=false",
				as: "program_manager", status: 200, check: oneKind(activityTypes[:len(activityTypes)-1])},
			{name: "unknown kind", method: "GET", path: "/api/v1/taxonomies/colour", as: "admin", offSpec: true,
				status: 404, want: []string{`"code":"not_found"`, "colour"}},
			{name: "bad include_retired", method: "GET", path: "/api/v1/taxonomies?include_retired=maybe", as: "admin",
				offSpec: true, status: 400, fields: []string{"include_retired"}},
			{name: "no token", method: "GET", path: "/api/v1/taxonomies", offSpec: true, status: 401},
		})
	})
}

func TestTaxonomyChanges(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		initech := findValue(t, f.srv.DB, vouch.TaxCompetitor, "Initech")
		value := func(want vouch.TaxonomyValue) func(t *testing.T, r response) {
			return func(t *testing.T, r response) {
				var got vouch.TaxonomyValue
				r.decode(t, &got)
				if got.Kind != want.Kind || got.Name != want.Name || got.Position != want.Position || got.Retired != want.Retired {
					t.Errorf("value %+v, want %+v", got, want)
				}
			}
		}
		last := len(vouch.DefaultTaxonomies[vouch.TaxCompetitor]) * 10
		initechPath := fmt.Sprintf("/api/v1/taxonomies/competitor/%d", initech.ID)

		f.run(t, []scenario{
			{name: "create", method: "POST", path: "/api/v1/taxonomies/competitor", as: "admin",
				body: `{"name": "  Hooli   Inc "}`, status: 201,
				check: value(vouch.TaxonomyValue{Kind: vouch.TaxCompetitor, Name: "Hooli Inc", Position: last + 10})},
			{name: "create at a position", method: "POST", path: "/api/v1/taxonomies/competitor", as: "admin",
				body: `{"name": "Vandelay", "position": 5}`, status: 201,
				check: value(vouch.TaxonomyValue{Kind: vouch.TaxCompetitor, Name: "Vandelay", Position: 5})},
			{name: "duplicate ignoring case", method: "POST", path: "/api/v1/taxonomies/competitor", as: "admin",
				body: `{"name": "hooli inc"}`, status: 409, fields: []string{"name"}, want: []string{`"code":"conflict"`}},
			{name: "same name in another picklist", method: "POST", path: "/api/v1/taxonomies/product", as: "admin",
				body: `{"name": "Hooli Inc"}`, status: 201},
			{name: "empty name", method: "POST", path: "/api/v1/taxonomies/competitor", as: "admin",
				body: `{"name": ""}`, offSpec: true, status: 400, fields: []string{"name"}},
			{name: "blank name", method: "POST", path: "/api/v1/taxonomies/competitor", as: "admin",
				body: `{"name": "   "}`, status: 400, fields: []string{"name"}},
			{name: "missing name", method: "POST", path: "/api/v1/taxonomies/competitor", as: "admin",
				body: `{}`, offSpec: true, status: 400, fields: []string{"name"}},
			{name: "unknown field", method: "POST", path: "/api/v1/taxonomies/competitor", as: "admin",
				body: `{"name": "X", "colour": "red"}`, offSpec: true, status: 400, fields: []string{"colour"}},
			{name: "wrong type", method: "POST", path: "/api/v1/taxonomies/competitor", as: "admin",
				body: `{"name": 42}`, offSpec: true, status: 400, fields: []string{"name"}, want: []string{"must be a string"}},
			{name: "not an object", method: "POST", path: "/api/v1/taxonomies/competitor", as: "admin",
				body: `["X"]`, offSpec: true, status: 400, want: []string{"must be a JSON object"}},
			{name: "two objects", method: "POST", path: "/api/v1/taxonomies/competitor", as: "admin",
				// Not offSpec: kin-openapi validates the first object and ignores the rest.
				body: `{"name": "X"} {"name": "Y"}`, status: 400, want: []string{"one JSON object"}},
			{name: "malformed JSON", method: "POST", path: "/api/v1/taxonomies/competitor", as: "admin",
				body: `{"name": "X"`, offSpec: true, status: 400, want: []string{"not valid JSON"}},
			{name: "no body", method: "POST", path: "/api/v1/taxonomies/competitor", as: "admin",
				offSpec: true, status: 400, want: []string{"body is empty"}},
			{name: "unknown kind", method: "POST", path: "/api/v1/taxonomies/colour", as: "admin",
				body: `{"name": "Red"}`, offSpec: true, status: 404},
			{name: "seller may not create", method: "POST", path: "/api/v1/taxonomies/competitor", as: "seller",
				body: `{"name": "Pied Piper"}`, status: 403, want: []string{`"code":"forbidden"`}},
			{name: "program manager may not create", method: "POST", path: "/api/v1/taxonomies/competitor", as: "program_manager",
				body: `{"name": "Pied Piper"}`, status: 403},

			{name: "rename", method: "PATCH", path: initechPath, as: "admin",
				body: `{"name": "Initrode"}`, status: 200,
				check: value(vouch.TaxonomyValue{Kind: vouch.TaxCompetitor, Name: "Initrode", Position: initech.Position})},
			{name: "rename onto another value", method: "PATCH", path: initechPath, as: "admin",
				body: `{"name": "GLOBEX"}`, status: 409, fields: []string{"name"}},
			{name: "retire and move", method: "PATCH", path: initechPath, as: "admin",
				body: `{"retired": true, "position": 1}`, status: 200,
				check: value(vouch.TaxonomyValue{Kind: vouch.TaxCompetitor, Name: "Initrode", Position: 1, Retired: true})},
			{name: "empty patch changes nothing", method: "PATCH", path: initechPath, as: "admin",
				body: `{}`, status: 200,
				check: value(vouch.TaxonomyValue{Kind: vouch.TaxCompetitor, Name: "Initrode", Position: 1, Retired: true})},
			{name: "restore", method: "PATCH", path: initechPath, as: "admin",
				body: `{"retired": false}`, status: 200, want: []string{`"retired":false`}},
			{name: "patch through the wrong picklist", method: "PATCH", path: fmt.Sprintf("/api/v1/taxonomies/industry/%d", initech.ID),
				as: "admin", body: `{"name": "Initrode"}`, status: 404},
			{name: "patch missing value", method: "PATCH", path: "/api/v1/taxonomies/competitor/999999", as: "admin",
				body: `{"name": "X"}`, status: 404},
			{name: "patch bad id", method: "PATCH", path: "/api/v1/taxonomies/competitor/abc", as: "admin",
				body: `{"name": "X"}`, offSpec: true, status: 404},
			{name: "seller may not patch", method: "PATCH", path: initechPath, as: "seller",
				body: `{"name": "X"}`, status: 403},

			{name: "seller may not delete", method: "DELETE", path: initechPath, as: "seller", status: 403},
			{name: "delete through the wrong picklist", method: "DELETE", path: fmt.Sprintf("/api/v1/taxonomies/region/%d", initech.ID),
				as: "admin", status: 404},
			{name: "delete", method: "DELETE", path: initechPath, as: "admin", status: 204,
				check: func(t *testing.T, r response) {
					if len(r.body) != 0 {
						t.Errorf("204 with a body: %s", r.body)
					}
				}},
			{name: "delete again", method: "DELETE", path: initechPath, as: "admin", status: 404},
			{name: "list after the changes", method: "GET", path: "/api/v1/taxonomies/competitor", as: "seller", status: 200,
				check: func(t *testing.T, r response) {
					var p page[vouch.TaxonomyValue]
					r.decode(t, &p)
					var got []string
					for _, v := range p.Items {
						got = append(got, v.Name)
					}
					want := []string{"Vandelay", "Acme Corp", "Globex", "Umbrella", "Homegrown / spreadsheets", "Hooli Inc"}
					if !slices.Equal(got, want) {
						t.Errorf("competitors %v, want %v", got, want)
					}
				}},
		})

		// The audit log shows the rename, with the admin as actor.
		var audit page[vouch.AuditEntry]
		f.get(t, "admin", fmt.Sprintf("/api/v1/audit?entity_type=taxonomy_value&entity_id=%d&action=update", initech.ID), &audit)
		if audit.Total != 3 || len(audit.Items) != 3 {
			t.Fatalf("%d updates of Initech logged (total %d), want 3: %+v", len(audit.Items), audit.Total, audit.Items)
		}
		rename := audit.Items[2] // oldest last
		if rename.Actor != "admin@example.com" || rename.ActorID != f.users["admin"].ID {
			t.Errorf("rename logged as by %q (%d), want admin@example.com", rename.Actor, rename.ActorID)
		}
		if len(rename.Changes) != 1 || rename.Changes[0].Field != "name" ||
			rename.Changes[0].Before != "Initech" || rename.Changes[0].After != "Initrode" {
			t.Errorf("rename logged as %+v, want name Initech → Initrode", rename.Changes)
		}
	})
}

// TestTaxonomyValueInUse deletes a value an account uses: refused with a
// conflict that says to retire it, which works.
func TestTaxonomyValueInUse(t *testing.T) {
	for _, e := range testutil.Engines(t) {
		t.Run(string(e), func(t *testing.T) {
			f := newFixture(t, e)
			used := findValue(t, f.srv.DB, vouch.TaxIndustry, "Retail")
			a := &vouch.Account{Name: "Shopwell Stores", IndustryID: used.ID}
			if err := f.srv.DB.CreateAccount(context.Background(), a); err != nil {
				t.Fatal(err)
			}
			f.run(t, []scenario{
				{name: "delete a value in use", method: "DELETE", path: fmt.Sprintf("/api/v1/taxonomies/industry/%d", used.ID),
					as: "admin", status: 409, want: []string{`"code":"conflict"`, "retire it instead"}},
				{name: "retire it instead", method: "PATCH", path: fmt.Sprintf("/api/v1/taxonomies/industry/%d", used.ID),
					as: "admin", body: `{"retired": true}`, status: 200},
			})
		})
	}
}

// findValue returns the value of kind named name.
func findValue(t testing.TB, db *store.DB, kind vouch.TaxonomyKind, name string) *vouch.TaxonomyValue {
	t.Helper()
	values, err := db.ListTaxonomy(context.Background(), kind)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range values {
		if v.Name == name {
			return v
		}
	}
	t.Fatalf("no %s value %q", kind, name)
	return nil
}
