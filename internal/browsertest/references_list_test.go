package browsertest

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/vouchhq/vouch/internal/demo"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// The references list as people work in it every day, on the demo's 300
// references: a compact table that holds a screenful of rows, sortable
// headers and a column chooser kept in the address, a skip link to the
// results, and the same list as cards on a phone.

// loadDemoReferences fills the server with the demo's references (no requests).
func loadDemoReferences(t *testing.T, s *testutil.Server) {
	t.Helper()
	if _, err := demo.Load(asTest(), s.DB, demo.Options{Seed: 1, ReferencesOnly: true}); err != nil {
		t.Fatal(err)
	}
}

// rowsInView counts the result rows wholly inside the window, below the table's header.
func rowsInView(c *testutil.Chrome) int {
	return testutil.Eval[int](c, `(() => {
		const head = document.querySelector("table.refs thead").getBoundingClientRect();
		return [...document.querySelectorAll("table.refs tbody tr")].filter(r => {
			const b = r.getBoundingClientRect();
			return b.top >= head.bottom - 0.5 && b.bottom <= window.innerHeight + 0.5;
		}).length;
	})()`)
}

// headers lists the table's column headers, as read.
func headers(c *testutil.Chrome) []string {
	return testutil.Eval[[]string](c, `[...document.querySelectorAll("table.refs thead th:not(.check)")].map(th => th.textContent.replace(/[▲▼]/g, "").trim())`)
}

// ariaSort is the aria-sort of each sorted header, as "Label=direction".
func ariaSort(c *testutil.Chrome) []string {
	return testutil.Eval[[]string](c, `[...document.querySelectorAll("table.refs thead th[aria-sort]")].map(th => th.textContent.replace(/[▲▼]/g, "").trim() + "=" + th.getAttribute("aria-sort"))`)
}

