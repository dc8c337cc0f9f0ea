package demo

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/analytics"
	"github.com/vouchhq/vouch/internal/cadence"
	"github.com/vouchhq/vouch/internal/campaigns"
	"github.com/vouchhq/vouch/internal/catalog"
	"github.com/vouchhq/vouch/internal/coverage"
	"github.com/vouchhq/vouch/internal/fulfillment"
	"github.com/vouchhq/vouch/internal/health"
	"github.com/vouchhq/vouch/internal/nominations"
	"github.com/vouchhq/vouch/internal/references"
	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// The program team's side of the demo (issue 12): the last weeks of
// running the program — nominations in every state, other teams' asks in
// the ask ledger and two flagged accounts, recruiting campaigns started
// from the coverage gaps, the cadence with its history and three health
// self-assessments — written through the same services as the pages and
// the API, each on its day: the database's clock is moved back to when it
// happened, as the request replay does, and given back afterwards.

// program is the state of loading the program's story.
type program struct {
	ctx     context.Context
	db      *store.DB
	rng     *rand.Rand
	now     time.Time // the real time the story ends at
	today   vouch.Date
	cat     *catalog.Catalog
	noms    *nominations.Service
	sellers []*vouch.User
	team    []*vouch.User // program managers first, then team members
	// asked are the accounts other teams' asks went to; flagged are the
	// flagged ones: the two are kept apart.
	asked map[int64]bool
	quiet *slog.Logger
}

// loadProgram adds the program's story unless the database already has a
// recruiting campaign or a health assessment (loaded before, or the
// team's own).
func loadProgram(ctx context.Context, db *store.DB, opts Options) error {
	if have, err := db.Campaigns(ctx); err != nil || len(have) > 0 {
		return err
	}
	if have, err := db.HealthAssessments(ctx); err != nil || len(have) > 0 {
		return err
	}
	users, err := db.ListUsers(ctx)
	if err != nil {
		return err
	}
	p := &program{ctx: ctx, db: db, rng: rand.New(rand.NewPCG(uint64(opts.Seed), 0x70726f6772616d)), asked: map[int64]bool{},
		quiet: slog.New(slog.NewTextHandler(io.Discard, nil))}
	var managers, members []*vouch.User
	for _, u := range users {
		switch u.Role {
		case vouch.RoleSeller:
			p.sellers = append(p.sellers, u)
		case vouch.RoleProgramManager:
			managers = append(managers, u)
		case vouch.RoleTeamMember:
			members = append(members, u)
		}
	}
	p.team = append(managers, members...)
	if len(p.sellers) < 4 || len(p.team) < 3 {
		return nil // not the demo's staff: no story to tell
	}
	if n, err := db.CountReferences(ctx); err != nil || n == 0 {
		return err
	}
	p.cat = catalog.New(db)
	if err := p.cat.Load(ctx); err != nil {
		return err
	}
	dupes := nominations.NewIndex(db)
	if err := dupes.Load(ctx); err != nil {
		return err
	}
	p.noms = nominations.New(db, references.New(db, p.cat), dupes)
	p.noms.SetBaseURL(opts.BaseURL)

	// The clock moves back to each event and is given back as it was.
	pinned := db.Clock.Pinned()
	defer db.Clock.Restore(pinned)
	p.now = db.Now()
	p.today = db.Clock.DayOf(p.now)

	if err := p.nominations(); err != nil {
		return fmt.Errorf("nominations: %w", err)
	}
	// The read models the ledger and the coverage matrix need, loaded
	// once the nominations' references are in.
	ix := refindex.New(db, p.cat, p.quiet)
	if err := ix.Load(ctx); err != nil {
		return err
	}
	ful, err := fulfillment.New(ctx, db, ix, opts.BaseURL, p.quiet)
	if err != nil {
		return err
	}
	if err := p.ledger(ful); err != nil {
		return fmt.Errorf("ask ledger: %w", err)
	}
	if err := p.campaigns(ix); err != nil {
		return fmt.Errorf("campaigns: %w", err)
	}
	cad := cadence.New(db, p.cat)
	if err := p.cadence(cad); err != nil {
		return fmt.Errorf("cadence: %w", err)
	}
	if err := p.health(cad); err != nil {
		return fmt.Errorf("program health: %w", err)
	}
	p.at(p.now)
	return nil
}

