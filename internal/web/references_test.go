package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/demo"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// valueID returns the id of a taxonomy value by name.
func valueID(t *testing.T, db *store.DB, kind vouch.TaxonomyKind, name string) int64 {
	t.Helper()
	vals, err := db.ListTaxonomy(ctx, kind)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vals {
		if strings.EqualFold(v.Name, name) {
			return v.ID
		}
	}
	t.Fatalf("no %s value %q", kind, name)
	return 0
}

func idOf(v int64) string { return strconv.FormatInt(v, 10) }

// pathID reads the id at the end of a path like /references/12.
func pathID(t *testing.T, resp *http.Response) int64 {
	t.Helper()
	id, err := strconv.ParseInt(resp.Request.URL.Path[strings.LastIndex(resp.Request.URL.Path, "/")+1:], 10, 64)
	if err != nil {
		t.Fatalf("no id in %s", resp.Request.URL.Path)
	}
	return id
}

// facetCount reads the count shown next to a facet value's checkbox; -1 when the value is not listed.
func facetCount(body, facet, value string) (int, bool) {
	re := regexp.MustCompile(`name="` + facet + `" value="` + regexp.QuoteMeta(value) +
		`" form="ref-search"( checked)?> <span class="facet-label">[^<]*</span> <span class="count">(\d+)</span>`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		return -1, false
	}
	n, _ := strconv.Atoi(m[2])
	return n, m[1] != ""
}

// program sets up a server's program team: an admin, a program manager and a
// seller, and an account with a reference in each given status.
type program struct {
	s       *testutil.Server
	acme    *vouch.Account
	refs    map[string]*vouch.Reference
	call    int64
	pmEmail string
}

func newProgram(t *testing.T, s *testutil.Server, statuses map[string]vouch.Status) *program {
	t.Helper()
	testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
	p := &program{s: s, refs: map[string]*vouch.Reference{}, pmEmail: "pam@example.com",
		call: valueID(t, s.DB, vouch.TaxActivityType, "Call")}
	p.acme = &vouch.Account{Name: "Acme Hospitals", IndustryID: valueID(t, s.DB, vouch.TaxIndustry, "Healthcare"),
		RegionID: valueID(t, s.DB, vouch.TaxRegion, "EMEA")}
	if err := s.DB.CreateAccount(ctx, p.acme); err != nil {
		t.Fatal(err)
	}
	for name, st := range statuses {
		r := &vouch.Reference{AccountID: p.acme.ID, Name: name, Status: st, Title: "Director",
			Activities: []vouch.AgreedActivity{{TypeID: p.call}}}
		if st == vouch.StatusRetired {
			r.StatusReason = "Left the company"
		}
		if err := s.DB.CreateReference(ctx, r); err != nil {
			t.Fatal(err)
		}
		p.refs[name] = r
	}
	return p
}

