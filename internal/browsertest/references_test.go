package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/demo"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// The reference pages as a person uses them: adding a reference through the
// form, finding it by search and facets (live, without a page load), two
// people editing it at once, changing its status, and the list on a phone.

var referencePath = regexp.MustCompile(`^/references/(\d+)$`)

// asTest is the context store writes made by a test's setup run in.
func asTest() context.Context {
	return vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})
}

// taxID returns the id of the taxonomy value kind/name.
func taxID(t *testing.T, db *store.DB, kind vouch.TaxonomyKind, name string) int64 {
	t.Helper()
	vals, err := db.ListTaxonomy(context.Background(), kind)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vals {
		if v.Name == name {
			return v.ID
		}
	}
	t.Fatalf("no %s value %q", kind, name)
	return 0
}

// addReference stores an account (industry by name, may be "") with one
// reference, as an import or another person would, and returns the reference.
func addReference(t *testing.T, db *store.DB, account, industry string, ref *vouch.Reference) *vouch.Reference {
	t.Helper()
	a := &vouch.Account{Name: account}
	if industry != "" {
		a.IndustryID = taxID(t, db, vouch.TaxIndustry, industry)
	}
	if err := db.CreateAccount(asTest(), a); err != nil {
		t.Fatal(err)
	}
	ref.AccountID = a.ID
	if ref.Status == "" {
		ref.Status = vouch.StatusActive
	}
	if err := db.CreateReference(asTest(), ref); err != nil {
		t.Fatal(err)
	}
	return ref
}

// tick clicks the checkbox named name whose label reads label, as a person
// finds it, and checks that it ended up ticked.
func tick(t *testing.T, c *testutil.Chrome, name, label string) {
	t.Helper()
	value := testutil.Eval[string](c, fmt.Sprintf(`((name, label) => {
		const box = [...document.querySelectorAll("input[type=checkbox][name=" + JSON.stringify(name) + "]")]
			.find(b => b.closest("label") && b.closest("label").innerText.trim() === label);
		return box ? box.value : "";
	})(%q, %q)`, name, label))
	if value == "" {
		t.Fatalf("no %s checkbox labelled %q", name, label)
	}
	sel := fmt.Sprintf("input[name=%q][value=%q]", name, value)
	c.Click(sel)
	if !testutil.Eval[bool](c, fmt.Sprintf("document.querySelector(%q).checked", sel)) {
		t.Fatalf("the %s checkbox %q is not ticked after a click", name, label)
	}
}

// words is s with its runs of white space (line breaks between a label and
// its count) made single spaces.
func words(s string) string { return strings.Join(strings.Fields(s), " ") }

// noPageErrors fails the test if the pages logged errors, except the
// failed loads of the given addresses' paths (a 4xx page the test expected
// logs one).
func noPageErrors(t *testing.T, c *testutil.Chrome, expected ...string) {
	t.Helper()
	var errs []string
next:
	for _, e := range c.ConsoleErrors() {
		for _, x := range expected {
			if strings.Contains(e, "the server responded with a status of 4") && strings.HasSuffix(e, x) {
				continue next
			}
		}
		errs = append(errs, e)
	}
	if len(errs) > 0 {
		t.Errorf("the pages logged errors:\n%s", strings.Join(errs, "\n"))
	}
}

