package web

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/vouch"
)

// measurementLabels name the measurement form's fields in error sentences.
var measurementLabels = map[string]string{"fiscal_year_start_month": "The fiscal year's first month",
	"won_stages": "Won stages", "lost_stages": "Lost stages", "report_currency": "Report currency",
	"currency_rates": "Exchange rates"}

// measurementForm is the measurement settings as the form shows them.
type measurementForm struct {
	FiscalYearStart int
	WonStages       string // one stage per line
	LostStages      string
	ReportCurrency  string
	CurrencyRates   string // "EUR 1.08" per line
}

// measurementView is what settings_measurement.html shows.
type measurementView struct {
	Form   measurementForm
	Months []time.Month
}

func measurementFormOf(ps vouch.ProgramSettings) measurementForm {
	f := measurementForm{FiscalYearStart: ps.FiscalYearStart, WonStages: strings.Join(ps.WonStages, "\n"),
		LostStages: strings.Join(ps.LostStages, "\n"), ReportCurrency: ps.ReportCurrency}
	var lines []string
	for _, c := range slices.Sorted(maps.Keys(ps.CurrencyRates)) {
		lines = append(lines, c+" "+strconv.FormatFloat(ps.CurrencyRates[c], 'f', -1, 64))
	}
	f.CurrencyRates = strings.Join(lines, "\n")
	return f
}

func measurementViewOf(f measurementForm) measurementView {
	v := measurementView{Form: f}
	for m := time.January; m <= time.December; m++ {
		v.Months = append(v.Months, m)
	}
	return v
}

// measurementSettings serves GET /admin/settings/measurement: how the
// scorecard and goals count — fiscal year, won and lost stages, currencies.
func (h *Handler) measurementSettings(w http.ResponseWriter, r *http.Request) {
	ps, err := h.db.ProgramSettings(r.Context())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "settings_measurement", &page{Title: "Measurement", Nav: "settings",
		Data: measurementViewOf(measurementFormOf(ps))})
}

// saveMeasurementSettings serves POST /admin/settings/measurement. The
// other program settings are kept as they are; every setting changed is in
// the audit log, and the metrics engine counts again with the new ones.
func (h *Handler) saveMeasurementSettings(w http.ResponseWriter, r *http.Request) {
	f := measurementForm{WonStages: r.PostFormValue("won_stages"), LostStages: r.PostFormValue("lost_stages"),
		ReportCurrency: strings.ToUpper(strings.TrimSpace(r.PostFormValue("report_currency"))),
		CurrencyRates:  r.PostFormValue("currency_rates")}
	p := &page{Title: "Measurement", Nav: "settings", Errors: map[string]string{}}
	ps, err := h.db.ProgramSettings(r.Context())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	month, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("fiscal_year_start_month")))
	if err != nil {
		p.Errors["fiscal_year_start_month"] = measurementLabels["fiscal_year_start_month"] + " must be a month from January to December."
	}
	f.FiscalYearStart = month
	ps.FiscalYearStart, ps.ReportCurrency = month, f.ReportCurrency
	ps.WonStages, ps.LostStages = stageLines(f.WonStages), stageLines(f.LostStages)
	rates, problem := readRates(f.CurrencyRates)
	if problem != "" {
		p.Errors["currency_rates"] = measurementLabels["currency_rates"] + ": " + problem
	}
	ps.CurrencyRates = rates
	if len(p.Errors) == 0 {
		err := h.deals.SaveSettings(r.Context(), ps)
		if err == nil {
			redirect(w, r, "/admin/settings/measurement", "Measurement settings saved. The scorecard and goals count with them from now on.")
			return
		}
		if !isFormError(err) {
			h.serverError(w, r, err)
			return
		}
		p.Errors = fieldErrors(err, measurementLabels)
		// The other settings are not on this form: a problem with them
		// (saved before a rule was tightened) is said, not hidden.
		for field := range p.Errors {
			if _, ours := measurementLabels[field]; !ours {
				p.Error = "Nothing was saved: the program settings need correcting first (" + p.Errors[field] + ")."
			}
		}
	}
	if p.Error == "" {
		p.Error = "Nothing was saved: correct the fields below."
	}
	p.Data = measurementViewOf(f)
	h.render(w, r, http.StatusBadRequest, "settings_measurement", p)
}

// stageLines reads one stage name per line, blank lines and repeats dropped.
func stageLines(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		line = strings.Join(strings.Fields(line), " ")
		if line != "" && !slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, line) }) {
			out = append(out, line)
		}
	}
	return out
}

// readRates reads "EUR 1.08" per line: one unit of the currency in the
// report currency. A decimal comma is read too ("EUR 1,08"), as people in
// most of Europe type it. The problem names the line.
func readRates(s string) (map[string]float64, string) {
	out := map[string]float64{}
	n := 0
	for _, line := range strings.Split(s, "\n") {
		n++
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if len(fields) != 2 {
			return nil, fmt.Sprintf("line %d (%q) is not a currency and a rate, like EUR 1.08", n, strings.TrimSpace(line))
		}
		code := strings.ToUpper(fields[0])
		if !vouch.ValidCurrency(code) {
			return nil, fmt.Sprintf("line %d: %q is not an ISO 4217 code such as USD or EUR", n, fields[0])
		}
		rate, err := strconv.ParseFloat(strings.Replace(fields[1], ",", ".", 1), 64)
		if err != nil || !(rate > 0) {
			return nil, fmt.Sprintf("line %d: the rate of %s must be a positive number, like 1.08", n, code)
		}
		if _, twice := out[code]; twice {
			return nil, fmt.Sprintf("line %d: %s has a rate already", n, code)
		}
		out[code] = rate
	}
	return out, ""
}