// when is daysAgo days before today at hour o'clock in the program's time
// zone, never later than now.
func (p *program) when(daysAgo, hour int) time.Time {
	d := p.today.AddDays(-daysAgo).Time()
	t := time.Date(d.Year(), d.Month(), d.Day(), hour, p.rng.IntN(60), 0, 0, p.db.Clock.Zone()).UTC()
	if t.After(p.now) {
		return p.now
	}
	return t
}

// at moves the database's clock to t.
func (p *program) at(t time.Time) { p.db.Clock.Set(t.UTC().Truncate(time.Microsecond)) }

func (p *program) as(u *vouch.User) context.Context {
	return vouch.WithActor(p.ctx, vouch.UserActor(u))
}

// demoNomination is one nomination of the story and how far it got.
type demoNomination struct {
	daysAgo   int
	by        *vouch.User
	n         vouch.Nomination
	qualified int    // days ago the team qualified it (0: not)
	accepted  int    // days ago the team accepted it (0: not)
	rejected  int    // days ago the team rejected it (0: not)
	reason    string // why it was rejected
}

// nominations adds a dozen nominations by sellers and the team over the
// last two months: waiting (one for over a week, so the queue flags it),
// qualified, accepted into references and rejected with a reason, and
// among the waiting ones likely duplicates: a reference's email in other
// letters, and two sellers nominating the same new customer.
func (p *program) nominations() error {
	refs, err := p.db.DuplicateReferences(p.ctx, nil)
	if err != nil {
		return err
	}
	slices.SortFunc(refs, func(a, b store.DuplicatePeople) int { return cmp.Compare(a.ID, b.ID) })
	var known *store.DuplicatePeople
	for i := len(refs) * 2 / 3; i < len(refs); i++ {
		if refs[i].Email != "" && refs[i].Status == string(vouch.StatusActive) {
			known = &refs[i]
			break
		}
	}
	s := p.sellers
	lead, member := p.team[0], p.team[len(p.team)-1]
	list := []demoNomination{
		{daysAgo: 10, by: s[1], n: vouch.Nomination{AccountName: "Harbor Freight Analytics", Name: "Lena Fischer",
			Email: "lena.fischer@harborfreight-analytics.example", Title: "Head of Data", Activities: []string{"Call"},
			Reason: "Rolled us out to 40 analysts in six weeks; offered to talk to other data teams."}},
		{daysAgo: 2, by: s[2], n: vouch.Nomination{AccountName: "Brightwater Energy", Name: "Katherine Moore",
			Email: "katherine.moore@brightwater.example", Title: "VP Operations", Activities: []string{"Call", "Case study"},
			Reason: "Their field teams cut reporting time by a third; she presented it at their board."}},
		{daysAgo: 1, by: s[3], n: vouch.Nomination{AccountName: "Brightwater Energy Ltd", Name: "Kate Moore",
			Email: "kate.moore@brightwater.example", Title: "VP Operations",
			Reason: "Champion on the expansion deal; said she would take a reference call."}},
		{daysAgo: 5, by: s[0], n: vouch.Nomination{AccountName: "Northwind Clinics", Name: "Samir Patel",
			Email: "samir.patel@northwindclinics.example", Title: "CIO", Activities: []string{"Site visit"},
			Reason: "Executive sponsor of a 12-site rollout; happy to host a visit."},
			qualified: 3},
		{daysAgo: 30, by: s[1], n: vouch.Nomination{AccountName: "Cobalt Robotics", Name: "Yuki Nakamura",
			Email: "yuki.nakamura@cobaltrobotics.example", Title: "Director of Engineering", Activities: []string{"Call"},
			Reason: "Live for two years, NPS 9 on the last survey."},
			qualified: 27, accepted: 25},
		{daysAgo: 58, by: member, n: vouch.Nomination{AccountName: "Evergreen Credit Union", Name: "Marcus Bell",
			Email: "marcus.bell@evergreencu.example", Title: "COO", Activities: []string{"Case study"},
			Reason: "Met him at the user group; wants to tell their story in a case study."},
			qualified: 54, accepted: 50},
		{daysAgo: 19, by: s[4%len(s)], n: vouch.Nomination{AccountName: "Tidewater Logistics", Name: "Ana Costa",
			Email: "ana.costa@tidewaterlogistics.example", Title: "VP Supply Chain", Activities: []string{"Call"},
			Reason: "Renewed for three years last month and asked how she could help."},
			qualified: 15, accepted: 12},
		{daysAgo: 40, by: s[2], n: vouch.Nomination{AccountName: "Juniper Retail Group", Name: "Oscar Lindgren",
			Email: "oscar.lindgren@juniperretail.example", Title: "IT Manager",
			Reason: "Enthusiastic on the kickoff call."},
			rejected: 38, reason: "Still onboarding: live for under three months. Nominate him again after go-live."},
		{daysAgo: 15, by: s[3], n: vouch.Nomination{AccountName: "Meridian Insurance", Name: "Claire Dubois",
			Email: "claire.dubois@meridianinsurance.example", Title: "Chief Claims Officer",
			Reason: "Loves the product; mentioned it in an interview."},
			rejected: 13, reason: "Their legal team allows no public references or logo use."},
	}
	if known != nil {
		// The same person as a reference, the email in capitals: the
		// nomination page warns it is likely a duplicate.
		first, _, _ := strings.Cut(known.Name, " ")
		list = append(list, demoNomination{daysAgo: 4, by: s[0], n: vouch.Nomination{AccountName: known.AccountName,
			Name: known.Name, Email: strings.ToUpper(known.Email), Title: "Program sponsor",
			Reason: first + " offered on our QBR to speak at the customer summit."}})
	}
	checklist, err := p.noms.Checklist(p.ctx)
	if err != nil {
		return err
	}
	var ticked []string
	for _, it := range checklist {
		ticked = append(ticked, it.Key)
	}
	// Oldest first, so the queue reads as it grew.
	slices.SortStableFunc(list, func(a, b demoNomination) int { return b.daysAgo - a.daysAgo })
	for _, d := range list {
		p.at(p.when(d.daysAgo, 10+p.rng.IntN(6)))
		n, _, err := p.noms.Submit(p.as(d.by), d.by, d.n)
		if err != nil {
			return fmt.Errorf("%s: %w", d.n.Name, err)
		}
		if d.rejected > 0 {
			p.at(p.when(d.rejected, 11))
			if _, err := p.noms.Reject(p.as(lead), lead, n.ID, n.Version, d.reason); err != nil {
				return fmt.Errorf("rejecting %s: %w", n.Name, err)
			}
			continue
		}
		if d.qualified == 0 {
			continue
		}
		p.at(p.when(d.qualified, 14))
		q, err := p.noms.Qualify(p.as(lead), lead, n.ID, n.Version, ticked)
		if err != nil {
			return fmt.Errorf("qualifying %s: %w", n.Name, err)
		}
		if d.accepted == 0 {
			continue
		}
		p.at(p.when(d.accepted, 9))
		if _, err := p.noms.Accept(p.as(lead), lead, q.ID, q.Version, 0); err != nil {
			return fmt.Errorf("accepting %s: %w", n.Name, err)
		}
	}
	return nil
}