func TestReferenceCreatedThroughTheFormIsFoundBySearchAndFacet(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		pm := testutil.Login(t, s, "pam@example.com")
		analytics := valueID(t, s.DB, vouch.TaxProduct, "Analytics")
		call := valueID(t, s.DB, vouch.TaxActivityType, "Call")

		resp, body := pm.Get("/references")
		expect(t, "empty list", resp, http.StatusOK, "/references")
		mustContain(t, "empty list", body, "No references yet.", `href="/references/import"`, "Add reference")

		resp, body = pm.Get("/references/new")
		expect(t, "new form", resp, http.StatusOK, "/references/new")
		mustContain(t, "new form", body, `name="account"`, `name="consent_`+idOf(call)+`"`, "Analytics")

		resp, body = pm.PostForm("/references/new", url.Values{
			"account": {"Acme Hospitals"}, "create_account": {"1"}, "name": {"Maya  Okafor"}, "title": {"Chief Information Officer"},
			"seniority": {"executive"}, "email": {"Maya@Acme.example"}, "time_zone": {"Europe/Berlin"}, "languages": {"English, German"},
			"products": {idOf(analytics)}, "activities": {idOf(call)}, "consent_" + idOf(call): {"2026-01-10"},
			"story": {"Migrated patient scheduling to the cloud and cut waiting times by half."}, "status": {"active"},
			"last_verified": {s.DB.Today().String()}, "capacity": {""}, "owner_id": {"0"},
		})
		expect(t, "create", resp, http.StatusOK, "")
		id := pathID(t, resp)
		mustContain(t, "profile after create", body, "Added Maya Okafor at Acme Hospitals as active.",
			"Acme Hospitals is a new account", "Chief Information Officer", "maya@acme.example", "consent 10 Jan 2026",
			"Migrated patient scheduling", "0 of 3 used", "Europe/Berlin", "Speaks English, German")

		for what, path := range map[string]string{
			"name":            "/references?q=okafor",
			"prefix as typed": "/references?q=oka",
			"story, stemmed":  "/references?q=migrating",
			"account":         "/references?q=acme",
			"product facet":   "/references?product=analytics",
			"two facets":      "/references?product=Analytics&activity_type=Call&status=active",
			"comma lists":     "/references?product=Security,Analytics&status=resting,active&has_capacity=1",
		} {
			resp, body := pm.Get(path)
			expect(t, what, resp, http.StatusOK, "/references")
			mustContain(t, what, body, fmt.Sprintf(`href="/references/%d"`, id), "1 reference")
		}
		_, body = pm.Get("/references?product=Security")
		mustContain(t, "other product", body, "0 references match", "No reference matches these filters", `href="/references">clear all filters`)
		if strings.Contains(body, fmt.Sprintf(`href="/references/%d"`, id)) {
			t.Error("a product filter the reference does not have still lists it")
		}
		// The product facet's counts ignore the product selection: Analytics still shows 1.
		if n, checked := facetCount(body, "product", "Security"); n != 0 || !checked {
			t.Errorf("Security: count %d checked %v, want 0 and checked", n, checked)
		}
		if n, checked := facetCount(body, "product", "Analytics"); n != 1 || checked {
			t.Errorf("Analytics: count %d checked %v, want 1 and not checked", n, checked)
		}
		// An unknown value is kept in the URL's filter and said, not silently dropped.
		_, body = pm.Get("/references?industry=Heathcare")
		mustContain(t, "unknown value", body, "No industry is called “Heathcare”", "0 references match")

		// Export links carry the same view.
		_, body = pm.Get("/references?q=okafor&status=active")
		mustContain(t, "export", body, `href="/references/export.csv?q=okafor&amp;status=active"`, `href="/references/export.xlsx?q=okafor&amp;status=active"`)
	})
}

func TestReferenceFormShowsErrorsNextToFieldsAndKeepsInput(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "pam@example.com", vouch.RoleProgramManager)
		pm := testutil.Login(t, s, "pam@example.com")
		pm.Get("/references/new")
		resp, body := pm.PostForm("/references/new", url.Values{
			"account": {"Nobody Inc"}, "name": {"  "}, "email": {"not-an-email"}, "time_zone": {"Mars/Olympus"},
			"go_live": {"last spring"}, "capacity": {"lots"}, "title": {"Keeps this"},
		})
		expect(t, "invalid", resp, http.StatusBadRequest, "/references/new")
		mustContain(t, "invalid", body,
			`id="account-error">Account “Nobody Inc” is not an account yet: check the spelling, or ask to create it (tick “Create this account”; create_account in the API).</p>`,
			`id="name-error">Name is required.</p>`,
			`id="email-error">Email must be an address like name@example.com.</p>`,
			`id="time_zone-error">Time zone must be a time zone like Europe/Berlin or America/New_York.</p>`,
			`id="go_live-error">Go-live date must be a date like 2026-03-14.</p>`,
			`id="capacity-error">Capacity must be a whole number`,
			"Please correct the 6 highlighted fields.", `value="Keeps this"`, `value="not-an-email"`, `value="Nobody Inc"`)
		if n, _ := s.DB.CountReferences(ctx); n != 0 {
			t.Errorf("%d references after a refused form", n)
		}
		if _, err := s.DB.AccountByName(ctx, "Nobody Inc"); err == nil {
			t.Error("a refused form created its account")
		}

		// A valid reference with a new account that then fails in the store creates neither.
		acme := &vouch.Account{Name: "Acme"}
		if err := s.DB.CreateAccount(ctx, acme); err != nil {
			t.Fatal(err)
		}
		if err := s.DB.CreateReference(ctx, &vouch.Reference{AccountID: acme.ID, Name: "First", Email: "taken@example.com"}); err != nil {
			t.Fatal(err)
		}
		resp, body = pm.PostForm("/references/new", url.Values{"account": {"Brand New Co"}, "create_account": {"1"},
			"name": {"Second"}, "email": {"taken@example.com"}})
		expect(t, "duplicate email", resp, http.StatusConflict, "/references/new")
		mustContain(t, "duplicate email", body, "Another reference already has that email address.", `id="email-error">Email is already used by another reference.</p>`)
		if _, err := s.DB.AccountByName(ctx, "Brand New Co"); err == nil {
			t.Error("a refused reference left its new account behind")
		}
	})
}