func TestCreateReferenceThroughForm(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		testutil.CreateUser(t, s.DB, "paula@example.com", vouch.RoleProgramManager)
		const (
			account = "Fjordline Freight"
			name    = "Ingrid Solberg"
			title   = "Head of Fleet Operations"
			story   = "Replaced three routing spreadsheets in six weeks; empty truck miles fell by 18% in the first quarter."
		)
		c.LoginAs(s, "paula@example.com")
		c.Open(s.URL + "/references")
		if got := c.Text(".empty-state"); !strings.Contains(got, "No references yet.") {
			t.Errorf("the empty list says %q", got)
		}

		c.Submit(`.page-head a[href="/references/new"]`)
		if p := path(t, c.URL()); p != "/references/new" || c.Text("h1") != "Add reference" {
			t.Fatalf("Add reference opened %s titled %q", c.URL(), c.Text("h1"))
		}
		c.Fill("#account", account)
		c.Click(`input[name="create_account"]`)
		c.Fill("#name", name)
		c.Paste("#title", title)
		c.Select("#seniority", "Director")
		c.Paste("#email", "ingrid.solberg@fjordline.example")
		tick(t, c, "products", "Analytics")
		tick(t, c, "products", "Automation")
		tick(t, c, "activities", "Call")
		tick(t, c, "activities", "Case study")
		c.Paste("#story", story)
		c.Select("#status", "Qualifying")
		resp := c.Submit(`form[action="/references/new"] button[type=submit]`)

		m := referencePath.FindStringSubmatch(path(t, c.URL()))
		if resp.Status != http.StatusOK || m == nil {
			msg := ""
			if c.Has(".flash-error") {
				msg = c.Text(".flash-error") + " " + strings.Join(testutil.Eval[[]string](c,
					`[...document.querySelectorAll(".field-error")].map(e => e.innerText)`), "; ")
			}
			t.Fatalf("saving the form ended at %s with status %d, want the new profile: %s", c.URL(), resp.Status, msg)
		}
		profile := c.URL()
		if got := c.Text(".flash-success"); !strings.Contains(got, "Added "+name+" at "+account+" as qualifying.") ||
			!strings.Contains(got, account+" is a new account; fill in its industry and region on its page.") {
			t.Errorf("flash after adding = %q", got)
		}
		if got := c.Text("h1"); !strings.HasPrefix(got, name) {
			t.Errorf("profile heading = %q, want the name", got)
		}
		if got := c.Text("h1 .pill"); got != "Qualifying" {
			t.Errorf("status pill = %q, want Qualifying", got)
		}
		if got := c.Text(".story"); got != story {
			t.Errorf("story on the profile = %q, want %q", got, story)
		}
		if got := c.Text(".page-head .lede"); got != title+" at "+account {
			t.Errorf("profile lede = %q", got)
		}
		details := c.Text(".facts")
		for _, want := range []string{"Director", "Analytics", "Automation", "Paula"} {
			if !strings.Contains(details, want) {
				t.Errorf("the details panel lacks %q:\n%s", want, details)
			}
		}
		if got := c.Text(".agreed"); !strings.Contains(got, "Call") || !strings.Contains(got, "Case study") {
			t.Errorf("agreed to = %q, want Call and Case study", got)
		}
		if got := c.Text(".timeline"); !strings.Contains(got, "Added as Qualifying") {
			t.Errorf("status history = %q", got)
		}

		// Industry belongs to the account: the form offers no industry field,
		// so it is set on the new account's page, as the flash says.
		if c.Has("#industry") {
			t.Errorf("the reference form grew an industry field; this test assumes it is set on the account")
		}
		c.Submit(`.page-head .lede a[href^="/accounts/"]`)
		if got := c.Text(".page-head .lede"); got != "Industry not set" {
			t.Errorf("new account's lede = %q, want Industry not set", got)
		}
		c.Submit(`.page-head a.button[href$="/edit"]`)
		c.Select("#industry", "Transportation & Logistics")
		c.Select("#region", "EMEA")
		c.Submit(`form.record-form button[type=submit]`)
		if got := c.Text(".flash-success"); got != "Saved "+account+"." {
			t.Errorf("flash after saving the account = %q", got)
		}
		c.Open(profile)
		if got := c.Text(".page-head .lede"); got != title+" at "+account+" · Transportation & Logistics · EMEA" {
			t.Errorf("profile lede after setting the industry = %q", got)
		}

		// The list shows it, with its account's industry and region (columns
		// a program manager adds), and counts it in the facets.
		c.Open(s.URL + "/references?cols=title,account,industry,region,status")
		if got := c.Text("#ref-count"); got != "1 reference" {
			t.Errorf("list count = %q, want 1 reference", got)
		}
		row := c.Text("table.refs tbody tr")
		for _, want := range []string{name, title, account, "Transportation & Logistics", "EMEA", "Qualifying"} {
			if !strings.Contains(row, want) {
				t.Errorf("the list row lacks %q: %q", want, row)
			}
		}
		if href := testutil.Eval[string](c, `document.querySelector("table.refs tbody tr .name-cell a").getAttribute("href")`); href != path(t, profile) {
			t.Errorf("the row links to %s, want %s", href, path(t, profile))
		}
		for sel, want := range map[string]string{
			`label[for="f-industry-transportation-logistics"]`: "Transportation & Logistics 1",
			`label[for="f-status-qualifying"]`:                 "Qualifying 1",
			`label[for="f-product-analytics"]`:                 "Analytics 1",
		} {
			if got := words(c.Text(sel)); got != want {
				t.Errorf("facet %s = %q, want %q", sel, got, want)
			}
		}
		noPageErrors(t, c)
	})
}

