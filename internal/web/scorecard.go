package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"sort"
	"strings"

	"github.com/vouchhq/vouch/internal/scorecard"
	"github.com/vouchhq/vouch/internal/vouch"
)

// The scorecard (issue 11, point 5): the one page, its rows, its
// definitions and its CSV and XLSX exports. The PDF, PNG and share routes
// are the share part's; the page links to them.

// scorecardSections are the page's groups of tiles, in order.
var scorecardSections = []struct {
	ID, Title string
	Metrics   []vouch.MetricID
}{
	{"requests", "Requests", []vouch.MetricID{vouch.MetricRequestsReceived, vouch.MetricRequestsFulfilled, vouch.MetricFulfillmentRate,
		vouch.MetricFulfilMedianDays, vouch.MetricFulfilP90Days, vouch.MetricRequestsOverdue, vouch.MetricAskAcceptance}},
	{"references", "References", []vouch.MetricID{vouch.MetricActiveReferences, vouch.MetricReferencesAdded, vouch.MetricReferencesRetired,
		vouch.MetricReferencesStale, vouch.MetricReferencesAtCapacity, vouch.MetricConcentration}},
	{"revenue", "Revenue", []vouch.MetricID{vouch.MetricRevenueInfluenced, vouch.MetricPipelineInfluenced, vouch.MetricDealsInfluenced}},
	{"deals", "Deals with and without references", []vouch.MetricID{vouch.MetricDealSizeWith, vouch.MetricDealSizeWithout,
		vouch.MetricDaysToCloseWith, vouch.MetricDaysToCloseWithout}},
	{"content", "Content, satisfaction and thanks", []vouch.MetricID{vouch.MetricContentUses, vouch.MetricContentHelpfulness,
		vouch.MetricSellerSatisfaction, vouch.MetricAdvocateExperience, vouch.MetricPointsAwarded, vouch.MetricThankYousOutstanding}},
	// Recruiting (nominations.go, campaigns.go).
	{"recruiting", "Recruiting", []vouch.MetricID{vouch.MetricNominationsSubmitted, vouch.MetricNominationsQualified,
		vouch.MetricNominationsAccepted, vouch.MetricCampaignContactsReached, vouch.MetricCampaignNominations,
		vouch.MetricCampaignRecruits, vouch.MetricDriveItemsDone}},
}

// ScorecardView is what the "scorecard-body" template draws. ReadOnly
// draws no link at all: the share part shows it on a public signed link
// that must reach nothing else.
type ScorecardView struct {
	ReadOnly bool
	// User is the viewer (nil on a public link): which rows they may open.
	User     *vouch.User
	Card     *scorecard.Card
	Query    string // the selection as URL parameters
	Sections []scorecardSection
	WinRate  winRateView
	Revenue  []moneyLine
	Pipeline []moneyLine
	Segments []segmentRow
	Active   []segmentRow
	Goals    []goalView
	// WinRowsURL lists the closed deals behind the win rates ("" without a link).
	WinRowsURL string
	Trend      template.HTML
	Bars       template.HTML
	RevBars    template.HTML
}

type scorecardSection struct {
	ID, Title string
	Tiles     []tileView
}

// tileView is one tile.
type tileView struct {
	ID         vouch.MetricID
	Label      string
	Definition string
	Value      string   // None when there is no figure
	Lines      []string // money: one line per currency
	Change     scorecard.Change
	Flag       string
	RowsURL    string
}

type moneyLine struct {
	Amount string
	Deals  int
}

type segmentRow struct {
	Name  string
	Count int
	Money []moneyLine
}

type winRateView struct {
	With, Without    string // "75% (9 won, 3 lost)" or NotEnoughData
	Lift, CI         string
	StageLift        string
	Enough           bool
	StageEnough      bool
	NotEnough        string
	Stages           []stageView
	WithDef, LiftDef string
}

type stageView struct {
	Stage, With, Without, Lift string
}

type goalView struct {
	Name, Objective, Metric             string
	Current, Target, Expected, Forecast string
	Pace, PaceClass, Period             string
}

var paceLabels = map[vouch.GoalPace][2]string{
	vouch.PaceOnTrack: {"On track", "pill-ok"},
	vouch.PaceAtRisk:  {"At risk", "pill-warn"},
	vouch.PaceBehind:  {"Behind", "pill-bad"},
	vouch.PaceMet:     {"Met", "pill-ok"},
	vouch.PaceMissed:  {"Missed", "pill-bad"},
}

