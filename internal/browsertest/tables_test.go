package browsertest

import (
	"slices"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// lineStarts returns, for every element matching sel, the text each of its
// lines after the first starts with.
func lineStarts(c *testutil.Chrome, sel string) [][]string {
	return testutil.Eval[[][]string](c, `[...document.querySelectorAll(`+jsQuote(sel)+`)].map(e => {
		const starts = [];
		let top = null;
		const walk = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
		for (let n = walk.nextNode(); n; n = walk.nextNode()) {
			for (let i = 0; i < n.length; i++) {
				if (n.data[i].trim() === "") continue;
				const r = document.createRange();
				r.setStart(n, i); r.setEnd(n, i + 1);
				const t = r.getBoundingClientRect().top;
				if (top !== null && t > top + 2) starts.push(n.data.slice(i, i + 6));
				top = t;
			}
		}
		return starts;
	})`)
}

func jsQuote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

func TestEmailsInTablesBreakOnlyAtTheAt(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server, c *testutil.Chrome) {
		testutil.CreateUser(t, s.DB, "ada@example.com", vouch.RoleAdmin)
		long := "maximilian.oberhauser-lindqvist@northwind-logistics.example.com"
		testutil.CreateUser(t, s.DB, long, vouch.RoleSeller)
		c.LoginAs(s, "ada@example.com")
		for _, size := range []string{"desktop", "phone"} {
			if size == "phone" {
				c.Phone()
			}
			c.Open(s.URL + "/admin/users")
			emails := testutil.Eval[[]string](c, `[...document.querySelectorAll('td[data-label="Email"] .email')].map(e => e.textContent)`)
			if !strings.Contains(strings.Join(emails, " "), long) {
				t.Fatalf("%s: the users table lists %v", size, emails)
			}
			for i, starts := range lineStarts(c, `td[data-label="Email"] .email`) {
				for _, s := range starts {
					if !strings.HasPrefix(s, "@") {
						t.Errorf("%s: %s breaks before %q, mid-word", size, emails[i], s)
					}
				}
			}
			if size == "phone" {
				checkNoHorizontalScroll(t, c, "users page")
				// Too long for a phone's line, the address wraps, before its @.
				i := slices.Index(emails, long)
				if starts := lineStarts(c, `td[data-label="Email"] .email`); i < 0 || !slices.Equal(starts[i], []string{"@north"}) {
					t.Errorf("on a phone the long address's lines start with %v, want one break before @north", starts)
				}
			}
			// The audit log names people by their address, broken the same way.
			c.Open(s.URL + "/admin/audit")
			for _, starts := range lineStarts(c, `td[data-label="Who"] .email`) {
				for _, s := range starts {
					if !strings.HasPrefix(s, "@") {
						t.Errorf("%s: an address in the audit log breaks before %q", size, s)
					}
				}
			}
		}
		noPageErrors(t, c)
	})
}
