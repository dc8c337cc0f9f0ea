package web

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/scorecard"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Sharing the scorecard (share part of issue 11): the PDF and PNG exports,
// read-only links for executives (/scorecard/shares, and the public
// /shared/scorecard/{token}), and scheduled mail (/scorecard/schedules).
//
// The shared page is rendered in the public layout: no navigation, no link
// to anything, its charts inline as data: images, never cached nor indexed.
// The token opens that one page; it is no session and authorizes nothing else.

// exportCard builds the scorecard the request's parameters ask for (the
// same parameters as /scorecard) and the words printed around it.
func (h *Handler) exportCard(r *http.Request) (*vouch.Scorecard, scorecard.ExportOptions, error) {
	req, err := scorecard.ParseRequest(r.URL.Query())
	if err != nil {
		return nil, scorecard.ExportOptions{}, err
	}
	card, err := h.opts.Scorecard.Build(r.Context(), req)
	if err != nil {
		return nil, scorecard.ExportOptions{}, err
	}
	var filters []string
	for _, f := range card.Filters {
		filters = append(filters, f.Label+": "+strings.Join(f.Names, ", "))
	}
	// card.Filters holds the owner filter too.
	ps := h.opts.Catalog.ProgramSettings()
	return card.Scorecard, scorecard.ExportOptions{Period: card.Name, Filters: filters, Generated: h.clock.Now(), Zone: ps.Zone()}, nil
}

// exportFileName is the download's name: scorecard-2026-11-01-2026-11-30.pdf.
func exportFileName(sc *vouch.Scorecard, ext string) string {
	return fmt.Sprintf("scorecard-%s-%s.%s", sc.Query.From, sc.Query.To, ext)
}

