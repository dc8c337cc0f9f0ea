package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Values are the taxonomy value ids by kind, as the generator needs them.
type Values map[vouch.TaxonomyKind][]*vouch.TaxonomyValue

var companyHeads = []string{"North", "Blue", "Silver", "Cedar", "Harbor", "Summit", "Bright", "Iron", "Clear",
	"Granite", "Maple", "Orion", "Pioneer", "Red", "Atlas", "Beacon", "Coral", "Delta", "Evergreen", "Falcon",
	"Golden", "Horizon", "Keystone", "Lumen", "Meridian", "Nova", "Oak", "Polar", "Quarry", "River"}
var companyTails = []string{"wind", "peak", "stone", "field", "bridge", "line", "gate", "works", "point", "ridge",
	"view", "wave", "crest", "light", "haven", "core", "path", "well", "star", "vale"}
var companyKinds = map[string][]string{
	"Financial Services":         {"Bank", "Capital", "Credit Union", "Financial"},
	"Healthcare":                 {"Health", "Medical Center", "Clinics", "Care"},
	"Life Sciences":              {"Biotech", "Pharma", "Therapeutics"},
	"Manufacturing":              {"Industries", "Manufacturing", "Components"},
	"Retail":                     {"Retail", "Stores", "Outfitters", "Market"},
	"Technology":                 {"Software", "Systems", "Labs", "Technologies"},
	"Telecommunications":         {"Telecom", "Networks", "Communications"},
	"Public Sector":              {"County", "City Services", "Agency"},
	"Education":                  {"University", "College", "Schools"},
	"Energy & Utilities":         {"Energy", "Power", "Utilities"},
	"Media & Entertainment":      {"Media", "Studios", "Broadcasting"},
	"Transportation & Logistics": {"Logistics", "Freight", "Transit"},
	"Professional Services":      {"Partners", "Consulting", "Advisory"},
	"Insurance":                  {"Insurance", "Mutual", "Assurance"},
}
var titles = map[string][]string{
	"executive":    {"Chief Information Officer", "Chief Technology Officer", "Chief Operating Officer", "Chief Data Officer", "VP of Engineering", "Chief Financial Officer"},
	"director":     {"Director of IT", "Director of Operations", "Director of Analytics", "Head of Data", "Director of Customer Experience"},
	"manager":      {"IT Manager", "Operations Manager", "Analytics Manager", "Program Manager", "Engineering Manager"},
	"practitioner": {"Data Engineer", "Business Analyst", "Solutions Architect", "Systems Administrator", "Developer"},
}
var storyOpeners = []string{
	"Replaced %s after a six-month evaluation and went live in %d weeks.",
	"Moved off %s to consolidate three tools into one platform.",
	"Chose us over %s because of the integrations and the support team.",
	"Migrated from %s during a company-wide cloud migration.",
}
var storyOutcomes = []string{
	"Cut reporting time from two days to two hours.",
	"Reduced operating costs by %d%% in the first year.",
	"Now serves %d,000 users across %d countries.",
	"Improved customer satisfaction scores by %d points.",
	"Passed their compliance audit with zero findings for the first time.",
	"Freed %d engineers from maintenance work to build new products.",
}
var languagesByRegion = map[string][]string{
	"North America": {"English", "Spanish", "French"},
	"Latin America": {"Spanish", "Portuguese", "English"},
	"EMEA":          {"English", "German", "French", "Dutch", "Arabic", "Italian", "Spanish"},
	"APAC":          {"English", "Japanese", "Hindi", "Mandarin"},
}
var countriesByRegion = map[string][]string{
	"North America": {"United States", "Canada"},
	"Latin America": {"Mexico", "Brazil"},
	"EMEA": {"United Kingdom", "Ireland", "Germany", "France", "Netherlands", "Spain", "Italy", "Sweden",
		"Switzerland", "South Africa", "United Arab Emirates"},
	"APAC": {"India", "Singapore", "Japan", "Australia", "New Zealand"},
}
var timeZonesByRegion = map[string][]string{
	"North America": {"America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Toronto"},
	"Latin America": {"America/Mexico_City", "America/Sao_Paulo"},
	"EMEA":          {"Europe/London", "Europe/Berlin", "Europe/Paris", "Europe/Amsterdam", "Europe/Madrid", "Africa/Johannesburg", "Asia/Dubai"},
	"APAC":          {"Asia/Kolkata", "Asia/Singapore", "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland"},
}

// Generator makes deterministic accounts and references from a seed.
type Generator struct {
	rng    *rand.Rand
	values Values
	byName map[vouch.TaxonomyKind]map[string]int64
	owners []int64
	today  vouch.Date
	used   map[string]bool
}

