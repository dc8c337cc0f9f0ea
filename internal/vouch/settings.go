package vouch

import (
	"fmt"
	"strings"
	"time"
)

// ProgramSettings are the knobs of the reference program that the program
// team sets for everyone: how much a reference may be asked, and how long
// an advocate has to answer, and which time zone decides what day it is.
type ProgramSettings struct {
	CapacityDefault int `json:"capacity_default"` // activities per reference per rolling 90 days, unless overridden
	ReminderDays    int `json:"reminder_days"`    // days without an answer before an advocate is reminded
	MaxReminders    int `json:"max_reminders"`    // reminders per ask at most
	AskExpiryDays   int `json:"ask_expiry_days"`  // days after which an unanswered ask expires
	// TimeZone is the IANA name of the program's time zone: it decides
	// which day "today" is and where a month or quarter starts and ends.
	TimeZone string `json:"time_zone"`
	// SellerContact is when sellers see a reference's email and phone.
	SellerContact ContactSight `json:"seller_contact"`
	// ConsentMonths is how long a customer's approval of content lasts
	// unless the approval names its own expiry date.
	ConsentMonths int `json:"content_consent_months"`
	// MaxUploadMB is the largest file the content library accepts, in MB.
	MaxUploadMB int `json:"content_max_upload_mb"`

	// FiscalYearStart is the month (1–12) the fiscal year starts in:
	// quarters and years of the scorecard and goals count from it.
	FiscalYearStart int `json:"fiscal_year_start_month"`
	// WonStages and LostStages are the CRM stage names that mean a deal
	// is won or lost (compared without regard to case); any other stage is open.
	WonStages  []string `json:"won_stages"`
	LostStages []string `json:"lost_stages"`
	// ReportCurrency and CurrencyRates let the scorecard add amounts in
	// different currencies: CurrencyRates[c] is one unit of c in the report
	// currency. With no rates, amounts are only ever shown per currency.
	ReportCurrency string             `json:"report_currency"`
	CurrencyRates  map[string]float64 `json:"currency_rates"`

	// CoverageSharePct is the share, in percent, of open opportunities
	// that will need a reference; CoverageRefsPerOpp how many references
	// such an opportunity needs. Coverage estimates demand from the open
	// pipeline with them (docs/metrics.md, "Coverage").
	CoverageSharePct   int `json:"coverage_share_pct"`
	CoverageRefsPerOpp int `json:"coverage_refs_per_opportunity"`
	// The fatigue rules of the ask ledger (FatigueRules): asks per
	// reference and per account over the rolling period, and days of
	// cool-down after an activity. 0 is no cap, no cool-down. On unless
	// changed (decision 0010): an account cap and a cool-down, no
	// reference cap (a reference's capacity already limits it).
	LedgerPeriodDays   int `json:"ledger_period_days"`
	LedgerReferenceCap int `json:"ledger_reference_cap"`
	LedgerAccountCap   int `json:"ledger_account_cap"`
	LedgerCooldownDays int `json:"ledger_cooldown_days"`
}

// Defaults of the coverage estimate: about a third of deals ask for a
// reference, and one reference each.
const (
	DefaultCoverageSharePct   = 30
	DefaultCoverageRefsPerOpp = 1
)

// DefaultLedgerPeriodDays is the window the ask ledger's caps count over
// until the team sets another.
const DefaultLedgerPeriodDays = 90

// The fatigue rules a program has until its team changes them
// (docs/decisions/0010-fatigue-rule-defaults.md): at most 6 asks of an
// account's references, by every team together, per 90 days, and 14 days
// of rest after a done activity. No cap per reference: its capacity
// (DefaultCapacity activities per 90 days) already limits each reference.
const (
	DefaultLedgerAccountCap   = 6
	DefaultLedgerCooldownDays = 14
	DefaultLedgerReferenceCap = 0
)

// Default stage names of a won and a lost deal (Salesforce's and HubSpot's).
var (
	DefaultWonStages  = []string{"Closed Won"}
	DefaultLostStages = []string{"Closed Lost"}
)

