package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

// Setting keys.
const (
	SettingCapacityDefault = "capacity_default" // activities per reference per rolling 90 days
	SettingReminderDays    = "ask_reminder_days"
	SettingMaxReminders    = "ask_max_reminders"
	SettingAskExpiryDays   = "ask_expiry_days"
	SettingTimeZone        = "time_zone"      // IANA name; decides what day it is for the whole program
	SettingDemo            = "demo"           // "loaded" once the demo dataset was loaded: the home page offers first things to try
	SettingSellerContact   = "seller_contact" // when sellers see a reference's email and phone (vouch.ContactSight)
	SettingConsentMonths   = "content_consent_months"
	SettingMaxUploadMB     = "content_max_upload_mb"
	SettingFiscalYearStart = "fiscal_year_start_month"
	SettingLedgerPeriod    = "ledger_period_days"
	SettingLedgerRefCap    = "ledger_reference_cap"
	SettingLedgerAcctCap   = "ledger_account_cap"
	SettingLedgerCooldown  = "ledger_cooldown_days"
	SettingWonStages       = "won_stages"      // one stage name per line
	SettingLostStages      = "lost_stages"     // one stage name per line
	SettingReportCurrency  = "report_currency" // '' = amounts never converted
	SettingCurrencyRates   = "currency_rates"  // "EUR 1.08" per line: one EUR in the report currency
	SettingCoverageShare   = "coverage_share_pct"
	SettingCoverageRefs    = "coverage_refs_per_opportunity"
)

// Setting returns the value of key, or def when unset.
func (db *DB) Setting(ctx context.Context, key, def string) (string, error) {
	var v string
	err := db.queryRow(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return def, nil
	}
	return v, err
}

// SetSetting stores a setting and audits the change.
func (db *DB) SetSetting(ctx context.Context, key, value string) error {
	return db.update(ctx, func(tx *Tx) error {
		var before string
		err := tx.queryRow(`SELECT value FROM settings WHERE key = ?`, key).Scan(&before)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if before == value {
			return nil
		}
		if _, err := tx.exec(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value); err != nil {
			return err
		}
		return tx.audit("update", vouch.SettingKind(key), 0, []vouch.Change{{Field: key, Before: before, After: value}})
	})
}

// CapacityDefault is the number of activities per 90 days a reference may do unless overridden.
func (db *DB) CapacityDefault(ctx context.Context) (int, error) {
	s, err := db.Setting(ctx, SettingCapacityDefault, "")
	return settingCount(s, vouch.DefaultCapacity), err
}

// settingCount reads a count setting; unset or damaged, it is def.
func settingCount(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil && n >= 0 {
		return n
	}
	return def
}

// SetSettingOnce stores a setting unless it is already set: of several
// instances starting at once, the first one's value wins and every one
// reads that back.
func (db *DB) SetSettingOnce(ctx context.Context, key, value string) error {
	return db.update(ctx, func(tx *Tx) error {
		res, err := tx.exec(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, key, value)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		// The value may be a secret: the audit log says it was set, not what it is.
		return tx.audit("create", vouch.SettingKind(key), 0, []vouch.Change{{Field: key, After: "(set)"}})
	})
}

// ProgramSettings reads the program's settings; unset ones have their defaults.
func (db *DB) ProgramSettings(ctx context.Context) (vouch.ProgramSettings, error) {
	ps := vouch.DefaultProgramSettings()
	for _, f := range programSettingFields(&ps) {
		v, err := db.Setting(ctx, f.key, "")
		if err != nil {
			return ps, err
		}
		*f.value = settingCount(v, *f.value)
	}
	zone, err := db.Setting(ctx, SettingTimeZone, "")
	if err != nil {
		return ps, err
	}
	// A zone the server's zone database no longer knows reads as UTC, the
	// zone the clock then uses, rather than failing every page.
	ps.TimeZone = vouch.ProgramSettings{TimeZone: zone}.Zone().String()
	contact, err := db.Setting(ctx, SettingSellerContact, "")
	if err != nil {
		return ps, err
	}
	// Unset or damaged, it is the default: shown once the advocate accepted.
	if c := vouch.ContactSight(contact); c.Valid() {
		ps.SellerContact = c
	}
	if ps.FiscalYearStart < 1 || ps.FiscalYearStart > 12 {
		ps.FiscalYearStart = 1
	}
	for _, t := range textSettings {
		var v string
		err := db.queryRow(ctx, `SELECT value FROM settings WHERE key = ?`, t.key).Scan(&v)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		} else if err != nil {
			return ps, err
		}
		t.read(&ps, v)
	}
	return ps, nil
}

// LoadTimeZone sets the clock to the program's time zone as saved.
func (db *DB) LoadTimeZone(ctx context.Context) error {
	ps, err := db.ProgramSettings(ctx)
	if err != nil {
		return fmt.Errorf("reading the program's time zone: %w", err)
	}
	db.Clock.SetZone(ps.Zone())
	return nil
}