// demoAsk is an ask another team made, logged by the program team.
type demoAsk struct {
	daysAgo       int
	team          string
	what, outcome string
}

// demoAsks are the other teams' asks: two per account at most, so the
// ledger stays well under an account cap of six per 90 days.
var demoAsks = [][]demoAsk{
	{{62, vouch.TeamAnalystRelations, "Briefing call with an industry analyst", "Done: a 30-minute call"},
		{24, vouch.TeamReviewCampaign, "Review on a software review site", "Review published"}},
	{{48, vouch.TeamMarketing, "Quote for the spring product launch", "Agreed; approved by their communications team"}},
	{{35, vouch.TeamPR, "Press quote for the funding announcement", "Quote given"},
		{8, vouch.TeamPR, "Interview with a trade journalist", "Waiting for their communications team"}},
	{{20, vouch.TeamMarketing, "Speaker at the customer webinar", "Declined: a busy quarter"}},
	{{15, vouch.TeamAnalystRelations, "Peer interview for an analyst report", "Agreed"},
		{70, vouch.TeamMarketing, "Logo on the customers page", "Approved"}},
}

// ledger logs the asks other teams made of five references and flags two
// other accounts: an open escalation and a renewal, until days ahead. The
// references chosen had no activity in the 30 days before each of their
// asks and their accounts at most three asks in the 90 days before, so a
// cool-down of up to 30 days or an account cap of 6 per 90 days refuses
// none; an ask the fatigue rules refuse anyway is left out, never the demo.
func (p *program) ledger(ful *fulfillment.Service) error {
	refs, err := p.db.DuplicateReferences(p.ctx, nil)
	if err != nil {
		return err
	}
	slices.SortFunc(refs, func(a, b store.DuplicatePeople) int { return cmp.Compare(a.ID, b.ID) })
	p.rng.Shuffle(len(refs), func(i, j int) { refs[i], refs[j] = refs[j], refs[i] })
	lead := p.team[0]
	byAccount := map[int64]bool{}
	var chosen []store.DuplicatePeople
	for _, r := range refs {
		if len(chosen) == len(demoAsks) {
			break
		}
		if r.Status != string(vouch.StatusActive) || byAccount[r.AccountID] {
			continue
		}
		if flag, err := p.db.AccountFlag(p.ctx, r.AccountID); err != nil {
			return err
		} else if flag.Reason != "" {
			continue
		}
		acts, err := p.db.Activities(p.ctx, r.ID)
		if err != nil {
			return err
		}
		entries, err := p.db.AccountLedger(p.ctx, r.AccountID)
		if err != nil {
			return err
		}
		// On each day of its asks: no activity in the 30 days before, and
		// at most three other asks of the account in the 90 days before.
		clear := true
		for _, a := range demoAsks[len(chosen)] {
			day := p.today.AddDays(-a.daysAgo)
			within := func(d vouch.Date, days int) bool { return !d.After(day) && d.After(day.AddDays(-days)) }
			asks := 0
			for _, e := range entries {
				if within(e.AskedOn, 90) {
					asks++
				}
			}
			clear = clear && asks <= 3 && !slices.ContainsFunc(acts, func(x vouch.Activity) bool { return within(x.OccurredOn, 31) })
		}
		if !clear {
			continue
		}
		byAccount[r.AccountID] = true
		chosen = append(chosen, r)
	}
	type logged struct {
		ref int64
		ask demoAsk
	}
	var all []logged
	for i, r := range chosen {
		for _, a := range demoAsks[i] {
			all = append(all, logged{r.ID, a})
		}
	}
	slices.SortStableFunc(all, func(a, b logged) int { return b.ask.daysAgo - a.ask.daysAgo })
	for _, l := range all {
		p.at(p.when(l.ask.daysAgo, 16))
		a := &vouch.TeamAsk{ReferenceID: l.ref, Team: l.ask.team, AskedOn: p.db.Today(), What: l.ask.what, Outcome: l.ask.outcome}
		err := ful.LogTeamAsk(p.as(lead), lead, a)
		switch vouch.ErrorCode(err) {
		case "":
		case vouch.ECONFLICT, vouch.EINVALID:
			continue // held back by the program's fatigue rules: the ask is left out
		default:
			return err
		}
	}
	p.asked = byAccount
	// Two accounts flagged today: their references are held back.
	p.at(p.when(0, 9))
	flags := []struct {
		reason string
		days   int
	}{{"escalation", 21}, {"renewal", 45}}
	for _, r := range refs {
		if len(flags) == 0 {
			break
		}
		if r.Status != string(vouch.StatusActive) || byAccount[r.AccountID] {
			continue
		}
		byAccount[r.AccountID] = true
		if _, err := ful.SetAccountFlag(p.as(lead), lead, r.AccountID, flags[0].reason, p.today.AddDays(flags[0].days)); err != nil {
			return err
		}
		flags = flags[1:]
	}
	return nil
}

