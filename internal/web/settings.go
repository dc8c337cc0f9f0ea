package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

var settingLabels = map[string]string{"capacity_default": "Activities per 90 days", "reminder_days": "Remind after",
	"max_reminders": "Reminders", "ask_expiry_days": "Asks expire after", "time_zone": "Time zone",
	"seller_contact":         "Sellers see a reference's email and phone",
	"content_consent_months": "Customer approval lasts", "content_max_upload_mb": "Largest upload",
	"ledger_period_days": "Ask ledger period", "ledger_reference_cap": "Asks per reference",
	"ledger_account_cap": "Asks per account", "ledger_cooldown_days": "Cool-down after an activity"}

// settingsView is the settings page's data: the settings and the time
// zones suggested for the program.
type settingsView struct {
	vouch.ProgramSettings
	TimeZones     []string
	ContactSights []vouch.ContactSight
}

// settings serves GET /admin/settings: the program's settings.
func (h *Handler) settings(w http.ResponseWriter, r *http.Request) {
	ps, err := h.db.ProgramSettings(r.Context())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "settings", &page{Title: "Program settings", Nav: "settings", Data: settingsView{ps, commonTimeZones, vouch.ContactSights}})
}

// saveSettings serves POST /admin/settings.
func (h *Handler) saveSettings(w http.ResponseWriter, r *http.Request) {
	p := &page{Title: "Program settings", Nav: "settings", Form: r.PostForm, Errors: map[string]string{}}
	var ps vouch.ProgramSettings
	// The measurement settings have their own form: this one keeps them.
	{
		current, err := h.db.ProgramSettings(r.Context())
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		ps.FiscalYearStart, ps.WonStages, ps.LostStages = current.FiscalYearStart, current.WonStages, current.LostStages
		ps.ReportCurrency, ps.CurrencyRates = current.ReportCurrency, current.CurrencyRates
		// And the coverage estimate's, set on the coverage page.
		ps.CoverageSharePct, ps.CoverageRefsPerOpp = current.CoverageSharePct, current.CoverageRefsPerOpp
	}
	if _, sent := r.PostForm["time_zone"]; sent {
		ps.TimeZone = strings.TrimSpace(r.PostFormValue("time_zone")) // empty is the default, UTC
	} else {
		// A form from before the time zone was a setting leaves it as it is.
		current, err := h.db.ProgramSettings(r.Context())
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		ps.TimeZone = current.TimeZone
	}
	if _, sent := r.PostForm["seller_contact"]; sent {
		ps.SellerContact = vouch.ContactSight(r.PostFormValue("seller_contact"))
	} else {
		// Like the time zone: a form without the choice leaves it as it is.
		current, err := h.db.ProgramSettings(r.Context())
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		ps.SellerContact = current.SellerContact
	}
	for _, f := range []struct {
		name  string
		value *int
	}{{"capacity_default", &ps.CapacityDefault}, {"reminder_days", &ps.ReminderDays},
		{"max_reminders", &ps.MaxReminders}, {"ask_expiry_days", &ps.AskExpiryDays},
		{"content_consent_months", &ps.ConsentMonths}, {"content_max_upload_mb", &ps.MaxUploadMB}} {
		if _, sent := r.PostForm[f.name]; !sent && strings.HasPrefix(f.name, "content_") {
			// Like the time zone: a form from before the content library leaves them as they are.
			current, err := h.db.ProgramSettings(r.Context())
			if err != nil {
				h.serverError(w, r, err)
				return
			}
			ps.ConsentMonths, ps.MaxUploadMB = current.ConsentMonths, current.MaxUploadMB
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue(f.name)))
		if err != nil {
			p.Errors[f.name] = settingLabels[f.name] + " must be a whole number."
		}
		*f.value = n
	}
	// The ask ledger's fatigue rules: a form without them leaves them as they are.
	{
		current, err := h.db.ProgramSettings(r.Context())
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		for _, f := range []struct {
			name  string
			value *int
			now   int
		}{{"ledger_period_days", &ps.LedgerPeriodDays, current.LedgerPeriodDays},
			{"ledger_reference_cap", &ps.LedgerReferenceCap, current.LedgerReferenceCap},
			{"ledger_account_cap", &ps.LedgerAccountCap, current.LedgerAccountCap},
			{"ledger_cooldown_days", &ps.LedgerCooldownDays, current.LedgerCooldownDays}} {
			*f.value = f.now
			if _, sent := r.PostForm[f.name]; !sent {
				continue
			}
			n, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue(f.name)))
			if err != nil {
				p.Errors[f.name] = settingLabels[f.name] + " must be a whole number."
			}
			*f.value = n
		}
	}
	if len(p.Errors) == 0 {
		err := h.db.SetProgramSettings(r.Context(), ps)
		if err == nil {
			redirect(w, r, "/admin/settings", "Settings saved.")
			return
		}
		if !isFormError(err) {
			h.serverError(w, r, err)
			return
		}
		p.Errors = fieldErrors(err, settingLabels)
	}
	p.Error = "Nothing was saved: correct the fields below."
	p.Data = settingsView{ps, commonTimeZones, vouch.ContactSights}
	h.render(w, r, http.StatusBadRequest, "settings", p)
}