// SetProgramSettings saves the program's settings in one transaction,
// auditing each one that changed. Once saved, this process's clock counts
// days in the saved time zone.
func (db *DB) SetProgramSettings(ctx context.Context, ps vouch.ProgramSettings) error {
	if err := ps.Validate(); err != nil {
		return err
	}
	current, err := db.ProgramSettings(ctx)
	if err != nil {
		return err
	}
	zone := ps.Zone()
	if ps.SellerContact == "" {
		ps.SellerContact = vouch.DefaultContactSight
	}
	before := programSettingFields(&current)
	err = db.update(ctx, func(tx *Tx) error {
		if after := zone.String(); after != current.TimeZone {
			if _, err := tx.exec(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, SettingTimeZone, after); err != nil {
				return err
			}
			if err := tx.audit("update", "setting:"+SettingTimeZone, 0, []vouch.Change{{Field: SettingTimeZone, Before: current.TimeZone, After: after}}); err != nil {
				return err
			}
		}
		if ps.SellerContact != current.SellerContact {
			if _, err := tx.exec(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, SettingSellerContact, string(ps.SellerContact)); err != nil {
				return err
			}
			if err := tx.audit("update", vouch.SettingKind(SettingSellerContact), 0, []vouch.Change{{Field: SettingSellerContact, Before: string(current.SellerContact), After: string(ps.SellerContact)}}); err != nil {
				return err
			}
		}
		for _, t := range textSettings {
			b, a := t.write(&current), t.write(&ps)
			if b == a {
				continue
			}
			if _, err := tx.exec(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, t.key, a); err != nil {
				return err
			}
			if err := tx.audit("update", vouch.SettingKind(t.key), 0, []vouch.Change{{Field: t.key, Before: b, After: a}}); err != nil {
				return err
			}
		}
		for i, f := range programSettingFields(&ps) {
			if *f.value == *before[i].value {
				continue
			}
			v := strconv.Itoa(*f.value)
			if _, err := tx.exec(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, f.key, v); err != nil {
				return err
			}
			// "setting:<key>" is also how read models learn that a setting changed.
			if err := tx.audit("update", vouch.SettingKind(f.key), 0, []vouch.Change{{Field: f.key, Before: strconv.Itoa(*before[i].value), After: v}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	db.Clock.SetZone(zone)
	return nil
}

type settingField struct {
	key   string
	value *int
}

func programSettingFields(ps *vouch.ProgramSettings) []settingField {
	return []settingField{{SettingCapacityDefault, &ps.CapacityDefault}, {SettingReminderDays, &ps.ReminderDays},
		{SettingMaxReminders, &ps.MaxReminders}, {SettingAskExpiryDays, &ps.AskExpiryDays},
		{SettingConsentMonths, &ps.ConsentMonths}, {SettingMaxUploadMB, &ps.MaxUploadMB},
		{SettingFiscalYearStart, &ps.FiscalYearStart},
		{SettingCoverageShare, &ps.CoverageSharePct}, {SettingCoverageRefs, &ps.CoverageRefsPerOpp},
		{SettingLedgerPeriod, &ps.LedgerPeriodDays}, {SettingLedgerRefCap, &ps.LedgerReferenceCap},
		{SettingLedgerAcctCap, &ps.LedgerAccountCap}, {SettingLedgerCooldown, &ps.LedgerCooldownDays}}
}

// textSetting is a program setting kept as text.
type textSetting struct {
	key   string
	write func(ps *vouch.ProgramSettings) string
	read  func(ps *vouch.ProgramSettings, v string)
}

// textSettings are the program settings kept as text; an unset one keeps its default.
var textSettings = []textSetting{
	{SettingWonStages, func(ps *vouch.ProgramSettings) string { return joinLines(ps.WonStages) },
		func(ps *vouch.ProgramSettings, v string) { ps.WonStages = splitLines(v) }},
	{SettingLostStages, func(ps *vouch.ProgramSettings) string { return joinLines(ps.LostStages) },
		func(ps *vouch.ProgramSettings, v string) { ps.LostStages = splitLines(v) }},
	{SettingReportCurrency, func(ps *vouch.ProgramSettings) string { return strings.ToUpper(strings.TrimSpace(ps.ReportCurrency)) },
		func(ps *vouch.ProgramSettings, v string) { ps.ReportCurrency = v }},
	{SettingCurrencyRates, func(ps *vouch.ProgramSettings) string { return formatRates(ps.CurrencyRates) },
		func(ps *vouch.ProgramSettings, v string) { ps.CurrencyRates = parseRates(v) }},
}

func joinLines(l []string) string {
	var out []string
	for _, s := range l {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, "\n")
}

func splitLines(v string) []string {
	out := []string{}
	for _, s := range strings.Split(v, "\n") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func formatRates(r map[string]float64) string {
	codes := make([]string, 0, len(r))
	for c := range r {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	lines := make([]string, len(codes))
	for i, c := range codes {
		lines[i] = strings.ToUpper(c) + " " + strconv.FormatFloat(r[c], 'f', -1, 64)
	}
	return strings.Join(lines, "\n")
}

func parseRates(v string) map[string]float64 {
	out := map[string]float64{}
	for _, line := range splitLines(v) {
		f := strings.Fields(line)
		if len(f) != 2 {
			continue
		}
		if r, err := strconv.ParseFloat(f[1], 64); err == nil {
			out[strings.ToUpper(f[0])] = r
		}
	}
	return out
}