func TestReferencesFacetCountsAndPagination(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "ada@example.com", vouch.RoleAdmin)
		if _, err := demo.Load(ctx, s.DB, demo.Options{Seed: 7, References: 120, ReferencesOnly: true}); err != nil {
			t.Fatal(err)
		}
		recs, err := s.DB.LoadReferenceRecords(ctx, nil, s.DB.Today())
		if err != nil {
			t.Fatal(err)
		}
		healthcare := valueID(t, s.DB, vouch.TaxIndustry, "Healthcare")
		byStatus := map[vouch.Status]int{}
		activeHealthcare := 0
		for _, r := range recs {
			st := r.Reference.EffectiveStatus(s.DB.Today())
			byStatus[st]++
			if st == vouch.StatusActive && r.Account.IndustryID == healthcare {
				activeHealthcare++
			}
		}
		admin := testutil.Login(t, s, "ada@example.com")
		resp, body := admin.Get("/references")
		expect(t, "list", resp, http.StatusOK, "/references")
		mustContain(t, "first page", body, "120 references", "Showing 1–50", `href="/references?offset=50" rel="next"`)
		if strings.Contains(body, `rel="prev"`) {
			t.Error("the first page links to a previous one")
		}
		if got := strings.Count(body, `<td data-label="Name"`); got != 50 {
			t.Errorf("first page shows %d references, want 50", got)
		}
		for _, st := range vouch.Statuses {
			if n, _ := facetCount(body, "status", string(st)); byStatus[st] > 0 && n != byStatus[st] {
				t.Errorf("status %s: facet shows %d, want %d", st, n, byStatus[st])
			}
		}

		_, body = admin.Get("/references?offset=100")
		mustContain(t, "last page", body, "Showing 101–120", `href="/references?offset=50" rel="prev"`)
		if strings.Contains(body, `rel="next"`) || strings.Count(body, `<td data-label="Name"`) != 20 {
			t.Error("the last page should show 20 references and no next link")
		}

		// Filters stay in the URL and in the pages' links; counts of the
		// status facet ignore the status selection.
		resp, body = admin.Get("/references?status=active&industry=Healthcare")
		expect(t, "filtered", resp, http.StatusOK, "/references")
		mustContain(t, "filtered", body, fmt.Sprintf("%d references match", activeHealthcare))
		if n, checked := facetCount(body, "status", "active"); n != activeHealthcare || !checked {
			t.Errorf("active within Healthcare: %d (checked %v), want %d checked", n, checked, activeHealthcare)
		}
		if n, checked := facetCount(body, "industry", "Healthcare"); n != activeHealthcare || !checked {
			t.Errorf("Healthcare within active: %d (checked %v), want %d checked", n, checked, activeHealthcare)
		}
		// The selected values come first in their facet.
		if i, j := strings.Index(body, `name="industry" value="Healthcare"`), strings.Index(body, `name="industry" value=`); i != j || i < 0 {
			t.Error("the selected industry is not listed first")
		}
	})
}