func TestReferencesListIsDenseAndSortable(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		loadDemoReferences(t, s)
		testutil.CreateUser(t, s.DB, "ada@example.com", vouch.RoleAdmin)
		c.Resize(1280, 800)
		c.LoginAs(s, "ada@example.com")

		// The admin's navigation is one line: as tall as a single link.
		nav := testutil.Eval[[]float64](c, `[document.querySelector("nav.nav").getBoundingClientRect().height,
			document.querySelector("nav.nav > a").getBoundingClientRect().height,
			document.querySelector("header.topbar").getBoundingClientRect().height]`)
		if nav[0] > nav[1]+1 {
			t.Errorf("the admin's navigation is %.0f px tall, want one line (%.0f px)", nav[0], nav[1])
		}
		if nav[2] > 2*nav[1]+2 {
			t.Errorf("the top bar is %.0f px tall: it wrapped", nav[2])
		}
		if c.Visible(`nav a[href="/admin/users"]`) {
			t.Errorf("the admin pages show before their menu is opened")
		}
		c.Click(`[data-menu="admin"] > summary`)
		if !c.Visible(`nav a[href="/admin/users"]`) || !c.Visible(`nav a[href="/admin/audit"]`) {
			t.Errorf("opening Admin does not show Users and Audit log")
		}
		testutil.Eval[bool](c, `(document.body.click(), true)`)
		if c.Visible(`nav a[href="/admin/users"]`) {
			t.Errorf("a click elsewhere left the Settings menu open")
		}

		c.Open(s.URL + "/references")
		if got := c.Text("#ref-count"); got != "300 references" {
			t.Fatalf("list count = %q, want 300 references", got)
		}
		if n := rowsInView(c); n < 15 {
			t.Errorf("a 1280 × 800 window shows %d result rows, want at least 15", n)
		}
		if got := strings.Join(headers(c), ", "); got != "Name, Title, Account, Status, Capacity, Last verified" {
			t.Errorf("the default columns are %s", got)
		}
		// Rows are one line: a long text ends in "…", but no pill is cut.
		cut := testutil.Eval[[]string](c, `[...document.querySelectorAll("table.refs tbody .pill")].filter(p =>
			p.getBoundingClientRect().right > p.closest("td").getBoundingClientRect().right + 0.5).map(p => p.innerText)`)
		if len(cut) > 0 {
			t.Errorf("pills cut off by their cells: %v", cut)
		}
		if got := strings.Join(ariaSort(c), ", "); got != "Name=ascending" {
			t.Errorf("sorted headers = %q, want Name=ascending", got)
		}
		// Facet counts are plain numbers, not boxes.
		style := testutil.Eval[[]string](c, `(s => [s.borderTopWidth, s.backgroundColor, s.paddingLeft])(getComputedStyle(document.querySelector("#ref-facets .facet-option .count")))`)
		if style[0] != "0px" || style[1] != "rgba(0, 0, 0, 0)" || style[2] != "0px" {
			t.Errorf("a facet count has border %s, background %s, padding %s: it looks like a box", style[0], style[1], style[2])
		}
		c.Screenshot("references-list-desktop")

		// A header sorts; a second click reverses; the address keeps it.
		c.Submit(`table.refs th.col-account a`)
		if got := strings.Join(ariaSort(c), ", "); got != "Account=ascending" {
			t.Errorf("after clicking Account: sorted headers = %q", got)
		}
		if q := query(t, c); q.Get("sort") != "account" {
			t.Errorf("the address after sorting by account = %s", c.URL())
		}
		accounts := columnText(c, "Account")
		if !slices.IsSortedFunc(accounts, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) }) {
			t.Errorf("by account, the rows read %v", accounts)
		}
		c.Submit(`table.refs th.col-account a`)
		if got := strings.Join(ariaSort(c), ", "); got != "Account=descending" {
			t.Errorf("after clicking Account again: sorted headers = %q", got)
		}
		if q := query(t, c); q.Get("sort") != "account-desc" {
			t.Errorf("the address after reversing = %s", c.URL())
		}
		if got := c.Value("#sort"); got != "account-desc" {
			t.Errorf("the sort menu reads %q, want account-desc", got)
		}
		desc := columnText(c, "Account")
		if len(desc) == 0 || strings.ToLower(desc[0]) < strings.ToLower(accounts[len(accounts)-1]) {
			t.Errorf("reversed, the first account is %v, want one from the end of the alphabet", desc[:1])
		}

		// The column chooser: ticking Industry adds it in place and to the address.
		testutil.Eval[bool](c, "window.sameDocument = true")
		c.Click("#col-chooser > summary")
		c.Click("#col-industry")
		c.WaitFor(`[...document.querySelectorAll("table.refs thead th")].some(th => th.textContent.trim() === "Industry")`)
		if !testutil.Eval[bool](c, "window.sameDocument === true") {
			t.Errorf("choosing a column reloaded the page; live.js should redraw it")
		}
		if !testutil.Eval[bool](c, `document.querySelector("#col-chooser").open`) {
			t.Errorf("the column chooser closed while choosing")
		}
		c.Click("#col-title") // and untick Title
		c.WaitFor(`![...document.querySelectorAll("table.refs thead th")].some(th => th.textContent.trim() === "Title")`)
		q := query(t, c)
		if got := q["cols"]; !slices.Contains(got, "industry") || slices.Contains(got, "title") {
			t.Errorf("the address after choosing columns = %s", c.URL())
		}
		if q.Get("sort") != "account-desc" {
			t.Errorf("choosing columns lost the order: %s", c.URL())
		}
		c.Open(c.URL())
		if got := strings.Join(headers(c), ", "); got != "Name, Account, Industry, Status, Capacity, Last verified" {
			t.Errorf("the bookmark's columns are %s", got)
		}
		if n := testutil.Eval[int](c, `document.querySelector("table.refs tbody tr").cells.length`); n != len(headers(c))+1 {
			t.Errorf("a row has %d cells for %d headers and the checkbox", n, len(headers(c)))
		}
		// Sorting keeps the columns.
		c.Submit(`table.refs th.col-status a`)
		if got := strings.Join(headers(c), ", "); !strings.Contains(got, "Industry") || strings.Contains(got, "Title") {
			t.Errorf("after sorting by status the columns are %s", got)
		}
		// The usual columns come back with one link.
		c.Click("#col-chooser > summary")
		c.Submit(`#col-chooser a`)
		if got := strings.Join(headers(c), ", "); got != "Name, Title, Account, Status, Capacity, Last verified" {
			t.Errorf("after Usual columns the columns are %s", got)
		}
		noPageErrors(t, c)
	})
}

// query is the current address's query.
func query(t *testing.T, c *testutil.Chrome) url.Values {
	t.Helper()
	u, err := url.Parse(c.URL())
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

// columnText is the text of a column's cell in every row.
func columnText(c *testutil.Chrome, label string) []string {
	return testutil.Eval[[]string](c, fmt.Sprintf(`[...document.querySelectorAll("table.refs tbody td[data-label='%s']")].map(td => td.textContent.trim())`, label))
}

func TestReferencesListSkipLink(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		loadDemoReferences(t, s)
		testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		testutil.CreateUser(t, s.DB, "ada@example.com", vouch.RoleAdmin)
		focused := func() string {
			return testutil.Eval[string](c, `(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + " " + (e.innerText || "").trim())(document.activeElement)`)
		}
		for _, who := range []struct {
			email string
			tabs  int // after the skip link: the checkbox of the first row comes before its link
		}{{"sam@example.com", 1}, {"ada@example.com", 2}} {
			c.LoginAs(s, who.email)
			c.Open(s.URL + "/references")
			first := testutil.Eval[string](c, `document.querySelector("table.refs tbody .name-cell a").innerText.trim()`)
			c.Do(chromedp.KeyEvent(kb.Tab))
			if got := focused(); got != "a Skip to results" {
				t.Errorf("%s: the first Tab focuses %q, want the Skip to results link", who.email, got)
			}
			if !c.Visible(".skip:focus") || testutil.Eval[float64](c, `document.querySelector(".skip:focus").getBoundingClientRect().left`) < 0 {
				t.Errorf("%s: the focused skip link is not on screen", who.email)
			}
			c.Do(chromedp.KeyEvent(kb.Enter))
			for range who.tabs {
				c.Do(chromedp.KeyEvent(kb.Tab))
			}
			if got := focused(); got != "a "+first {
				t.Errorf("%s: after the skip link and %d Tab, the focus is on %q, want the first result %q", who.email, who.tabs, got, first)
			}
			c.Submit(`.whoami form[action="/logout"] button`)
		}

		// Other pages skip to their content.
		c.LoginAs(s, "ada@example.com")
		c.Open(s.URL + "/accounts")
		c.Do(chromedp.KeyEvent(kb.Tab))
		if got := focused(); got != "a Skip to content" {
			t.Errorf("on accounts the first Tab focuses %q, want Skip to content", got)
		}
		c.Submit(`.whoami form[action="/logout"] button`)

		// On a phone too, the skip link comes first and lands on the cards.
		c.LoginAs(s, "sam@example.com")
		c.Phone()
		c.Open(s.URL + "/references")
		first := testutil.Eval[string](c, `document.querySelector("table.refs tbody .name-cell a").innerText.trim()`)
		c.Do(chromedp.KeyEvent(kb.Tab))
		if got := focused(); got != "a Skip to results" {
			t.Errorf("phone: the first Tab focuses %q, want the Skip to results link", got)
		}
		c.Do(chromedp.KeyEvent(kb.Enter), chromedp.KeyEvent(kb.Tab))
		if got := focused(); got != "a "+first {
			t.Errorf("phone: after the skip link and a Tab, the focus is on %q, want %q", got, first)
		}
		noPageErrors(t, c)
	})
}