// moneyLines writes money per currency, largest first.
func moneyLines(m map[string]*vouch.Money) []moneyLine {
	curs := make([]string, 0, len(m))
	for c := range m {
		if m[c] != nil {
			curs = append(curs, c)
		}
	}
	sort.Slice(curs, func(i, j int) bool {
		if m[curs[i]].Amount != m[curs[j]].Amount {
			return m[curs[i]].Amount > m[curs[j]].Amount
		}
		return curs[i] < curs[j]
	})
	out := make([]moneyLine, len(curs))
	for i, c := range curs {
		out[i] = moneyLine{Amount: vouch.FormatMoney(c, m[c].Amount), Deals: m[c].Deals}
	}
	return out
}

// scorecardView builds the view of a card; the share part calls it with
// readOnly for its public link.
func (h *Handler) scorecardView(r *http.Request, c *scorecard.Card, readOnly bool) (*ScorecardView, error) {
	u := userFrom(r.Context())
	v := &ScorecardView{ReadOnly: readOnly, Card: c, Query: c.Encode()}
	if !readOnly {
		v.User = u
	}
	sc := c.Scorecard
	for _, s := range scorecardSections {
		sec := scorecardSection{ID: s.ID, Title: s.Title}
		for _, id := range s.Metrics {
			sec.Tiles = append(sec.Tiles, h.tile(v, id, sc.Tiles[id]))
		}
		v.Sections = append(v.Sections, sec)
	}
	v.Revenue, v.Pipeline = moneyLines(scorecard.Revenue(c)), moneyLines(scorecard.Pipeline(c))
	for _, s := range sc.ActiveBySegment {
		v.Active = append(v.Active, segmentRow{Name: segmentName(s.Name), Count: s.Count})
	}
	// Revenue and pipeline by segment, in one table.
	bySeg := map[string]*segmentRow{}
	var order []string
	for _, s := range sc.RevenueBySegment {
		n := segmentName(s.Name)
		bySeg[n] = &segmentRow{Name: n, Count: s.Count, Money: moneyLines(s.Money)}
		order = append(order, n)
	}
	for _, n := range order {
		v.Segments = append(v.Segments, *bySeg[n])
	}
	if !readOnly && rowsAllowed(u, vouch.MetricWinRateWith) {
		v.WinRowsURL = "/scorecard/rows?metric=" + string(vouch.MetricWinRateWith) + "&" + v.Query
	}
	wr := sc.WinRate
	v.WinRate = winRateView{NotEnough: scorecard.NotEnoughData, Enough: wr.Lift != nil, StageEnough: wr.StageLift != nil}
	v.WinRate.With, v.WinRate.Without = rateOrNot(wr.With), rateOrNot(wr.Without)
	if wr.Lift != nil {
		v.WinRate.Lift = scorecard.FormatLift(wr.Lift)
		if wr.CI95 != nil {
			lo, hi := wr.CI95[0], wr.CI95[1]
			v.WinRate.CI = "95% confidence interval " + scorecard.FormatLift(&lo) + " to " + scorecard.FormatLift(&hi)
		}
	}
	if wr.StageLift != nil {
		v.WinRate.StageLift = scorecard.FormatLift(wr.StageLift)
	}
	for _, st := range wr.ByStage {
		sv := stageView{Stage: st.Stage, With: rateOrNot(st.With), Without: rateOrNot(st.Without), Lift: scorecard.FormatLift(st.Lift)}
		if st.Lift == nil {
			sv.Lift = "Not enough data"
		}
		v.WinRate.Stages = append(v.WinRate.Stages, sv)
	}
	for _, g := range sc.Goals {
		def := vouch.Metric(g.Metric)
		unit, label := vouch.UnitCount, string(g.Metric)
		if def != nil {
			unit, label = def.Unit, def.Label
		}
		target, expected := g.Target, g.Expected
		pl := paceLabels[g.Pace]
		if pl[0] == "" {
			pl = [2]string{g.Pace.Label(), "pill-muted"} // not started, no data yet
		}
		v.Goals = append(v.Goals, goalView{Name: g.Name, Objective: g.Objective, Metric: label,
			Current: scorecard.FormatValue(unit, g.Current), Target: scorecard.FormatValue(unit, &target),
			Expected: scorecard.FormatValue(unit, &expected), Forecast: scorecard.FormatValue(unit, g.Forecast),
			Pace: pl[0], PaceClass: pl[1], Period: formatDate(g.From.Time()) + " – " + formatDate(g.To.Time())})
	}
	var err error
	if v.Trend, err = chartSVG(c.TrendChart(scorecard.SVG, 760, 300)); err != nil {
		return nil, err
	}
	if v.Bars, err = chartSVG(c.SegmentChart(scorecard.BarsActive, scorecard.SVG, 560, 280)); err != nil {
		return nil, err
	}
	if v.RevBars, err = chartSVG(c.SegmentChart(scorecard.BarsRevenue, scorecard.SVG, 560, 280)); err != nil {
		return nil, err
	}
	return v, nil
}