func TestFindReferenceBySearchAndFacets(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		if _, err := demo.Load(asTest(), s.DB, demo.Options{Seed: 1, References: 60, ReferencesOnly: true}); err != nil {
			t.Fatal(err)
		}
		testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		// Two references share an unusual word in their stories, at accounts in different industries.
		addReference(t, s.DB, "Solvang Energy", "Energy & Utilities", &vouch.Reference{Name: "Astrid Solvang",
			Title: "Director of Plant Operations", Story: "Forecasts heliostat cleaning across four desert plants with our analytics."})
		addReference(t, s.DB, "Brekke Components", "Manufacturing", &vouch.Reference{Name: "Henrik Brekke",
			Title: "Plant Manager", Story: "Schedules heliostat mirror production lines without spreadsheets."})

		c.LoginAs(s, "sam@example.com")
		c.Open(s.URL + "/references")
		// A seller's list: the 46 demo references a seller may request (active
		// or resting; not nominated, qualifying, retired or do not contact) and the two added.
		if got := c.Text("#ref-count"); got != "48 references" {
			t.Fatalf("list count = %q, want 48 references", got)
		}
		// A mark on the document: it survives live updates, not page loads.
		testutil.Eval[bool](c, "window.sameDocument = true")
		sameDocument := func(when string) {
			t.Helper()
			if !testutil.Eval[bool](c, "window.sameDocument === true") {
				t.Errorf("%s: the page was reloaded; live.js should have updated it in place", when)
			}
		}

		// Typing part of the word updates the results without submitting.
		c.Fill("#q", "helios")
		// Under load the keys can come slowly enough for a search per prefix: wait for the last.
		c.WaitFor(`new URLSearchParams(location.search).get("q") === "helios" &&
			document.querySelector("#ref-count").innerText === "2 references match"`)
		sameDocument("after typing")
		if u := c.URL(); !strings.Contains(u, "q=helios") {
			t.Errorf("the address did not follow the search: %s", u)
		}
		if got := slices.Sorted(slices.Values(rowNames(c))); strings.Join(got, ", ") != "Astrid Solvang, Henrik Brekke" {
			t.Errorf("rows after searching = %v, want both heliostat stories", got)
		}
		if got := c.Text("#live-status"); got != "2 references match" {
			t.Errorf("the live region says %q, want the new count for screen readers", got)
		}
		for sel, want := range map[string]string{
			`label[for="f-industry-energy-utilities"]`: "Energy & Utilities 1",
			`label[for="f-industry-manufacturing"]`:    "Manufacturing 1",
			`label[for="f-status-active"]`:             "Active 2",
		} {
			if got := words(c.Text(sel)); got != want {
				t.Errorf("facet %s after searching = %q, want %q", sel, got, want)
			}
		}
		if n := testutil.Eval[int](c, `document.querySelectorAll('#ref-facets input[name="industry"]').length`); n != 2 {
			t.Errorf("the industry facet lists %d values after searching, want the 2 that match", n)
		}

		// Ticking a facet narrows the results, again in place.
		c.Click("#f-industry-energy-utilities")
		c.WaitText("#ref-count", "1 reference matches")
		sameDocument("after ticking a facet")
		// Not checked here: the "N selected" pill of the Filters heading, which
		// sits outside the parts live.js redraws (see the bookmark below).
		u, err := url.Parse(c.URL())
		if err != nil {
			t.Fatal(err)
		}
		if q := u.Query(); q.Get("q") != "helios" || q.Get("industry") != "Energy & Utilities" {
			t.Errorf("the address after ticking = %s, want q=helios and industry=Energy & Utilities", c.URL())
		}
		if got := rowNames(c); strings.Join(got, ", ") != "Astrid Solvang" {
			t.Errorf("rows after ticking Energy & Utilities = %v", got)
		}
		if !testutil.Eval[bool](c, `document.querySelector("#f-industry-energy-utilities").checked`) {
			t.Errorf("the ticked facet is unticked after the update")
		}
		if got := words(c.Text(`label[for="f-industry-energy-utilities"]`)); got != "Energy & Utilities 1" {
			t.Errorf("ticked facet = %q", got)
		}
		if got := words(c.Text(`label[for="f-status-active"]`)); got != "Active 1" {
			t.Errorf("status facet after ticking = %q, want Active 1", got)
		}
		counts := testutil.Eval[[]string](c, `[...document.querySelectorAll("#ref-facets .facet-option .count")].map(e => e.innerText)`)
		if len(counts) == 0 {
			t.Errorf("no facet counts shown")
		}
		for _, n := range counts {
			if !regexp.MustCompile(`^\d+$`).MatchString(n) {
				t.Errorf("a facet count reads %q, want a number", n)
			}
		}
		if !c.Has(`#ref-facets a[href="/references"]`) {
			t.Errorf("no Clear all filters link once filtered")
		}
		results := c.Text("#ref-results")
		facets := c.Text("#ref-facets")
		noPageErrors(t, c)

		// The address is a bookmark: loading it gives the same page.
		bookmark := c.URL()
		c.Open(bookmark)
		if testutil.Eval[bool](c, "window.sameDocument === true") {
			t.Fatalf("opening the bookmark did not load a new page")
		}
		if got := c.Text("#ref-count"); got != "1 reference matches" {
			t.Errorf("the bookmark shows %q, want 1 reference matches", got)
		}
		if got := c.Value("#q"); got != "helios" {
			t.Errorf("the bookmark's search box holds %q", got)
		}
		if !testutil.Eval[bool](c, `document.querySelector("#f-industry-energy-utilities").checked`) {
			t.Errorf("the bookmark does not tick Energy & Utilities")
		}
		if got := c.Text("#ref-results"); got != results {
			t.Errorf("the bookmark's results differ from the live ones:\n got: %q\nwant: %q", got, results)
		}
		if got := c.Text("#ref-facets"); got != facets {
			t.Errorf("the bookmark's facets differ from the live ones:\n got: %q\nwant: %q", got, facets)
		}
		if got := c.Text(".facets > summary"); got != "Filters 1 selected" {
			t.Errorf("the Filters heading of the bookmark reads %q, want Filters 1 selected", got)
		}
		noPageErrors(t, c)
	})
}