// StageStatus is what a CRM stage means for the deal: won, lost or open.
func (s ProgramSettings) StageStatus(stage string) OpportunityStatus {
	stage = strings.TrimSpace(stage)
	for _, w := range s.WonStages {
		if strings.EqualFold(stage, strings.TrimSpace(w)) {
			return OpportunityWon
		}
	}
	for _, l := range s.LostStages {
		if strings.EqualFold(stage, strings.TrimSpace(l)) {
			return OpportunityLost
		}
	}
	return OpportunityOpen
}

// DealStatus is the one rule of a deal's status: at one of the settings'
// won or lost stages the stage decides it, so a status given that
// contradicts the stage is a problem (the reason, for the field "status");
// at any other stage the status given stands, open when none is given.
func (s ProgramSettings) DealStatus(stage string, given OpportunityStatus) (OpportunityStatus, string) {
	given = OpportunityStatus(strings.ToLower(strings.TrimSpace(string(given))))
	listed := OpportunityOpen
	if strings.TrimSpace(stage) != "" {
		listed = s.StageStatus(stage)
	}
	switch {
	case listed == OpportunityOpen && given == "":
		return OpportunityOpen, ""
	case listed == OpportunityOpen:
		return given, ""
	case given == "" || given == listed:
		return listed, ""
	}
	return listed, fmt.Sprintf("is %s, but the stage “%s” is one of the program's %s stages; leave the status out or change the stage",
		given, Printable(strings.TrimSpace(stage)), listed)
}

// Converts reports whether amounts in currency c can be added into the
// report currency, and at what rate.
func (s ProgramSettings) Converts(c string) (float64, bool) {
	if s.ReportCurrency == "" {
		return 0, false
	}
	if strings.EqualFold(c, s.ReportCurrency) {
		return 1, true
	}
	r, ok := s.CurrencyRates[strings.ToUpper(c)]
	return r, ok && r > 0
}

// DefaultMaxUploadMB is the upload limit nobody changed.
const DefaultMaxUploadMB = 50

// MaxUploadBytes is the upload limit in bytes.
func (s ProgramSettings) MaxUploadBytes() int64 {
	mb := s.MaxUploadMB
	if mb <= 0 {
		mb = DefaultMaxUploadMB
	}
	return int64(mb) << 20
}

// DefaultTimeZone is the program's time zone until the team sets one.
const DefaultTimeZone = "UTC"

// Zone is the program's time zone; UTC when TimeZone is empty or not a zone.
func (s ProgramSettings) Zone() *time.Location {
	name := strings.TrimSpace(s.TimeZone)
	if name == "" || name == DefaultTimeZone {
		return time.UTC
	}
	loc, ok := Zone(name)
	if !ok {
		return time.UTC
	}
	return loc
}

// DefaultProgramSettings are the settings nobody changed.
func DefaultProgramSettings() ProgramSettings {
	return ProgramSettings{CapacityDefault: DefaultCapacity, ReminderDays: 3, MaxReminders: 2, AskExpiryDays: 14,
		TimeZone: DefaultTimeZone, SellerContact: DefaultContactSight,
		ConsentMonths: DefaultConsentMonths, MaxUploadMB: DefaultMaxUploadMB,
		FiscalYearStart: 1, WonStages: DefaultWonStages, LostStages: DefaultLostStages,
		CoverageSharePct: DefaultCoverageSharePct, CoverageRefsPerOpp: DefaultCoverageRefsPerOpp,
		LedgerPeriodDays: DefaultLedgerPeriodDays, LedgerAccountCap: DefaultLedgerAccountCap,
		LedgerCooldownDays: DefaultLedgerCooldownDays, LedgerReferenceCap: DefaultLedgerReferenceCap}
}