// scorecardPDF serves GET /scorecard/export.pdf: the one-page landscape PDF.
func (h *Handler) scorecardPDF(w http.ResponseWriter, r *http.Request) {
	sc, opts, err := h.exportCard(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	b, err := scorecard.PDF(sc, opts)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	sendFile(w, "application/pdf", exportFileName(sc, "pdf"), b)
}

// scorecardPNG serves GET /scorecard/export.png: the scorecard as an image.
func (h *Handler) scorecardPNG(w http.ResponseWriter, r *http.Request) {
	sc, opts, err := h.exportCard(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	b, err := scorecard.PNGImage(sc, opts)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	sendFile(w, "image/png", exportFileName(sc, "png"), b)
}

func sendFile(w http.ResponseWriter, mediaType, name string, b []byte) {
	hdr := w.Header()
	hdr.Set("Content-Type", mediaType)
	hdr.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	hdr.Set("Content-Length", strconv.Itoa(len(b)))
	hdr.Set("Cache-Control", "no-store")
	_, _ = w.Write(b)
}

// sharedTile is one tile of the shared page.
type sharedTile struct {
	Label, Definition, Value, Previous, Change string
}

// sharedScorecardPage is what scorecard_shared.html shows.
type sharedScorecardPage struct {
	Title, Period, Filters, Expires string
	Tiles                           []sharedTile
	Charts                          []sharedChart
}

// sharedChart is a chart drawn inline, as an SVG data: image (it loads nothing).
type sharedChart struct {
	Alt string
	Src template.URL
}

// renderShared writes a shared scorecard page: never cached, never indexed,
// never named in a Referer.
func (h *Handler) renderShared(w http.ResponseWriter, status int, name string, p *publicPage) {
	hdr := w.Header()
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("Referrer-Policy", "no-referrer")
	hdr.Set("X-Robots-Tag", "noindex, nofollow")
	var buf bytes.Buffer
	t, ok := h.public[name]
	if !ok {
		h.log.Error("render", "template", name, "err", "no such public template")
		http.Error(w, "Something went wrong on our side. Please try again in a few minutes.", http.StatusInternalServerError)
		return
	}
	if err := t.ExecuteTemplate(&buf, proofLayout, p); err != nil {
		h.log.Error("render", "template", name, "err", err)
		http.Error(w, "Something went wrong on our side. Please try again in a few minutes.", http.StatusInternalServerError)
		return
	}
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// sharedScorecard serves GET /shared/scorecard/{token}: the scorecard of
// the link's stored query, read-only, to anyone holding the link. An
// altered or unknown link is 404, an expired or withdrawn one 410, each
// saying whom to ask. The path holds the token, a secret: it is not logged.
func (h *Handler) sharedScorecard(w http.ResponseWriter, r *http.Request) {
	got, err := h.opts.Sharing.OpenShare(r.Context(), r.PathValue("token"))
	if err != nil {
		status, title := http.StatusNotFound, "This link is not valid"
		switch {
		case scorecard.IsShareGone(err):
			status, title = http.StatusGone, "This link has expired"
			if strings.Contains(err.Error(), "withdrawn") {
				title = "This link has been withdrawn"
			}
		case vouch.ErrorCode(err) == vouch.ENOTFOUND:
		default:
			h.log.Error("shared scorecard failed", "err", err)
			http.Error(w, "Something went wrong on our side. Please try again in a few minutes.", http.StatusInternalServerError)
			return
		}
		h.renderShared(w, status, "scorecard_shared_gone", &publicPage{Title: title, Data: err.Error()})
		return
	}
	sc, opts := got.Scorecard, got.Options
	d := &sharedScorecardPage{Title: "Reference program scorecard", Period: opts.Period, Filters: "All segments",
		Expires: got.Share.ExpiresAt.In(opts.Zone).Format("2 Jan 2006")}
	if len(opts.Filters) > 0 {
		d.Filters = strings.Join(opts.Filters, " · ")
	}
	for _, row := range scorecard.ExportTiles(sc) {
		d.Tiles = append(d.Tiles, sharedTile{Label: row.Label, Definition: row.Definition, Value: row.Value,
			Previous: row.Previous, Change: row.Change})
	}
	bars := scorecard.BarsRevenue
	if len(sc.RevenueBySegment) == 0 {
		bars = scorecard.BarsActive
	}
	for _, c := range []struct {
		alt  string
		draw func() ([]byte, error)
	}{
		{"Requests and revenue influenced by month", func() ([]byte, error) { return scorecard.TrendChart(sc, scorecard.SVG, 900, 360) }},
		{"Breakdown by segment", func() ([]byte, error) { return scorecard.SegmentChart(sc, bars, scorecard.SVG, 900, 360) }},
	} {
		svg, err := c.draw()
		if err != nil {
			h.log.Error("shared scorecard chart", "err", err)
			continue
		}
		// #nosec G203 -- a data: URL of the chart drawn here, base64-encoded.
		src := template.URL("data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString(svg))
		d.Charts = append(d.Charts, sharedChart{Alt: c.alt + ", " + opts.Period, Src: src})
	}
	h.renderShared(w, http.StatusOK, "scorecard_shared", &publicPage{Title: d.Title + " — " + d.Period, Data: d})
}

// shareRow is one link of the list.
type shareRow struct {
	Share   *vouch.ScorecardShare
	Period  string
	Filters string
	Status  string
	Class   string
}

var shareFormLabels = map[string]string{"period": "Period", "from": "First day", "to": "Last day",
	"expires_in_days": "Expiry", "note": "Note"}

// scorecardShares serves GET /scorecard/shares: the links, and the form to make one.
func (h *Handler) scorecardShares(w http.ResponseWriter, r *http.Request) {
	h.renderShares(w, r, http.StatusOK, &page{}, "")
}

func (h *Handler) renderShares(w http.ResponseWriter, r *http.Request, status int, p *page, link string) {
	u := userFrom(r.Context())
	list, err := h.opts.Sharing.Shares(r.Context(), u)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	now := h.clock.Now()
	var rows []shareRow
	for _, s := range list {
		row := shareRow{Share: s, Period: sharePeriodText(s.Query), Status: "Active", Class: "pill-ok"}
		if f := h.opts.Sharing.FilterLabels(r.Context(), s.Query.Filter); len(f) > 0 {
			row.Filters = strings.Join(f, "; ")
		}
		switch s.State(now) {
		case vouch.ShareExpired:
			row.Status, row.Class = "Expired", "pill-muted"
		case vouch.ShareRevoked:
			row.Status, row.Class = "Revoked", "pill-bad"
		}
		rows = append(rows, row)
	}
	p.Title, p.Nav = "Scorecard links", "scorecard"
	p.Data = map[string]any{"Rows": rows, "Link": link, "Filters": h.filterChoices(p.Form), "Days": vouch.ShareDays,
		"DefaultDays": vouch.ShareDefaultDays}
	h.render(w, r, status, "scorecard_shares", p)
}

func sharePeriodText(q vouch.ShareQuery) string {
	switch q.Period {
	case vouch.SharePeriodMonth:
		return "Always the current month"
	case vouch.SharePeriodQuarter:
		return "Always the current quarter"
	}
	return q.From.Time().Format("2 Jan 2006") + " – " + q.To.Time().Format("2 Jan 2006")
}

// filterChoice is one filter of the forms: a taxonomy's values by name,
// those chosen in form selected.
type filterChoice struct {
	Param, Label string
	Values       []filterValue
}

type filterValue struct {
	Name     string
	Selected bool
}

func (h *Handler) filterChoices(form url.Values) []filterChoice {
	var out []filterChoice
	for _, fp := range scorecard.FilterParams {
		c := filterChoice{Param: fp.Param, Label: fp.Label}
		chosen := map[string]bool{}
		for _, n := range form[fp.Param] {
			chosen[n] = true
		}
		for _, v := range h.opts.Catalog.Values(fp.Kind, false) {
			c.Values = append(c.Values, filterValue{Name: v.Name, Selected: chosen[v.Name]})
		}
		if len(c.Values) > 0 {
			out = append(out, c)
		}
	}
	return out
}

// formFilter reads the forms' filters (taxonomy value names, as on /scorecard).
func (h *Handler) formFilter(r *http.Request) (vouch.MetricFilter, error) {
	req := scorecard.Request{Filters: map[string][]string{}}
	for _, fp := range scorecard.FilterParams {
		for _, n := range r.PostForm[fp.Param] {
			if n = strings.TrimSpace(n); n != "" {
				req.Filters[fp.Param] = append(req.Filters[fp.Param], n)
			}
		}
	}
	sel, err := h.opts.Scorecard.Resolve(r.Context(), req)
	return sel.Query.Filter, err
}

// createScorecardShare serves POST /scorecard/shares: the new link, shown once.
func (h *Handler) createScorecardShare(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.errorPage(w, r, http.StatusBadRequest, "The form could not be read.")
		return
	}
	var v vouch.Validation
	in := scorecard.ShareInput{Note: r.PostFormValue("note"), Query: vouch.ShareQuery{Period: r.PostFormValue("period")}}
	if in.Query.Period == vouch.SharePeriodFixed {
		for _, f := range []struct {
			name string
			to   *vouch.Date
		}{{"from", &in.Query.From}, {"to", &in.Query.To}} {
			if s := strings.TrimSpace(r.PostFormValue(f.name)); s != "" {
				d, err := vouch.ParseDate(s)
				if err != nil {
					v.Add(f.name, "must be a date like 2026-07-01")
				}
				*f.to = d
			}
		}
	}
	if s := r.PostFormValue("expires_in_days"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			v.Add("expires_in_days", "must be 7, 30 or 90")
		}
		in.ExpiresInDays = n
	}
	err := v.Err()
	if err == nil {
		in.Query.Filter, err = h.formFilter(r)
	}
	var token string
	if err == nil {
		_, token, err = h.opts.Sharing.CreateShare(r.Context(), userFrom(r.Context()), in)
	}
	if err != nil {
		if !isFormError(err) {
			h.fail(w, r, err)
			return
		}
		p := &page{Form: r.PostForm}
		status := failForm(p, err, shareFormLabels)
		h.renderShares(w, r, status, p, "")
		return
	}
	h.renderShares(w, r, http.StatusCreated, &page{}, h.opts.Fulfillment.PublicURL("/shared/scorecard/"+token))
}

// revokeScorecardShare serves POST /scorecard/shares/{id}/revoke.
func (h *Handler) revokeScorecardShare(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	if _, err := h.opts.Sharing.RevokeShare(r.Context(), userFrom(r.Context()), id); err != nil {
		h.fail(w, r, err)
		return
	}
	setFlash(w, "success", "The link was revoked: it no longer opens the scorecard.")
	http.Redirect(w, r, "/scorecard/shares", http.StatusSeeOther)
}

// scheduleRow is one schedule of the list.
type scheduleRow struct {
	Schedule *vouch.ScorecardSchedule
	Cadence  string
	Filters  string
	Next     string
}

var scheduleFormLabels = map[string]string{"cadence": "Cadence", "recipients": "Recipients"}

// scorecardSchedules serves GET /scorecard/schedules.
func (h *Handler) scorecardSchedules(w http.ResponseWriter, r *http.Request) {
	h.renderSchedules(w, r, http.StatusOK, &page{})
}

func (h *Handler) renderSchedules(w http.ResponseWriter, r *http.Request, status int, p *page) {
	list, err := h.opts.Sharing.Schedules(r.Context(), userFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ps := h.opts.Catalog.ProgramSettings()
	today := h.clock.Today()
	var rows []scheduleRow
	for _, s := range list {
		row := scheduleRow{Schedule: s, Cadence: "Monthly", Filters: "All segments"}
		kind := vouch.PeriodMonth
		if s.Cadence == vouch.CadenceQuarterly {
			row.Cadence, kind = "Quarterly", vouch.PeriodQuarter
		}
		if f := h.opts.Sharing.FilterLabels(r.Context(), s.Filter); len(f) > 0 {
			row.Filters = strings.Join(f, "; ")
		}
		cur := vouch.FiscalPeriodOf(kind, today, ps.FiscalYearStart)
		row.Next = vouch.FiscalName(cur, ps.FiscalYearStart) + ", on " + cur.Last.AddDays(1).Time().Format("2 Jan 2006")
		rows = append(rows, row)
	}
	p.Title, p.Nav = "Scheduled scorecards", "scorecard"
	p.Data = map[string]any{"Rows": rows, "Filters": h.filterChoices(p.Form), "Zone": ps.Zone().String(),
		"MailConfigured": h.opts.MailConfigured}
	h.render(w, r, status, "scorecard_schedules", p)
}

// createScorecardSchedule serves POST /scorecard/schedules.
func (h *Handler) createScorecardSchedule(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.errorPage(w, r, http.StatusBadRequest, "The form could not be read.")
		return
	}
	in := scorecard.ScheduleInput{Cadence: r.PostFormValue("cadence"), Recipients: r.PostFormValue("recipients")}
	f, err := h.formFilter(r)
	if err == nil {
		in.Filter = f
		_, err = h.opts.Sharing.CreateSchedule(r.Context(), userFrom(r.Context()), in)
	}
	if err != nil {
		if !isFormError(err) {
			h.fail(w, r, err)
			return
		}
		p := &page{Form: r.PostForm}
		status := failForm(p, err, scheduleFormLabels)
		h.renderSchedules(w, r, status, p)
		return
	}
	setFlash(w, "success", "Scheduled: the scorecard goes out when the current period closes.")
	http.Redirect(w, r, "/scorecard/schedules", http.StatusSeeOther)
}

// deleteScorecardSchedule serves POST /scorecard/schedules/{id}/delete.
func (h *Handler) deleteScorecardSchedule(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	if err := h.opts.Sharing.DeleteSchedule(r.Context(), userFrom(r.Context()), id); err != nil {
		h.fail(w, r, err)
		return
	}
	setFlash(w, "success", "The schedule was stopped: no more scorecards go out by it.")
	http.Redirect(w, r, "/scorecard/schedules", http.StatusSeeOther)
}