// rowNames lists the names in the references table, in order.
func rowNames(c *testutil.Chrome) []string {
	return testutil.Eval[[]string](c, `[...document.querySelectorAll("table.refs tbody .name-cell strong")].map(e => e.innerText)`)
}

func TestEditConflictShownToSecondEditor(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, first *testutil.Chrome) {
		testutil.CreateUser(t, s.DB, "paula@example.com", vouch.RoleProgramManager)
		testutil.CreateUser(t, s.DB, "petra@example.com", vouch.RoleProgramManager)
		const oldStory = "Moved off Globex in eight weeks."
		ref := addReference(t, s.DB, "Harbor Logistics", "Transportation & Logistics", &vouch.Reference{
			Name: "Omar Haddad", Title: "Director of IT", Story: oldStory})
		second := testutil.NewBrowser(t) // another person, in a browser of their own
		first.LoginAs(s, "paula@example.com")
		second.LoginAs(s, "petra@example.com")
		edit := fmt.Sprintf("%s/references/%d/edit", s.URL, ref.ID)
		first.Open(edit)
		second.Open(edit)

		first.Paste("#title", "Chief Information Officer")
		if resp := first.Submit(`form.record-form button[type=submit]`); resp.Status != http.StatusOK {
			t.Fatalf("the first save got status %d", resp.Status)
		}
		if got := first.Text(".flash-success"); got != "Saved Omar Haddad." {
			t.Errorf("first save flash = %q", got)
		}

		const newStory = "Moved off Globex in eight weeks; now runs 40 warehouses on one platform."
		second.Paste("#story", newStory)
		second.Paste("#phone", "+47 555 0101")
		resp := second.Submit(`form.record-form button[type=submit]`)
		if resp.Status != http.StatusConflict {
			t.Errorf("the second save got status %d, want 409", resp.Status)
		}
		if got := second.Text(".flash-error"); !strings.HasPrefix(got, "Someone else saved this reference after you opened it.") {
			t.Errorf("the second editor sees %q, want the conflict message", got)
		}
		if got := second.Value("#story"); got != newStory {
			t.Errorf("the story field after the conflict = %q, want what was typed", got)
		}
		if got := second.Value("#phone"); got != "+47 555 0101" {
			t.Errorf("the phone field after the conflict = %q, want what was typed", got)
		}
		diff := testutil.Eval[[]string](second, `[...document.querySelectorAll(".conflict tbody tr")].map(r => r.innerText.replace(/\s+/g, " ").trim())`)
		want := []string{
			"Title Chief Information Officer Director of IT",
			"Phone (empty) +47 555 0101",
			"Story " + oldStory + " " + newStory,
		}
		if strings.Join(diff, "\n") != strings.Join(want, "\n") {
			t.Errorf("the conflict table lists\n%s\nwant\n%s", strings.Join(diff, "\n"), strings.Join(want, "\n"))
		}
		saved, err := s.DB.Reference(context.Background(), ref.ID)
		if err != nil {
			t.Fatal(err)
		}
		if saved.Story != oldStory || saved.Title != "Chief Information Officer" || saved.Version != 2 {
			t.Errorf("after the refused save the reference is %q / %q v%d: the first save was overwritten",
				saved.Title, saved.Story, saved.Version)
		}

		// Saving again is a deliberate choice, and goes through.
		if resp := second.Submit(`form.record-form button[type=submit]`); resp.Status != http.StatusOK {
			t.Fatalf("saving again after the conflict got status %d", resp.Status)
		}
		if got := second.Text(".story"); got != newStory {
			t.Errorf("the profile after saving again shows the story %q", got)
		}
		noPageErrors(t, first)
		noPageErrors(t, second, path(t, edit))
	})
}