// chartSVG marks a chart drawn by the scorecard package as safe HTML: it
// is generated, every name in it escaped (scorecard.text), with no script.
func chartSVG(b []byte, err error) (template.HTML, error) {
	if err != nil {
		return "", err
	}
	if bytes.Contains(bytes.ToLower(b), []byte("<script")) {
		return "", fmt.Errorf("chart holds a script element")
	}
	// The chart scales to its box; its title is its accessible name.
	b = bytes.Replace(b, []byte("<svg "), []byte(`<svg role="img" preserveAspectRatio="xMidYMid meet" `), 1)
	return template.HTML(b), nil //nolint:gosec // generated SVG, names escaped by the scorecard package
}

func segmentName(n string) string {
	if n == "" {
		return "Not set"
	}
	return n
}

func rateOrNot(r vouch.Ratio) string {
	if r.Rate == nil {
		return fmt.Sprintf("Not enough data (%d won, %d lost)", r.Won, r.Lost)
	}
	return scorecard.RateText(r)
}

// tile is one metric's tile.
func (h *Handler) tile(v *ScorecardView, id vouch.MetricID, t *vouch.Tile) tileView {
	def := vouch.Metric(id)
	tv := tileView{ID: id, Label: def.Label, Definition: def.Definition, Value: scorecard.None}
	if !v.ReadOnly && rowsAllowed(v.User, id) {
		tv.RowsURL = "/scorecard/rows?metric=" + string(id)
		if v.Query != "" {
			tv.RowsURL += "&" + v.Query
		}
	}
	if t == nil {
		return tv
	}
	if def.Unit == vouch.UnitMoney {
		for _, l := range moneyLines(t.Money) {
			tv.Lines = append(tv.Lines, fmt.Sprintf("%s · %d %s", l.Amount, l.Deals, dealsWord(l.Deals)))
		}
		if len(tv.Lines) > 0 {
			tv.Value = ""
		}
		if c := t.Converted; c != nil {
			tv.Lines = append(tv.Lines, fmt.Sprintf("%s in all, at the rates in settings · %d %s", vouch.FormatMoney(c.Currency, c.Amount),
				c.Deals, dealsWord(c.Deals)))
		}
		cur, now, prev := scorecard.MoneyChange(t)
		tv.Change = scorecard.ChangeOf(def, now, prev, cur)
		return tv
	}
	tv.Value = scorecard.FormatValue(def.Unit, t.Value)
	tv.Change = scorecard.ChangeOf(def, t.Value, t.Previous.Value, "")
	if id == vouch.MetricAskAcceptance && t.Value != nil && *t.Value < vouch.AskAcceptanceFloor {
		tv.Flag = scorecard.AskAcceptanceWarning
	}
	return tv
}

func dealsWord(n int) string {
	if n == 1 {
		return "deal"
	}
	return "deals"
}

// scorecardPicker is the period and filter form.
type scorecardPicker struct {
	Months, Quarters, Years []pickOption
	Custom                  bool
	From, To                string
	Filters                 []pickFilter
	Owners                  pickFilter
}

type pickOption struct {
	Value, Label string
	Selected     bool
}

type pickFilter struct {
	Param, Label string
	Multiple     bool
	Options      []pickOption
	Any          bool // nothing chosen
}

