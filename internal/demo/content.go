package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/vouchhq/vouch/internal/catalog"
	"github.com/vouchhq/vouch/internal/content"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// demoContentItems is how many pieces of customer evidence the demo library holds.
const demoContentItems = 48

// outcomes are what the demo's customers say the product did for them.
var outcomes = []struct{ headline, body string }{
	{"cuts month-end reporting from ten days to two",
		"Finance used to spend ten working days reconciling spreadsheets at every month end. With dashboards fed straight from the ledger, the close now takes two days and the board pack is generated automatically."},
	{"halves the time to onboard a new customer",
		"Onboarding used to need six hand-offs between sales, legal and support. Automated workflows and a shared customer record removed four of them, so new customers go live in half the time."},
	{"moves 400 applications to the cloud without downtime",
		"The infrastructure team migrated four hundred applications in nine months, scheduling each cut-over at night and rolling back twice without a single customer-facing outage."},
	{"passes its regulatory audit with no findings",
		"Auditors asked for evidence of every access to patient data. Audit trails and role-based access produced the evidence in hours instead of weeks, and the audit closed with no findings."},
	{"replaces a homegrown tool and saves 1.2 million a year",
		"A homegrown system built over fifteen years had become too costly to maintain. Replacing it retired three servers and two contracts and freed a team of five for new work."},
	{"grows online revenue by 18 percent in one season",
		"Personalised recommendations and a faster checkout lifted conversion during the holiday season; online revenue grew eighteen percent year over year."},
	{"detects fraud in seconds instead of days",
		"Streaming analytics score every transaction as it happens. Suspicious payments are held within seconds, and chargebacks fell by a third in the first quarter."},
	{"gives field engineers every manual on their phone",
		"Engineers used to drive back to the depot for paper manuals. The mobile app puts every manual, part number and work order in their pocket, even offline in basements and tunnels."},
}

var quotes = []string{
	"We closed the books in two days for the first time in our history.",
	"It was the only vendor whose references told us the truth about the migration.",
	"Our auditors called it the cleanest evidence trail they had seen this year.",
	"Support answers in minutes, and they know our setup better than we do.",
	"The business case paid for itself before the second renewal.",
	"Our engineers stopped carrying binders around; that alone changed the culture.",
}

// contentTitle is the title of a piece of evidence of type typ about acct.
func contentTitle(typ, acct, headline string) string {
	switch typ {
	case "Quote":
		return acct + " on why they chose us"
	case "Video":
		return "Video: how " + acct + " " + headline
	case "Slide deck":
		return acct + " success story (slides)"
	case "Press release":
		return acct + " selects Orbital Software"
	case "Review":
		return "Review by " + acct + ": five stars for support"
	case "ROI study":
		return "Business value study: " + acct
	case "Logo permission":
		return acct + " logo — approved for use"
	case "Webinar":
		return "Webinar recording: " + acct + " " + headline
	case "Blog post":
		return "Blog: what we learnt with " + acct
	}
	return "How " + acct + " " + headline
}