// campaigns starts two recruiting campaigns on the largest gaps of the
// coverage matrix by industry that have customers to ask, each with
// contacts at the candidate accounts (customers of that industry with no
// active reference) in the outreach states: the first campaign's best
// contact said yes and is nominated.
func (p *program) campaigns(ix *refindex.Index) error {
	mx := analytics.New(p.db, p.cat, p.quiet)
	if err := mx.Load(p.ctx); err != nil {
		return err
	}
	m, ok := coverage.Compute(ix, mx, p.cat, p.cat.ProgramSettings(), coverage.Query{Dimension: "industry", Today: p.today})
	if !ok {
		return nil
	}
	accts := refindex.NewAccounts(p.db, ix)
	if err := accts.Load(p.ctx); err != nil {
		return err
	}
	counts := ix.AccountReferences()
	candidates, names, done := map[int64][]*vouch.Account{}, map[string]bool{}, map[int64]bool{}
	refs := references.New(p.db, p.cat)
	accts.Each(func(a *vouch.Account) {
		names[a.Name] = true
		if a.IndustryID != 0 && counts[a.ID].Active == 0 && !p.asked[a.ID] {
			candidates[a.IndustryID] = append(candidates[a.IndustryID], a)
		}
	})
	svc := campaigns.New(p.db, p.cat, p.noms, ix.Ledger())
	lead := p.team[1]
	type move struct {
		daysAgo int
		to      vouch.OutreachState
		note    string
	}
	plans := []struct {
		startedDaysAgo int
		contacts       [][]move
	}{
		{24, [][]move{
			{{22, vouch.OutreachContacted, "Sent the introduction mail."}, {16, vouch.OutreachInterested, "Replied: glad to talk about their rollout."},
				{4, vouch.OutreachNominated, "Agreed after a call; their CIO signed off."}},
			{{22, vouch.OutreachContacted, "Sent the introduction mail."}, {12, vouch.OutreachInterested, "Wants to hear what a reference call involves."}},
			{{21, vouch.OutreachContacted, "Left a voicemail and sent the mail."}},
			{{21, vouch.OutreachContacted, "Sent the introduction mail."}, {14, vouch.OutreachDeclined, "No time before their fiscal year end."}},
			{},
		}},
		{6, [][]move{
			{{5, vouch.OutreachContacted, "Asked their account manager for an introduction."}},
			{},
			{},
		}},
	}
	used := map[string]bool{}
	for _, c := range m.Cells {
		if len(plans) == 0 {
			break
		}
		plan := plans[0]
		if c.Gap <= 0 || c.ActivityType == "" || c.Value == "" || done[c.ValueID] {
			continue
		}
		done[c.ValueID] = true // one campaign per industry
		// Customers from the CRM not in the program yet: the ones to ask.
		cands := candidates[c.ValueID]
		p.at(p.when(plan.startedDaysAgo+1, 7)) // the nightly CRM sync
		for len(cands) < len(plan.contacts) {
			a, err := p.customer(refs, c.Value, names)
			if err != nil {
				return err
			}
			cands = append(cands, a)
		}
		plans = plans[1:]
		p.at(p.when(plan.startedDaysAgo, 10))
		camp, err := svc.Start(p.as(lead), lead, vouch.Campaign{Dimension: "industry", ValueID: c.ValueID, ActivityTypeID: c.ActivityTypeID})
		if err != nil {
			return err
		}
		slices.SortFunc(cands, func(a, b *vouch.Account) int { return strings.Compare(a.Name, b.Name) })
		for i, moves := range plan.contacts {
			a := cands[i]
			first, last := p.person(used)
			ct, err := svc.AddContact(p.as(lead), lead, vouch.CampaignContact{CampaignID: camp.ID, AccountID: a.ID,
				Name: first + " " + last, Email: contactEmail(first, last, a)})
			if err != nil {
				return err
			}
			for _, mv := range moves {
				p.at(p.when(mv.daysAgo, 11+p.rng.IntN(5)))
				if ct, err = svc.Move(p.as(lead), lead, ct.ID, ct.Version, mv.to, mv.note); err != nil {
					return fmt.Errorf("moving %s to %s: %w", ct.Name, mv.to, err)
				}
			}
		}
	}
	return nil
}