func TestStatusChangeFromProfile(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		testutil.CreateUser(t, s.DB, "paula@example.com", vouch.RoleProgramManager)
		ref := addReference(t, s.DB, "Cedar Health", "Healthcare", &vouch.Reference{
			Name: "Grace Walsh", Title: "Chief Medical Officer", Status: vouch.StatusQualifying})
		c.LoginAs(s, "paula@example.com")
		profile := fmt.Sprintf("%s/references/%d", s.URL, ref.ID)
		c.Open(profile)
		if got := c.Text("h1 .pill"); got != "Qualifying" {
			t.Fatalf("status pill = %q, want Qualifying", got)
		}
		opts := testutil.Eval[[]string](c, `[...document.querySelectorAll("#new-status option")].map(o => o.text)`)
		if strings.Join(opts, ", ") != "Active, Retired, Nominated, Do not contact" {
			t.Errorf("a qualifying reference may become %v", opts)
		}
		submit := `form[action$="/status"] button[type=submit]`

		// qualifying → active is allowed.
		c.Select("#new-status", "Active")
		if resp := c.Submit(submit); resp.Status != http.StatusOK || path(t, c.URL()) != path(t, profile) {
			t.Fatalf("qualifying → active ended at %s with status %d", c.URL(), resp.Status)
		}
		if got := c.Text(".flash-success"); got != "Grace Walsh is now active." {
			t.Errorf("flash = %q", got)
		}
		if got := c.Text("h1 .pill"); got != "Active" {
			t.Errorf("status pill after the change = %q, want Active", got)
		}
		if got := c.Text(".timeline li"); !strings.HasPrefix(got, "Qualifying → Active") || !strings.Contains(got, "by paula@example.com") {
			t.Errorf("latest status history entry = %q", got)
		}

		// active → retired needs a reason: the error shows by the reason field.
		c.Select("#new-status", "Retired")
		resp := c.Submit(submit)
		if resp.Status != http.StatusBadRequest {
			t.Errorf("retiring without a reason got status %d, want 400", resp.Status)
		}
		if got := c.Text("#reason-error"); got != "Reason is required when a reference becomes retired." {
			t.Errorf("reason error = %q", got)
		}
		if !testutil.Eval[bool](c, `document.querySelector("#reason").closest(".field").contains(document.querySelector("#reason-error"))`) {
			t.Errorf("the reason error is not next to the reason field")
		}
		attrs := testutil.Eval[[]string](c, `[document.querySelector("#reason").getAttribute("aria-invalid"), document.querySelector("#reason").getAttribute("aria-describedby")]`)
		if attrs[0] != "true" || !strings.Contains(attrs[1], "reason-error") {
			t.Errorf("the reason field has aria-invalid=%q aria-describedby=%q, want it tied to its error", attrs[0], attrs[1])
		}
		if !c.Visible("#status .flash-error") {
			t.Errorf("no error summary in the status section")
		}
		if got := c.Value("#new-status"); got != "retired" {
			t.Errorf("the status choice after the error = %q, want retired kept", got)
		}
		if got := c.Text("h1 .pill"); got != "Active" {
			t.Errorf("status pill after the refused change = %q, want Active", got)
		}
		if r, err := s.DB.Reference(context.Background(), ref.ID); err != nil || r.Status != vouch.StatusActive {
			t.Errorf("stored status after the refused change = %v (%v), want active", r.Status, err)
		}

		// With a reason it goes through.
		c.Fill("#reason", "Left the company")
		if resp := c.Submit(submit); resp.Status != http.StatusOK {
			t.Fatalf("retiring with a reason got status %d", resp.Status)
		}
		if got := c.Text("h1 .pill"); got != "Retired" {
			t.Errorf("status pill = %q, want Retired", got)
		}
		if got := c.Text(".notice-bad"); !strings.Contains(got, "Left the company") {
			t.Errorf("retired notice = %q", got)
		}
		noPageErrors(t, c, path(t, profile)+"/status")
	})
}