// picker offers the recent months, fiscal quarters and fiscal years, and a
// select per filter, with the selection's choices selected.
func (h *Handler) picker(r *http.Request, sel scorecard.Selection, raw map[string][]string) scorecardPicker {
	start := sel.FiscalStart
	today := h.clock.Today()
	p := scorecardPicker{Custom: sel.Kind == scorecard.KindCustom}
	if p.Custom {
		p.From, p.To = sel.Query.From.String(), sel.Query.To.String()
	}
	add := func(list *[]pickOption, per vouch.Period) {
		param := scorecard.PeriodParam(per, start)
		*list = append(*list, pickOption{Value: param, Label: scorecard.PeriodName(per, start), Selected: !p.Custom && param == sel.Param})
	}
	m := vouch.PeriodOf(vouch.PeriodMonth, today)
	for i := 0; i < 13; i++ {
		add(&p.Months, m)
		m = m.Previous()
	}
	q := vouch.FiscalPeriodOf(vouch.PeriodQuarter, today, start)
	for i := 0; i < 8; i++ {
		add(&p.Quarters, q)
		q = vouch.PreviousFiscal(q, start)
	}
	y := vouch.FiscalPeriodOf(vouch.PeriodYear, today, start)
	for i := 0; i < 4; i++ {
		add(&p.Years, y)
		y = vouch.PreviousFiscal(y, start)
	}
	// A period further back than the lists stays selectable.
	if !p.Custom && sel.Param != "" && !selectedIn(p.Months, p.Quarters, p.Years) {
		opt := pickOption{Value: sel.Param, Label: sel.Name, Selected: true}
		switch sel.Kind {
		case scorecard.KindMonth:
			p.Months = append(p.Months, opt)
		case scorecard.KindQuarter:
			p.Quarters = append(p.Quarters, opt)
		default:
			p.Years = append(p.Years, opt)
		}
	}
	chosen := map[string]map[string]bool{}
	for _, f := range sel.Filters {
		chosen[f.Param] = map[string]bool{}
		for _, n := range f.Names {
			chosen[f.Param][strings.ToLower(n)] = true
		}
	}
	for _, fp := range scorecard.FilterParams {
		pf := pickFilter{Param: fp.Param, Label: fp.Label, Multiple: len(chosen[fp.Param]) > 1, Any: len(chosen[fp.Param]) == 0}
		for _, val := range h.opts.Catalog.Values(fp.Kind, false) {
			pf.Options = append(pf.Options, pickOption{Value: val.Name, Label: val.Name, Selected: chosen[fp.Param][strings.ToLower(val.Name)]})
		}
		if len(pf.Options) > 0 {
			p.Filters = append(p.Filters, pf)
		}
	}
	p.Owners = pickFilter{Param: "owner", Label: "Owner", Any: len(sel.Owners) == 0, Multiple: len(sel.Owners) > 1}
	owners := map[string]bool{}
	for _, o := range sel.Owners {
		owners[o] = true
	}
	if users, err := h.db.ListUsers(r.Context()); err == nil {
		for _, u := range users {
			if u.Disabled || u.Role == vouch.RoleViewer {
				continue
			}
			id := fmt.Sprint(u.ID)
			p.Owners.Options = append(p.Owners.Options, pickOption{Value: id, Label: u.Name, Selected: owners[id] || owners[u.Email]})
		}
	}
	_ = raw
	return p
}

func selectedIn(lists ...[]pickOption) bool {
	for _, l := range lists {
		for _, o := range l {
			if o.Selected {
				return true
			}
		}
	}
	return false
}

// scorecardPageData is what scorecard.html shows.
type scorecardPageData struct {
	View   *ScorecardView
	Picker scorecardPicker
	Card   *scorecard.Card
	Links  []exportLink
}

// exportLink is one export or share button.
type exportLink struct {
	Label, Href string
	Primary     bool
}

// The share part's routes the page links to when they are served.
const (
	routeScorecardPDF    = "/scorecard/export.pdf"
	routeScorecardPNG    = "/scorecard/export.png"
	routeScorecardShares = "/scorecard/shares"
	// routeScorecardSchedules is the scheduled mail of the scorecard.
	routeScorecardSchedules = "/scorecard/schedules"
)

// noteScorecardRoutes records which of the share part's routes mux serves.
func (h *Handler) noteScorecardRoutes(mux *http.ServeMux) {
	h.served = map[string]bool{}
	for _, path := range []string{routeScorecardPDF, routeScorecardPNG, routeScorecardShares, routeScorecardSchedules} {
		req, _ := http.NewRequest(http.MethodGet, path, nil)
		if _, pattern := mux.Handler(req); pattern != "" && pattern != "/" {
			h.served[path] = true
		}
	}
}