// customer adds a customer account of industry that has no reference
// yet, as a CRM import would, through the references service.
func (p *program) customer(refs *references.Service, industry string, names map[string]bool) (*vouch.Account, error) {
	kinds := companyKinds[industry]
	if len(kinds) == 0 {
		kinds = []string{"Group"}
	}
	var name string
	for i := 0; name == "" || names[name]; i++ {
		name = companyHeads[p.rng.IntN(len(companyHeads))] + companyTails[p.rng.IntN(len(companyTails))] + " " + kinds[p.rng.IntN(len(kinds))]
		if i > 3 {
			name += fmt.Sprintf(" %d", len(names))
		}
	}
	names[name] = true
	health := []string{"good", "good", "fair"}[p.rng.IntN(3)]
	nps := 20 + p.rng.IntN(60)
	npsp := &nps
	domain := strings.ToLower(strings.Fields(name)[0]) + ".example"
	since := p.today.AddDays(-200 - p.rng.IntN(4*365)).String()
	crm := fmt.Sprintf("ACC-8%05d", len(names))
	owner := p.sellers[p.rng.IntN(len(p.sellers))].ID
	return refs.CreateAccount(p.as(p.team[0]), vouch.AccountInput{Name: &name, Domain: &domain, CRMID: &crm, Health: &health,
		NPS: &npsp, CustomerSince: &since, OwnerID: &owner, Values: map[string]string{"industry": industry}})
}

