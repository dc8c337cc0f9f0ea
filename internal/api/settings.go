package api

import (
	"net/http"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

// getSettings serves GET /api/v1/settings: the program's settings.
func (h *Handler) getSettings(w http.ResponseWriter, r *http.Request) {
	ps, err := h.db.ProgramSettings(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ps)
}

// updateSettings serves PATCH /api/v1/settings: change some of the
// program's settings; fields left out are unchanged.
func (h *Handler) updateSettings(w http.ResponseWriter, r *http.Request) {
	var body struct {
		CapacityDefault optional[int]                `json:"capacity_default"`
		ReminderDays    optional[int]                `json:"reminder_days"`
		MaxReminders    optional[int]                `json:"max_reminders"`
		AskExpiryDays   optional[int]                `json:"ask_expiry_days"`
		TimeZone        optional[string]             `json:"time_zone"`
		SellerContact   optional[string]             `json:"seller_contact"`
		ConsentMonths   optional[int]                `json:"content_consent_months"`
		MaxUploadMB     optional[int]                `json:"content_max_upload_mb"`
		FiscalYearStart optional[int]                `json:"fiscal_year_start_month"`
		WonStages       optional[[]string]           `json:"won_stages"`
		LostStages      optional[[]string]           `json:"lost_stages"`
		ReportCurrency  optional[string]             `json:"report_currency"`
		CurrencyRates   optional[map[string]float64] `json:"currency_rates"`
		CoverageShare   optional[int]                `json:"coverage_share_pct"`
		CoverageRefs    optional[int]                `json:"coverage_refs_per_opportunity"`
		LedgerPeriod    optional[int]                `json:"ledger_period_days"`
		LedgerRefCap    optional[int]                `json:"ledger_reference_cap"`
		LedgerAcctCap   optional[int]                `json:"ledger_account_cap"`
		LedgerCooldown  optional[int]                `json:"ledger_cooldown_days"`
	}
	if err := decode(r, &body); err != nil {
		writeError(w, err)
		return
	}
	ps, err := h.db.ProgramSettings(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, f := range []struct {
		in  optional[int]
		out *int
	}{{body.CapacityDefault, &ps.CapacityDefault}, {body.ReminderDays, &ps.ReminderDays},
		{body.MaxReminders, &ps.MaxReminders}, {body.AskExpiryDays, &ps.AskExpiryDays},
		{body.ConsentMonths, &ps.ConsentMonths}, {body.MaxUploadMB, &ps.MaxUploadMB},
		{body.FiscalYearStart, &ps.FiscalYearStart},
		{body.CoverageShare, &ps.CoverageSharePct}, {body.CoverageRefs, &ps.CoverageRefsPerOpp},
		{body.LedgerPeriod, &ps.LedgerPeriodDays}, {body.LedgerRefCap, &ps.LedgerReferenceCap},
		{body.LedgerAcctCap, &ps.LedgerAccountCap}, {body.LedgerCooldown, &ps.LedgerCooldownDays}} {
		if f.in.Set {
			*f.out = f.in.Value
		}
	}
	if body.TimeZone.Set {
		ps.TimeZone = body.TimeZone.Value
	}
	if body.WonStages.Set {
		ps.WonStages = body.WonStages.Value
	}
	if body.LostStages.Set {
		ps.LostStages = body.LostStages.Value
	}
	if body.ReportCurrency.Set {
		ps.ReportCurrency = strings.ToUpper(strings.TrimSpace(body.ReportCurrency.Value))
	}
	if body.CurrencyRates.Set {
		ps.CurrencyRates = map[string]float64{}
		for c, r := range body.CurrencyRates.Value {
			ps.CurrencyRates[strings.ToUpper(strings.TrimSpace(c))] = r
		}
	}
	if body.SellerContact.Set {
		// null or "" is the default; an unknown choice is refused by name.
		ps.SellerContact = vouch.ContactSight(body.SellerContact.Value)
	}
	if err := h.deals.SaveSettings(r.Context(), ps); err != nil {
		h.fail(w, r, err)
		return
	}
	// The answer is the settings as stored: "" reads back as "UTC".
	if ps, err = h.db.ProgramSettings(r.Context()); err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ps)
}