func TestProfileShowsCapacityAfterLoggingActivities(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		p := newProgram(t, s, map[string]vouch.Status{"Maya Okafor": vouch.StatusActive})
		maya := p.refs["Maya Okafor"]
		pm := testutil.Login(t, s, p.pmEmail)
		path := fmt.Sprintf("/references/%d", maya.ID)
		_, body := pm.Get(path)
		mustContain(t, "before", body, "0 of 3 used", "3 free now", "Nothing logged yet.")

		resp, body := pm.PostForm(path+"/activities", url.Values{"activity_type": {""}, "occurred_on": {"14 March"}})
		expect(t, "bad activity", resp, http.StatusBadRequest, path+"/activities")
		mustContain(t, "bad activity", body, `id="occurred_on-error">Date must be a date like 2026-03-14.</p>`, "Nothing was logged.")
		resp, body = pm.PostForm(path+"/activities", url.Values{"activity_type": {""}, "occurred_on": {s.DB.Today().String()}})
		expect(t, "no type", resp, http.StatusBadRequest, "")
		mustContain(t, "no type", body, `id="activity_type-error">Activity type is required.</p>`)

		today := s.DB.Today()
		for i, ago := range []int{20, 10, 0} {
			resp, body = pm.PostForm(path+"/activities", url.Values{"activity_type": {idOf(p.call)},
				"occurred_on": {today.AddDays(-ago).String()}, "notes": {fmt.Sprintf("Call number %d", i+1)}})
			expect(t, "log", resp, http.StatusOK, path)
			mustContain(t, "log", body, fmt.Sprintf("Call logged for %s. %d of 3 used in the last 90 days", formatDay(today.AddDays(-ago)), i+1))
		}
		free := today.AddDays(-20 + vouch.CapacityWindowDays)
		mustContain(t, "at capacity", body, "3 of 3 used</strong> in the last 90 days; next free on "+shortDay(free),
			"Call number 1", "Call number 3", `<span class="slot used"></span><span class="slot used"></span><span class="slot used"></span>`)
		_, body = pm.Get("/references?has_capacity=0")
		mustContain(t, "list at capacity", body, "1 reference match", "At capacity until "+shortDay(free))
	})
}

func formatDay(d vouch.Date) string { return d.Time().Format("2 Jan 2006") }

func shortDay(d vouch.Date) string {
	if d.Time().Year() == time.Now().UTC().Year() {
		return d.Time().Format("2 Jan")
	}
	return formatDay(d)
}

func TestStatusChangeAllowedAndRefused(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		p := newProgram(t, s, map[string]vouch.Status{"Jonas Lindqvist": vouch.StatusNominated, "Maya Okafor": vouch.StatusRetired})
		jonas, maya := p.refs["Jonas Lindqvist"], p.refs["Maya Okafor"]
		pm := testutil.Login(t, s, p.pmEmail)
		path := fmt.Sprintf("/references/%d", jonas.ID)

		_, body := pm.Get(path)
		mustContain(t, "offered", body, `<option value="qualifying">Qualifying</option>`, `<option value="retired">Retired</option>`)
		if strings.Contains(body, `<option value="active">`) {
			t.Error("a nominated reference is offered active")
		}
		resp, body := pm.PostForm(path+"/status", url.Values{"status": {"qualifying"}, "reason": {"Sponsor agreed"}, "version": {"1"}})
		expect(t, "qualify", resp, http.StatusOK, path)
		mustContain(t, "qualify", body, "Jonas Lindqvist is now qualifying.", "“Sponsor agreed”", "by pam@example.com")

		// A move the lifecycle does not allow is refused with the reason, next to the field.
		mpath := fmt.Sprintf("/references/%d", maya.ID)
		resp, body = pm.PostForm(mpath+"/status", url.Values{"status": {"active"}, "version": {"1"}})
		expect(t, "retired to active", resp, http.StatusBadRequest, mpath+"/status")
		mustContain(t, "retired to active", body, "A retired reference cannot become active; it can become Qualifying, Do not contact.",
			`id="status-error">New status cannot change from retired to active.</p>`)
		// Retiring needs a reason; resting needs a day.
		resp, body = pm.PostForm(path+"/status", url.Values{"status": {"retired"}, "version": {"2"}})
		expect(t, "no reason", resp, http.StatusBadRequest, "")
		mustContain(t, "no reason", body, `id="reason-error">Reason is required when a reference becomes retired.</p>`)
		// A status form opened before someone else's change is refused.
		resp, body = pm.PostForm(path+"/status", url.Values{"status": {"retired"}, "reason": {"Left"}, "version": {"1"}})
		expect(t, "stale form", resp, http.StatusConflict, "")
		mustContain(t, "stale form", body, "Someone else saved this reference after you opened it.")
		if r, _ := s.DB.Reference(ctx, jonas.ID); r.Status != vouch.StatusQualifying {
			t.Errorf("status %s after refused changes, want qualifying", r.Status)
		}
	})
}