// NewGenerator returns a generator over the given taxonomy values and owner user ids.
func NewGenerator(seed int64, values Values, owners []int64, today vouch.Date) *Generator {
	g := &Generator{rng: rand.New(rand.NewPCG(uint64(seed), 0x7265667321)), values: values, owners: owners,
		today: today, byName: map[vouch.TaxonomyKind]map[string]int64{}, used: map[string]bool{}}
	for kind, vals := range values {
		g.byName[kind] = map[string]int64{}
		for _, v := range vals {
			g.byName[kind][v.Name] = v.ID
		}
	}
	return g
}

func (g *Generator) pick(kind vouch.TaxonomyKind) *vouch.TaxonomyValue {
	vals := g.values[kind]
	if len(vals) == 0 {
		return &vouch.TaxonomyValue{}
	}
	// A skewed pick: the first values of a list are the most common, as in real programs.
	i := int(float64(len(vals)) * g.rng.Float64() * g.rng.Float64())
	return vals[i]
}

func (g *Generator) some(kind vouch.TaxonomyKind, min, max int) []int64 {
	n := min + g.rng.IntN(max-min+1)
	seen := map[int64]bool{}
	var out []int64
	for len(out) < n && len(seen) < len(g.values[kind]) {
		v := g.pick(kind)
		if !seen[v.ID] {
			seen[v.ID] = true
			out = append(out, v.ID)
		}
	}
	return out
}

func (g *Generator) owner() int64 {
	if len(g.owners) == 0 {
		return 0
	}
	return g.owners[g.rng.IntN(len(g.owners))]
}

// Account returns a new account with a unique name.
func (g *Generator) Account(n int) *vouch.Account {
	industry := g.pick(vouch.TaxIndustry)
	region := g.pick(vouch.TaxRegion)
	var name string
	for i := 0; ; i++ {
		kinds := companyKinds[industry.Name]
		if len(kinds) == 0 {
			kinds = []string{"Group"}
		}
		name = companyHeads[g.rng.IntN(len(companyHeads))] + companyTails[g.rng.IntN(len(companyTails))] + " " + kinds[g.rng.IntN(len(kinds))]
		if i > 3 {
			name += fmt.Sprintf(" %d", n)
		}
		if !g.used[name] {
			g.used[name] = true
			break
		}
	}
	country := int64(0)
	if cs := countriesByRegion[region.Name]; len(cs) > 0 {
		country = g.byName[vouch.TaxCountry][cs[g.rng.IntN(len(cs))]]
	}
	nps := -20 + g.rng.IntN(100)
	health := []string{"good", "good", "good", "fair", "poor"}[g.rng.IntN(5)]
	domain := strings.ToLower(strings.Fields(name)[0]) + ".example"
	a := &vouch.Account{
		Name: name, Domain: domain, IndustryID: industry.ID, RegionID: region.ID, CountryID: country,
		SegmentID: g.pick(vouch.TaxSegment).ID, SizeID: g.pick(vouch.TaxCompanySize).ID,
		CRMID: fmt.Sprintf("ACC-%06d", n), OwnerID: g.owner(), Health: health, NPS: &nps,
		CSM:           firstNames[g.rng.IntN(len(firstNames))] + " " + lastNames[g.rng.IntN(len(lastNames))],
		CustomerSince: g.today.AddDays(-90 - g.rng.IntN(8*365)), ProductIDs: g.some(vouch.TaxProduct, 1, 3),
	}
	// ARR and renewal follow from what is drawn already, so the rest of the
	// demo stays the same draw for draw: USD 50,000 to 2,040,000, renewed
	// each year on the day the account became a customer (the 28th for a later day).
	a.ARRCents, a.ARRCurrency = int64(50_000+(n*7919%200)*10_000)*100, "USD"
	renewal := a.CustomerSince
	for !renewal.After(g.today) {
		renewal = vouch.NewDate(renewal.Time().Year()+1, renewal.Time().Month(), min(renewal.Time().Day(), 28))
	}
	a.RenewalDate = renewal
	return a
}