// person is a name not used yet in the story.
func (p *program) person(used map[string]bool) (string, string) {
	for {
		first, last := firstNames[p.rng.IntN(len(firstNames))], lastNames[p.rng.IntN(len(lastNames))]
		if !used[first+last] {
			used[first+last] = true
			return first, last
		}
	}
}

// contactEmail is a contact's address at the account's domain (or one
// made from its name).
func contactEmail(first, last string, a *vouch.Account) string {
	domain := a.Domain
	if domain == "" {
		domain = strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, strings.ToLower(a.Name)) + ".example"
	}
	return strings.ToLower(first + "." + strings.ReplaceAll(last, "'", "") + "@" + domain)
}

// cadenceWeeks is how far back the cadence's history goes.
const cadenceWeeks = 6

// cadenceSkips are the occurrences the team skipped, by task kind: which
// of the task's occurrences in the history (0 the oldest), with the note.
var cadenceSkips = map[vouch.CadenceKind]map[int]string{
	vouch.CadenceTriage: {7: "Team offsite: triaged first thing the next morning.",
		19: "Public holiday; nothing was due within 72 hours."},
	vouch.CadenceNominations: {2: "No new nominations this week."},
}

// cadence assigns the default tasks to the program team and plays the
// last six weeks: each week's occurrences are made as the week comes and
// closed by their assignee on their day, most done, some skipped with a
// note; the last two days' are still open.
func (p *program) cadence(cad *cadence.Service) error {
	start := p.today.AddDays(-7 * cadenceWeeks)
	p.at(p.when(7*cadenceWeeks, 8))
	if err := cad.Seed(p.ctx); err != nil {
		return err
	}
	tasks, err := cad.Tasks(p.ctx, false)
	if err != nil {
		return err
	}
	owner := map[vouch.CadenceKind]*vouch.User{
		vouch.CadenceTriage: p.team[2], vouch.CadenceNominations: p.team[len(p.team)-1],
		vouch.CadenceScorecard: p.team[0], vouch.CadenceGoalsReview: p.team[0],
		vouch.CadenceReverify: p.team[len(p.team)/2], vouch.CadenceAdvisoryBoard: p.team[1],
	}
	lead := p.team[0]
	assignee := map[int64]*vouch.User{}
	for _, t := range tasks {
		u := owner[t.Kind]
		if u == nil {
			u = lead
		}
		if t.AssigneeID == 0 {
			if _, err := cad.Update(p.as(lead), t.ID, cadence.Input{AssigneeID: &u.ID, Version: &t.Version}); err != nil {
				return err
			}
		}
		assignee[t.ID] = u
	}
	kinds := map[int64]vouch.CadenceKind{}
	for _, t := range tasks {
		kinds[t.ID] = t.Kind
	}
	for w := 0; w <= cadenceWeeks; w++ {
		p.at(p.when(7*(cadenceWeeks-w), 8))
		if err := cad.Ensure(p.ctx); err != nil {
			return err
		}
	}
	open, err := p.db.Occurrences(p.ctx, store.OccurrenceFilter{DueFrom: start, DueTo: p.today.AddDays(-3), OpenOnly: true})
	if err != nil {
		return err
	}
	nth := map[int64]int{}
	for _, o := range open {
		u, kind := assignee[o.TaskID], kinds[o.TaskID]
		if u == nil {
			continue // a task the team added or archived: theirs to close
		}
		if o.AssigneeID != 0 && o.AssigneeID != u.ID {
			if other, err := p.db.User(p.ctx, o.AssigneeID); err == nil {
				u = other
			}
		}
		to, note := vouch.OccurrenceDone, ""
		if why, ok := cadenceSkips[kind][nth[o.TaskID]]; ok {
			to, note = vouch.OccurrenceSkipped, why
		}
		nth[o.TaskID]++
		days := int(p.today.Time().Sub(o.DueOn.Time()).Hours() / 24)
		p.at(p.when(days, 15+p.rng.IntN(3)))
		if _, err := cad.Close(p.as(u), o.ID, to, note); err != nil {
			return err
		}
	}
	return nil
}