func TestReferencesPhoneLayout(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		if _, err := demo.Load(asTest(), s.DB, demo.Options{Seed: 1, References: 30, ReferencesOnly: true}); err != nil {
			t.Fatal(err)
		}
		testutil.CreateUser(t, s.DB, "paula@example.com", vouch.RoleProgramManager)
		c.LoginAs(s, "paula@example.com")
		facet := "#ref-facets input[type=checkbox]"
		c.Open(s.URL + "/references")
		if !testutil.Eval[bool](c, `document.querySelector("details.facets").open`) || !c.Visible(facet) {
			t.Errorf("at desktop width the filters are not open")
		}

		c.Phone()
		c.Open(s.URL + "/references")
		if got := c.Text("#ref-count"); got != "30 references" {
			t.Errorf("list count = %q", got)
		}
		checkNoHorizontalScroll(t, c, "references list")
		if testutil.Eval[bool](c, `document.querySelector("details.facets").open`) {
			t.Errorf("the Filters block is open at phone width")
		}
		if !testutil.Eval[bool](c, `document.querySelector("details.facets").contains(document.querySelector("#ref-facets"))`) {
			t.Errorf("the facets are not inside the Filters block")
		}
		if got := c.Text("details.facets > summary"); got != "Filters" {
			t.Errorf("the collapsed block is labelled %q, want Filters", got)
		}
		if c.Visible(facet) {
			t.Errorf("facet checkboxes show before Filters is opened")
		}
		if !c.Visible("table.refs") {
			t.Errorf("the results table is hidden at phone width")
		}
		c.Screenshot("references-phone")

		c.Click("details.facets > summary")
		if !c.Visible(facet) {
			t.Errorf("opening Filters did not show the facets")
		}
		checkNoHorizontalScroll(t, c, "references list with the filters open")
		noPageErrors(t, c)
	})
}