func TestEditConflictKeepsInputAndTheFirstSave(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		p := newProgram(t, s, map[string]vouch.Status{"Maya Okafor": vouch.StatusActive})
		maya := p.refs["Maya Okafor"]
		testutil.CreateUser(t, s.DB, "tess@example.com", vouch.RoleTeamMember)
		pam, tess := testutil.Login(t, s, p.pmEmail), testutil.Login(t, s, "tess@example.com")
		path := fmt.Sprintf("/references/%d/edit", maya.ID)

		form := func(b *testutil.Browser) url.Values {
			resp, body := b.Get(path)
			expect(t, "edit form", resp, http.StatusOK, path)
			mustContain(t, "edit form", body, `<input type="hidden" name="version" value="1">`, `value="Acme Hospitals"`, `value="Maya Okafor"`)
			return url.Values{"version": {"1"}, "account": {"Acme Hospitals"}, "name": {"Maya Okafor"},
				"activities": {idOf(p.call)}}
		}
		first, second := form(pam), form(tess)
		first.Set("title", "Chief Information Officer")
		resp, body := pam.PostForm(path, first)
		expect(t, "first save", resp, http.StatusOK, fmt.Sprintf("/references/%d", maya.ID))
		mustContain(t, "first save", body, "Saved Maya Okafor.", "Chief Information Officer")

		second.Set("title", "Chief Technology Officer")
		second.Set("story", "Tess's story")
		resp, body = tess.PostForm(path, second)
		expect(t, "second save", resp, http.StatusConflict, path)
		mustContain(t, "second save", body, "Someone else saved this reference after you opened it.",
			`value="Chief Technology Officer"`, ">Tess&#39;s story</textarea>", "What differs from the saved version",
			"<td data-label=\"Saved now\">Chief Information Officer</td>", `name="version" value="2"`)
		r, _ := s.DB.Reference(ctx, maya.ID)
		if r.Title != "Chief Information Officer" || r.Story != "" || r.Version != 2 {
			t.Fatalf("after the refused save: title %q story %q version %d; want the first save kept", r.Title, r.Story, r.Version)
		}
		// Saving again from the conflict page is a deliberate choice, and works.
		second.Set("version", "2")
		resp, _ = tess.PostForm(path, second)
		expect(t, "deliberate save", resp, http.StatusOK, fmt.Sprintf("/references/%d", maya.ID))
		if r, _ := s.DB.Reference(ctx, maya.ID); r.Title != "Chief Technology Officer" {
			t.Errorf("title %q after the deliberate save", r.Title)
		}
	})
}