// healthHistory is the team's three self-assessments, oldest first: each
// element's stage (1 underdeveloped … 4 advanced) and the note of a few.
var healthHistory = []struct {
	daysAgo int
	note    string
	stages  [11]int // in vouch.HealthElements order
	notes   map[vouch.HealthElement]string
}{
	{160, "First self-assessment, at the program's kickoff.", [11]int{2, 1, 1, 2, 2, 1, 1, 1, 2, 1, 1},
		map[vouch.HealthElement]string{vouch.ElementMetrics: "No scorecard yet; figures come from spreadsheets.",
			vouch.ElementOperations: "Requests arrive by mail and chat."}},
	{75, "After the first quarter on Vouch.", [11]int{3, 2, 2, 3, 2, 2, 2, 3, 2, 2, 3},
		map[vouch.HealthElement]string{vouch.ElementMetrics: "Monthly scorecard goes to the sales leaders.",
			vouch.ElementRecruiting: "Sellers nominate; no campaigns yet."}},
	{8, "Quarterly review with the sales advisory board.", [11]int{3, 3, 3, 3, 3, 2, 3, 4, 3, 3, 4},
		map[vouch.HealthElement]string{vouch.ElementRecruiting: "First recruiting campaigns on the coverage gaps.",
			vouch.ElementHorizontalIntegration: "PR and analyst relations log their asks; the RFP team not yet."}},
}

// health records the three assessments, each on its day by the program
// manager, so the trend chart has a line.
func (p *program) health(cad *cadence.Service) error {
	h := health.New(p.db, p.cat, nil, cad)
	lead := p.team[0]
	for _, a := range healthHistory {
		p.at(p.when(a.daysAgo, 16))
		in := health.Input{AssessedOn: p.db.Today().String(), Note: a.note}
		for i, e := range vouch.HealthElements {
			if i >= len(a.stages) {
				break
			}
			in.Ratings = append(in.Ratings, health.RatingInput{Element: string(e), Stage: fmt.Sprint(a.stages[i]), Note: a.notes[e]})
		}
		if _, err := h.Record(p.as(lead), in); err != nil {
			return err
		}
	}
	return nil
}