// scorecardLinks are the export and share buttons for u.
func (h *Handler) scorecardLinks(u *vouch.User, query string) []exportLink {
	q := ""
	if query != "" {
		q = "?" + query
	}
	links := []exportLink{{Label: "CSV", Href: "/scorecard/export.csv" + q}, {Label: "XLSX", Href: "/scorecard/export.xlsx" + q}}
	if h.served[routeScorecardPDF] {
		links = append(links, exportLink{Label: "PDF", Href: routeScorecardPDF + q})
	}
	if h.served[routeScorecardPNG] {
		links = append(links, exportLink{Label: "PNG", Href: routeScorecardPNG + q})
	}
	// Sharing and scheduled mail are the program managers': nobody else is
	// offered a page that would answer 403.
	if h.served[routeScorecardSchedules] && u.Can(vouch.PermShareScorecard) {
		links = append(links, exportLink{Label: "Scheduled mail", Href: routeScorecardSchedules})
	}
	if h.served[routeScorecardShares] && u.Can(vouch.PermShareScorecard) {
		links = append(links, exportLink{Label: "Share", Href: routeScorecardShares + q, Primary: true})
	}
	return links
}

// scorecards is the scorecard service: the server's, or one of the
// handler's own over the same engine.
func (h *Handler) scorecards() *scorecard.Service {
	if h.opts.Scorecard != nil {
		return h.opts.Scorecard
	}
	return h.ownCards
}

// scorecardPage serves GET /scorecard: the one-page scorecard for the
// period and filters in the URL.
func (h *Handler) scorecardPage(w http.ResponseWriter, r *http.Request) {
	svc := h.scorecards()
	req, err := scorecard.ParseRequest(r.URL.Query())
	var sel scorecard.Selection
	if err == nil {
		sel, err = svc.Resolve(r.Context(), req)
	}
	if err != nil {
		if !isFormError(err) {
			h.fail(w, r, err)
			return
		}
		// The picker shows what was wrong, over the current quarter's choices.
		def, _ := svc.Resolve(r.Context(), scorecard.Request{})
		h.render(w, r, http.StatusBadRequest, "scorecard", &page{Title: "Scorecard", Nav: "scorecard",
			Error: "The scorecard was not drawn: " + fieldSentence(err), Errors: vouch.ErrorFields(err), Form: r.URL.Query(),
			Data: &scorecardPageData{Picker: h.picker(r, def, nil)}})
		return
	}
	c, err := svc.Card(r.Context(), sel)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := h.scorecardView(r, c, false)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "scorecard", &page{Title: "Scorecard · " + c.Name, Nav: "scorecard",
		Data: &scorecardPageData{View: v, Picker: h.picker(r, sel, nil), Card: c, Links: h.scorecardLinks(userFrom(r.Context()), c.Encode())}})
}

// fieldSentence writes a validation error's fields as one sentence.
func fieldSentence(err error) string {
	f := vouch.ErrorFields(err)
	if len(f) == 0 {
		return vouch.ErrorMessage(err)
	}
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + " " + f[k]
	}
	return strings.Join(parts, "; ") + "."
}

// selection reads the period and filters of a request, or answers 400.
func (h *Handler) selection(w http.ResponseWriter, r *http.Request) (scorecard.Selection, bool) {
	req, err := scorecard.ParseRequest(r.URL.Query())
	var sel scorecard.Selection
	if err == nil {
		sel, err = h.scorecards().Resolve(r.Context(), req)
	}
	if err != nil {
		if isFormError(err) {
			h.errorPage(w, r, http.StatusBadRequest, "The scorecard was not drawn: "+fieldSentence(err))
		} else {
			h.fail(w, r, err)
		}
		return sel, false
	}
	return sel, true
}

// scorecardRowsData is what scorecard_rows.html shows.
type scorecardRowsData struct {
	Back  string // the scorecard of the same period and filters
	Def   *vouch.MetricDef
	Card  scorecard.Selection
	Query string
	Rows  []rowView
	Money bool
	Limit int
	More  bool
}

type rowView struct {
	Kind, Label, Date, Amount, Note, Link string
}

// dealMetrics are the metrics whose rows are deals: everyone who reads the
// scorecard may list them (sellers list deals anyway). The rows behind the
// other figures are requests, references and content, for the program team.
var dealMetrics = map[vouch.MetricID]bool{vouch.MetricRevenueInfluenced: true, vouch.MetricPipelineInfluenced: true,
	vouch.MetricDealsInfluenced: true, vouch.MetricWinRateWith: true, vouch.MetricWinRateWithout: true, vouch.MetricWinRateLift: true,
	vouch.MetricDealSizeWith: true, vouch.MetricDealSizeWithout: true, vouch.MetricDaysToCloseWith: true, vouch.MetricDaysToCloseWithout: true}