// Validate checks the settings make sense together. An empty TimeZone is
// the default, UTC; an empty SellerContact the default, once accepted.
func (s ProgramSettings) Validate() error {
	var v Validation
	if s.CapacityDefault < 0 || s.CapacityDefault > 100 {
		v.Add("capacity_default", "must be between 0 and 100 activities per 90 days")
	}
	if s.AskExpiryDays < 1 || s.AskExpiryDays > 90 {
		v.Add("ask_expiry_days", "must be between 1 and 90 days")
	}
	if s.ReminderDays < 1 || s.ReminderDays > 60 {
		v.Add("reminder_days", "must be between 1 and 60 days")
	} else if s.AskExpiryDays >= 1 && s.ReminderDays >= s.AskExpiryDays {
		v.Add("reminder_days", "must be fewer than the days before an ask expires")
	}
	if s.MaxReminders < 0 || s.MaxReminders > 10 {
		v.Add("max_reminders", "must be between 0 and 10")
	}
	if name := strings.TrimSpace(s.TimeZone); name != "" && name != DefaultTimeZone && !KnownTimeZone(name) {
		v.Add("time_zone", "must be a time zone like Europe/Berlin, America/New_York or UTC")
	}
	if s.ConsentMonths < 1 || s.ConsentMonths > 120 {
		v.Add("content_consent_months", "must be between 1 and 120 months")
	}
	if s.MaxUploadMB < 1 || s.MaxUploadMB > 1024 {
		v.Add("content_max_upload_mb", "must be between 1 and 1,024 MB")
	}
	if s.LedgerPeriodDays < 1 || s.LedgerPeriodDays > 365 {
		v.Add("ledger_period_days", "must be between 1 and 365 days")
	}
	if s.LedgerReferenceCap < 0 || s.LedgerReferenceCap > 100 {
		v.Add("ledger_reference_cap", "must be between 0 (no cap) and 100 asks")
	}
	if s.LedgerAccountCap < 0 || s.LedgerAccountCap > 1000 {
		v.Add("ledger_account_cap", "must be between 0 (no cap) and 1,000 asks")
	}
	if s.LedgerCooldownDays < 0 || s.LedgerCooldownDays > 365 {
		v.Add("ledger_cooldown_days", "must be between 0 (none) and 365 days")
	}
	if s.FiscalYearStart < 1 || s.FiscalYearStart > 12 {
		v.Add("fiscal_year_start_month", "must be a month from 1 (January) to 12 (December)")
	}
	if s.CoverageSharePct < 0 || s.CoverageSharePct > 100 {
		v.Add("coverage_share_pct", "must be between 0 and 100 percent")
	}
	if s.CoverageRefsPerOpp < 0 || s.CoverageRefsPerOpp > 20 {
		v.Add("coverage_refs_per_opportunity", "must be between 0 and 20 references")
	}
	if len(s.WonStages) == 0 {
		v.Add("won_stages", "must name at least one stage, like Closed Won")
	}
	if len(s.LostStages) == 0 {
		v.Add("lost_stages", "must name at least one stage, like Closed Lost")
	}
	for _, w := range s.WonStages {
		for _, l := range s.LostStages {
			if strings.EqualFold(strings.TrimSpace(w), strings.TrimSpace(l)) {
				v.Add("lost_stages", "must not name a won stage ("+strings.TrimSpace(w)+")")
			}
		}
	}
	if c := s.ReportCurrency; c != "" && !ValidCurrency(c) {
		v.Add("report_currency", "must be an ISO 4217 code such as USD or EUR")
	}
	for c, r := range s.CurrencyRates {
		if !ValidCurrency(c) {
			v.Add("currency_rates", c+" is not an ISO 4217 code such as USD or EUR")
		} else if !(r > 0) || r > 1e9 {
			v.Add("currency_rates", "the rate of "+c+" must be a positive number")
		}
	}
	if len(s.CurrencyRates) > 0 && s.ReportCurrency == "" {
		v.Add("report_currency", "is needed to convert currencies")
	}
	if s.SellerContact != "" && !s.SellerContact.Valid() {
		v.Add("seller_contact", "must be never, once_accepted or always")
	}
	return v.Err()
}