func TestBulkStatusChangeSkipsWhatCannotMove(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		p := newProgram(t, s, map[string]vouch.Status{"Jonas Lindqvist": vouch.StatusQualifying,
			"Priya Raman": vouch.StatusQualifying, "Maya Okafor": vouch.StatusRetired, "Omar Haddad": vouch.StatusActive})
		pm := testutil.Login(t, s, p.pmEmail)
		_, body := pm.Get("/references?status=qualifying&status=retired")
		mustContain(t, "bulk form", body, `action="/references/bulk"`, `name="back" value="/references?status=qualifying&amp;status=retired"`,
			`name="id" value="`+idOf(p.refs["Maya Okafor"].ID)+`" form="bulk"`)
		ids := []string{idOf(p.refs["Jonas Lindqvist"].ID), idOf(p.refs["Priya Raman"].ID), idOf(p.refs["Maya Okafor"].ID),
			idOf(p.refs["Omar Haddad"].ID)}
		resp, body := pm.PostForm("/references/bulk", url.Values{"action": {"status"}, "status": {"active"}, "id": ids,
			"back": {"/references?status=qualifying&status=retired"}})
		expect(t, "bulk", resp, http.StatusOK, "/references")
		if got := resp.Request.URL.RawQuery; got != "status=qualifying&status=retired" {
			t.Errorf("back at ?%s, want the list it came from", got)
		}
		mustContain(t, "bulk", body, "2 changed; 1 already active; 1 skipped: Maya Okafor — A retired reference cannot become active; it can become Qualifying, Do not contact.")
		for name, want := range map[string]vouch.Status{"Jonas Lindqvist": vouch.StatusActive, "Priya Raman": vouch.StatusActive,
			"Maya Okafor": vouch.StatusRetired, "Omar Haddad": vouch.StatusActive} {
			if r, _ := s.DB.Reference(ctx, p.refs[name].ID); r.Status != want {
				t.Errorf("%s is %s, want %s", name, r.Status, want)
			}
		}

		// A reason every reference would need refuses the whole action.
		_, body = pm.PostForm("/references/bulk", url.Values{"action": {"status"}, "status": {"retired"}, "id": ids[:2], "back": {"/references"}})
		mustContain(t, "no reason", body, "Nothing changed: Reason is required when a reference becomes retired.")
		// Nothing ticked.
		_, body = pm.PostForm("/references/bulk", url.Values{"action": {"verify"}, "back": {"/references"}})
		mustContain(t, "none ticked", body, "Nothing changed: tick the references to change first")
		// "All on this page" takes every reference listed, without JavaScript.
		resp, body = pm.PostForm("/references/bulk", url.Values{"action": {"verify"}, "all_on_page": {"1"}, "page_id": ids,
			"back": {"https://evil.example/"}})
		expect(t, "verify all", resp, http.StatusOK, "/references")
		mustContain(t, "verify all", body, "4 changed.")
		if r, _ := s.DB.Reference(ctx, p.refs["Maya Okafor"].ID); r.LastVerified != s.DB.Today() {
			t.Errorf("last verified %s, want today", r.LastVerified)
		}
		pam := userByEmail(t, s.DB, p.pmEmail)
		_, body = pm.PostForm("/references/bulk", url.Values{"action": {"owner"}, "owner_id": {idOf(pam.ID)}, "id": ids[:1], "back": {"/references"}})
		mustContain(t, "owner", body, "1 changed.")
		if r, _ := s.DB.Reference(ctx, p.refs["Jonas Lindqvist"].ID); r.OwnerID != pam.ID {
			t.Errorf("owner %d, want %d", r.OwnerID, pam.ID)
		}
	})
}