// rowsAllowed says whether u may open the rows behind metric id.
func rowsAllowed(u *vouch.User, id vouch.MetricID) bool {
	return u.Can(vouch.PermManageProgram) || (dealMetrics[id] && u.Can(vouch.PermReadScorecard))
}

// rowsLimit is how many rows the page lists; the exports have them all.
const rowsLimit = 1000

// scorecardRows serves GET /scorecard/rows?metric=…: the rows behind a
// figure, for the program team.
func (h *Handler) scorecardRows(w http.ResponseWriter, r *http.Request) {
	id := vouch.MetricID(r.URL.Query().Get("metric"))
	def := vouch.Metric(id)
	if def == nil {
		h.errorPage(w, r, http.StatusBadRequest, fmt.Sprintf("There is no metric %q: follow a link from the scorecard.", id))
		return
	}
	u := userFrom(r.Context())
	if !rowsAllowed(u, id) {
		h.forbidden(w, r)
		return
	}
	sel, ok := h.selection(w, r)
	if !ok {
		return
	}
	rows := h.scorecards().Rows(id, sel, rowsLimit+1)
	d := &scorecardRowsData{Back: "/scorecard?" + sel.Encode(), Def: def, Card: sel, Query: sel.Encode(), Money: def.Unit == vouch.UnitMoney, Limit: rowsLimit}
	if len(rows) > rowsLimit {
		rows, d.More = rows[:rowsLimit], true
	}
	for _, row := range rows {
		rv := rowView{Kind: strings.ReplaceAll(string(row.Kind), "_", " "), Label: row.Label, Note: row.Note}
		if !row.Date.IsZero() {
			rv.Date = formatDate(row.Date.Time())
		}
		if row.Currency != "" || row.Amount != 0 {
			rv.Amount = vouch.FormatMoney(row.Currency, row.Amount)
		}
		rv.Link = rowLink(u, row)
		d.Rows = append(d.Rows, rv)
	}
	h.render(w, r, http.StatusOK, "scorecard_rows", &page{Title: def.Label + " · " + sel.Name, Nav: "scorecard", Data: d})
}

// rowLink is the page of a row, when the viewer may open it.
func rowLink(u *vouch.User, row vouch.MetricRow) string {
	if row.ID <= 0 {
		return ""
	}
	switch row.Kind {
	case vouch.EntityRequest:
		if u.Can(vouch.PermManageProgram) {
			return fmt.Sprintf("/requests/%d", row.ID)
		}
	case vouch.EntityReference:
		if u.Can(vouch.PermManageProgram) {
			return fmt.Sprintf("/references/%d", row.ID)
		}
	case vouch.EntityAccount:
		if u.Can(vouch.PermManageProgram) {
			return fmt.Sprintf("/accounts/%d", row.ID)
		}
	case vouch.EntityContent:
		if u.Can(vouch.PermManageContent) {
			return fmt.Sprintf("/content/%d", row.ID)
		}
	}
	return ""
}

// scorecardDefinitions serves GET /scorecard/definitions: every metric's
// label, unit and definition, anchored by its id.
func (h *Handler) scorecardDefinitions(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "scorecard_definitions", &page{Title: "Metric definitions", Nav: "scorecard",
		Data: map[string]any{"Metrics": vouch.Metrics, "MinClosed": vouch.MinClosedDeals, "Floor": scorecard.AskAcceptanceWarning}})
}

// exportScorecard serves GET /scorecard/export.csv and .xlsx: the figures
// and the influenced opportunities of the period and filters in the URL.
func (h *Handler) exportScorecard(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sel, ok := h.selection(w, r)
		if !ok {
			return
		}
		svc := h.scorecards()
		c, err := svc.Card(r.Context(), sel)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		opps := svc.Opportunities(sel)
		var buf bytes.Buffer
		name := "scorecard-" + sel.Query.From.String() + "-" + sel.Query.To.String()
		switch format {
		case "xlsx":
			err = scorecard.WriteXLSX(&buf, c, opps)
			w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		default:
			err = scorecard.WriteCSV(&buf, c, opps)
			w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		}
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+"."+format+`"`)
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(buf.Bytes())
	}
}