// Reference returns a new reference at account a.
func (g *Generator) Reference(n int, a *vouch.Account, regionName string) *vouch.Reference {
	first, last := firstNames[g.rng.IntN(len(firstNames))], lastNames[g.rng.IntN(len(lastNames))]
	seniority := vouch.Seniorities[g.rng.IntN(len(vouch.Seniorities))]
	ts := titles[seniority]
	competitors := g.some(vouch.TaxCompetitor, 0, 2)
	competitor := "a homegrown system"
	if len(competitors) > 0 {
		for _, v := range g.values[vouch.TaxCompetitor] {
			if v.ID == competitors[0] {
				competitor = v.Name
			}
		}
	}
	outcome := storyOutcomes[g.rng.IntN(len(storyOutcomes))]
	switch strings.Count(outcome, "%d") {
	case 1:
		outcome = fmt.Sprintf(outcome, 5+g.rng.IntN(40))
	case 2:
		outcome = fmt.Sprintf(outcome, 1+g.rng.IntN(50), 2+g.rng.IntN(30))
	}
	opener := storyOpeners[g.rng.IntN(len(storyOpeners))]
	if strings.Count(opener, "%") == 2 {
		opener = fmt.Sprintf(opener, competitor, 4+g.rng.IntN(20))
	} else {
		opener = fmt.Sprintf(opener, competitor)
	}
	langs := []string{"English"}
	if ls := languagesByRegion[regionName]; len(ls) > 0 {
		langs = []string{ls[g.rng.IntN(len(ls))]}
		if langs[0] != "English" && g.rng.IntN(2) == 0 {
			langs = append(langs, "English")
		}
	}
	tz := "UTC"
	if zs := timeZonesByRegion[regionName]; len(zs) > 0 {
		tz = zs[g.rng.IntN(len(zs))]
	}
	// Most references are active; the rest spread over the lifecycle.
	status := vouch.StatusActive
	reason := ""
	var until vouch.Date
	switch r := g.rng.IntN(100); {
	case r < 8:
		status = vouch.StatusNominated
	case r < 15:
		status = vouch.StatusQualifying
	case r < 22:
		status, until = vouch.StatusResting, g.today.AddDays(7+g.rng.IntN(80))
	case r < 27:
		status, reason = vouch.StatusRetired, []string{"Left the company", "Moved to a new role", "Account churned"}[g.rng.IntN(3)]
	case r < 30:
		status, reason = vouch.StatusDoNotContact, "Asked not to be contacted during renewal"
	}
	var acts []vouch.AgreedActivity
	for _, id := range g.some(vouch.TaxActivityType, 1, 5) {
		acts = append(acts, vouch.AgreedActivity{TypeID: id, ConsentedOn: g.today.AddDays(-g.rng.IntN(500))})
	}
	var capOverride *int
	if g.rng.IntN(10) == 0 {
		c := 1 + g.rng.IntN(5)
		capOverride = &c
	}
	email := strings.ToLower(fmt.Sprintf("%s.%s.%d@%s", first, strings.ReplaceAll(last, "'", ""), n, a.Domain))
	return &vouch.Reference{
		AccountID: a.ID, Name: first + " " + last, Title: ts[g.rng.IntN(len(ts))], Seniority: seniority,
		Email: email, Phone: fmt.Sprintf("+1 555 %04d", g.rng.IntN(10000)), TimeZone: tz, Languages: langs,
		ProductIDs: g.some(vouch.TaxProduct, 1, 3), UseCaseIDs: g.some(vouch.TaxUseCase, 1, 3), CompetitorIDs: competitors,
		Deployment: vouch.Deployments[g.rng.IntN(len(vouch.Deployments))],
		GoLive:     g.today.AddDays(-60 - g.rng.IntN(6*365)), Story: opener + " " + outcome,
		Activities: acts, OwnerID: g.owner(), LastVerified: g.today.AddDays(-g.rng.IntN(540)),
		Status: status, StatusReason: reason, RestingUntil: until, CapacityOverride: capOverride,
		CRMID: fmt.Sprintf("CON-%07d", n),
	}
}

// ActivityDays returns the days of a reference's past activities: none for
// most, a few for some, and at capacity for a handful, so capacity shows.
func (g *Generator) ActivityDays() []vouch.Date {
	n := []int{0, 0, 0, 1, 1, 2, 3, 4}[g.rng.IntN(8)]
	out := make([]vouch.Date, n)
	for i := range out {
		out[i] = g.today.AddDays(-g.rng.IntN(120))
	}
	return out
}

// Intn exposes the generator's randomness for callers that vary their own choices.
func (g *Generator) Intn(n int) int { return g.rng.IntN(n) }

// Records makes n references in memory, as read models load them from the
// database (ids assigned, three references an account), for benchmarks at a
// scale the database would take long to fill.
func Records(seed int64, n int, values []*vouch.TaxonomyValue, owners []int64, today vouch.Date) []store.ReferenceRecord {
	byKind := Values{}
	region := map[int64]string{}
	for _, v := range values {
		if v.Retired {
			continue
		}
		byKind[v.Kind] = append(byKind[v.Kind], v)
		if v.Kind == vouch.TaxRegion {
			region[v.ID] = v.Name
		}
	}
	g := NewGenerator(seed, byKind, owners, today)
	recs := make([]store.ReferenceRecord, 0, n)
	var a *vouch.Account
	for i := 0; i < n; i++ {
		if i%3 == 0 {
			a = g.Account(i/3 + 1)
			a.ID = int64(i/3 + 1)
		}
		r := g.Reference(i+1, a, region[a.RegionID])
		r.ID = int64(i + 1)
		recs = append(recs, store.ReferenceRecord{Reference: r, Account: a, Activities: g.ActivityDays()})
	}
	return recs
}