// loadContent adds the demo's content library, unless it has content: items
// featuring demo accounts and references, in every state of the approval
// lifecycle — most approved, some waiting on the customer, two whose
// consent ends within the month, one expired — saved through the content
// service as the team would.
func loadContent(ctx context.Context, db *store.DB, opts Options, res *Result) error {
	if items, err := db.ContentItems(ctx, nil); err != nil || len(items) > 0 {
		return err
	}
	users, err := db.ListUsers(ctx)
	if err != nil {
		return err
	}
	var team []*vouch.User
	for _, u := range users {
		if u.Role == vouch.RoleProgramManager || u.Role == vouch.RoleTeamMember {
			team = append(team, u)
		}
	}
	accounts, err := db.AllAccounts(ctx)
	if err != nil || len(accounts) == 0 || len(team) == 0 {
		return err
	}
	ids := make([]int64, 0, len(accounts))
	for id := range accounts {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	cat := catalog.New(db)
	if err := cat.Load(ctx); err != nil {
		return err
	}
	svc := content.New(db, cat)
	rng := rand.New(rand.NewPCG(uint64(opts.Seed), 0x636f6e74656e74))
	types := cat.Values(vouch.TaxContentType, false)
	today := db.Today()
	for i := 0; i < demoContentItems && len(types) > 0; i++ {
		acct := accounts[ids[rng.IntN(len(ids))]]
		// Case studies are what programs have most of.
		typ := types[0].Name
		if rng.IntN(3) > 0 {
			typ = types[rng.IntN(len(types))].Name
		}
		o := outcomes[rng.IntN(len(outcomes))]
		in := vouch.ContentInput{Type: &typ, Title: ptr(contentTitle(typ, acct.Name, o.headline)),
			Summary: ptr(acct.Name + " " + o.headline + "."), Body: ptr(o.body),
			Accounts: &[]string{acct.Name}, Language: ptr("English"),
			PublishedOn: ptr(today.AddDays(-rng.IntN(700)).String()),
			OwnerID:     &team[rng.IntN(len(team))].ID}
		if typ == "Quote" {
			in.Body = ptr(quotes[rng.IntN(len(quotes))])
		}
		if typ != "Logo permission" && typ != "Quote" {
			in.URL = ptr(fmt.Sprintf("https://orbital.example/customers/%s", slug(acct.Name)))
		}
		tags := map[vouch.TaxonomyKind][]string{}
		for kind, id := range map[vouch.TaxonomyKind]int64{vouch.TaxIndustry: acct.IndustryID, vouch.TaxRegion: acct.RegionID,
			vouch.TaxCountry: acct.CountryID, vouch.TaxSegment: acct.SegmentID, vouch.TaxCompanySize: acct.SizeID} {
			if v := cat.Value(id); v != nil {
				tags[kind] = []string{v.Name}
			}
		}
		for _, id := range acct.ProductIDs {
			if v := cat.Value(id); v != nil {
				tags[vouch.TaxProduct] = append(tags[vouch.TaxProduct], v.Name)
			}
		}
		if uc := cat.Values(vouch.TaxUseCase, false); len(uc) > 0 {
			tags[vouch.TaxUseCase] = []string{uc[rng.IntN(len(uc))].Name}
		}
		in.Tags = tags
		refs, err := db.ReferencesOfAccount(ctx, acct.ID)
		if err != nil {
			return err
		}
		if len(refs) > 0 && typ != "Logo permission" {
			in.ReferenceIDs = &[]int64{refs[0]}
		}
		owner := team[rng.IntN(len(team))]
		as := vouch.WithActor(ctx, vouch.UserActor(owner))
		item, err := svc.Create(as, in)
		if err != nil {
			return fmt.Errorf("demo content %q: %w", *in.Title, err)
		}
		res.ContentAdded++
		// The lifecycle: most approved for external use; some internal
		// only; a few still with the customer or in draft; two ending soon.
		approver := "the customer's marketing lead"
		if len(refs) > 0 {
			if names, err := db.ReferenceNames(ctx, refs[:1]); err == nil && names[refs[0]] != "" {
				approver = names[refs[0]]
			}
		}
		var steps []vouch.ContentStateChange
		switch k := i % 12; {
		case k == 0:
			// a draft
		case k == 1 || k == 2:
			steps = []vouch.ContentStateChange{{To: vouch.ContentAwaitingApproval}}
		case k == 3:
			steps = []vouch.ContentStateChange{{To: vouch.ContentApprovedInternal, Method: vouch.ApprovalByMail, ApprovedBy: approver,
				Note: "Fine for internal training; not for prospects."}}
		case k == 4:
			steps = []vouch.ContentStateChange{{To: vouch.ContentAwaitingApproval},
				{To: vouch.ContentApprovedExternal, Method: vouch.ApprovalByDocument, ApprovedBy: approver,
					ExpiresOn: today.AddDays(9 + i%20)}}
		default:
			steps = []vouch.ContentStateChange{{To: vouch.ContentAwaitingApproval},
				{To: vouch.ContentApprovedExternal, Method: vouch.ApprovalByMail, ApprovedBy: approver,
					Note: "Approved by mail: \"Happy for you to share this with prospects.\""}}
		}
		for _, st := range steps {
			if _, err := svc.ChangeState(as, item.ID, 0, st); err != nil {
				return fmt.Errorf("demo content %q: %w", item.Title, err)
			}
		}
	}
	return nil
}

func ptr[T any](v T) *T { return &v }

// slug is name as a path segment: "Nimbus Air" → "nimbus-air".
func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