func TestReferencePagesByRole(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		p := newProgram(t, s, map[string]vouch.Status{"Maya Okafor": vouch.StatusActive})
		maya := p.refs["Maya Okafor"]
		testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		testutil.CreateUser(t, s.DB, "vic@example.com", vouch.RoleViewer)
		seller, viewer := testutil.Login(t, s, "sam@example.com"), testutil.Login(t, s, "vic@example.com")
		path := fmt.Sprintf("/references/%d", maya.ID)

		resp, body := seller.Get("/references")
		expect(t, "seller list", resp, http.StatusOK, "/references")
		mustContain(t, "seller list", body, "Maya Okafor", `href="/references"`, `href="/accounts"`)
		for _, hidden := range []string{"Add reference", `action="/references/bulk"`, `form="bulk"`} {
			if strings.Contains(body, hidden) {
				t.Errorf("a seller sees %q", hidden)
			}
		}
		resp, body = seller.Get(path)
		expect(t, "seller profile", resp, http.StatusOK, path)
		mustContain(t, "seller profile", body, "Maya Okafor", "Only the program team can change references.")
		if strings.Contains(body, "Edit reference") || strings.Contains(body, `action="`+path+`/status"`) {
			t.Error("a seller is offered edits")
		}
		for _, post := range []string{path + "/edit", path + "/status", path + "/activities", path + "/verify", "/references/new", "/references/bulk"} {
			resp, _ := seller.PostForm(post, url.Values{"name": {"Hacked"}, "status": {"retired"}, "reason": {"x"}, "id": {idOf(maya.ID)}, "action": {"status"}})
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("seller POST %s: %d, want 403", post, resp.StatusCode)
			}
		}
		if resp, _ := seller.Get(path + "/edit"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("seller GET edit: %d, want 403", resp.StatusCode)
		}
		if r, _ := s.DB.Reference(ctx, maya.ID); r.Name != "Maya Okafor" || r.Status != vouch.StatusActive {
			t.Error("a seller's posts changed the reference")
		}

		for _, get := range []string{"/references", path, "/accounts", fmt.Sprintf("/accounts/%d", p.acme.ID)} {
			if resp, _ := viewer.Get(get); resp.StatusCode != http.StatusForbidden {
				t.Errorf("viewer GET %s: %d, want 403", get, resp.StatusCode)
			}
		}
		_, body = viewer.Get("/")
		if strings.Contains(body, `href="/references"`) {
			t.Error("the viewer's navigation links to references")
		}
	})
}

func TestDashboardReferenceTiles(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		p := newProgram(t, s, map[string]vouch.Status{"Maya Okafor": vouch.StatusActive, "Jonas Lindqvist": vouch.StatusActive,
			"Priya Raman": vouch.StatusNominated})
		if _, err := s.DB.BulkMarkVerified(ctx, []int64{p.refs["Maya Okafor"].ID}, s.DB.Today()); err != nil {
			t.Fatal(err)
		}
		pm := testutil.Login(t, s, p.pmEmail)
		_, body := pm.Get("/")
		mustContain(t, "tiles", body,
			`href="/references?status=active">`, "Active references</h3>\n    <p class=\"big-number\">2</p>",
			`href="/references?status=active&amp;verified=0&amp;sort=verified">`, "Stale references</h3>\n    <p class=\"big-number\">1</p>",
			`href="/references?status=active&amp;has_capacity=0">`, "At capacity</h3>\n    <p class=\"big-number\">0</p>",
			`href="/references?status=nominated">`, "Awaiting qualification</h3>\n    <p class=\"big-number\">1</p>")
		// The stale tile's link gives the list it counted.
		_, body = pm.Get("/references?status=active&verified=0&sort=verified")
		mustContain(t, "stale list", body, "1 reference matches", "Jonas Lindqvist")
	})
}

func TestLiveSearchScriptIsServed(t *testing.T) {
	s := testutil.StartServer(t, store.SQLite)
	resp, err := http.Get(s.URL + "/static/live.js")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "javascript") {
		t.Errorf("live.js: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

func TestReferenceWithNoCapacityIsListed(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		p := newProgram(t, s, map[string]vouch.Status{"Maya Okafor": vouch.StatusActive})
		maya := p.refs["Maya Okafor"]
		maya.CapacityOverride = new(int) // never to be asked: 0 activities per 90 days
		if err := s.DB.UpdateReference(ctx, maya); err != nil {
			t.Fatal(err)
		}
		if err := s.DB.LogActivity(ctx, &vouch.Activity{ReferenceID: maya.ID, TypeID: p.call, OccurredOn: s.DB.Today()}); err != nil {
			t.Fatal(err)
		}
		pm := testutil.Login(t, s, p.pmEmail)
		resp, body := pm.Get("/references")
		expect(t, "list", resp, http.StatusOK, "/references")
		mustContain(t, "list", body, "Maya Okafor", "Not available")
		resp, body = pm.Get(fmt.Sprintf("/references/%d", maya.ID))
		expect(t, "profile", resp, http.StatusOK, "")
		mustContain(t, "profile", body, "Not to be asked:</strong> the limit for Maya Okafor is 0 activities per 90 days (1 in the last 90 days).")
	})
}