func TestReferencesListOnAPhone(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		loadDemoReferences(t, s)
		testutil.CreateUser(t, s.DB, "ada@example.com", vouch.RoleAdmin)
		c.Phone()
		c.LoginAs(s, "ada@example.com")
		c.Open(s.URL + "/references?sort=verified-desc")
		checkNoHorizontalScroll(t, c, "references list")
		if w := testutil.Eval[int](c, "document.documentElement.scrollWidth"); w > testutil.PhoneWidth {
			t.Errorf("the list is %d px wide at %d px", w, testutil.PhoneWidth)
		}
		// Each reference is a card: its name, then each column as "Label: value" lines.
		card := testutil.Eval[[]string](c, `[...document.querySelector("table.refs tbody tr").cells].filter(td => td.dataset.label).map(td =>
			getComputedStyle(td, "::before").content.replace(/^"|"$/g, "") + td.innerText.replace(/\s+/g, " ").trim())`)
		if len(card) != 6 || !strings.HasPrefix(card[0], "Name: ") || !strings.HasPrefix(card[5], "Last verified: ") {
			t.Errorf("the first card reads %q", card)
		}
		if h := testutil.Eval[[]float64](c, `[...document.querySelector("table.refs tbody tr").cells].map(td => td.getBoundingClientRect().width)`); slices.Max(h) > testutil.PhoneWidth {
			t.Errorf("a card's lines are %v px wide", h)
		}
		if got := c.Value("#sort"); got != "verified-desc" {
			t.Errorf("the sort menu reads %q on a phone, want verified-desc", got)
		}
		// Without headers to click, the sort menu orders the cards, in place.
		c.Select("#sort", "Name, Z–A")
		c.WaitFor(`new URLSearchParams(location.search).get("sort") === "name-desc"`)
		names := testutil.Eval[[]string](c, `[...document.querySelectorAll("table.refs tbody .name-cell strong")].map(e => e.innerText)`)
		if !slices.IsSortedFunc(names, func(a, b string) int { return strings.Compare(strings.ToLower(b), strings.ToLower(a)) }) {
			t.Errorf("sorted Z–A on a phone, the cards read %v", names[:min(5, len(names))])
		}
		// Facet counts are plain numbers here too.
		c.Click("details.facets > summary")
		if b := testutil.Eval[string](c, `getComputedStyle(document.querySelector("#ref-facets .facet-option .count")).borderTopWidth`); b != "0px" {
			t.Errorf("on a phone a facet count has a %s border", b)
		}
		c.Click("details.facets > summary")
		c.Screenshot("references-list-phone")

		// The column chooser works on a phone too, within the screen.
		c.Click("#col-chooser > summary")
		checkNoHorizontalScroll(t, c, "references list with the column chooser open")
		c.Click("#col-capacity")
		c.WaitFor(`!document.querySelector('table.refs td[data-label="Capacity"]')`)
		if q := query(t, c); q.Get("sort") != "name-desc" || len(q["cols"]) == 0 || slices.Contains(q["cols"], "capacity") {
			t.Errorf("the address after hiding Capacity = %s", c.URL())
		}

		// The menu still holds every page, the admin ones under Settings.
		c.Click(".nav-toggle-label")
		c.Click(`[data-menu="admin"] > summary`)
		if !c.Visible(`nav a[href="/admin/users"]`) || !c.Visible(`nav a[href="/admin/taxonomies"]`) {
			t.Errorf("the phone menu does not show the admin pages under Settings")
		}
		checkNoHorizontalScroll(t, c, "references list with the menu open")
		noPageErrors(t, c)
	})
}
