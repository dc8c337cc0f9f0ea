package store

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

// Setting keys of the mails: the company, the program's sender, and one
// key per edited template ("mail_template_ask"), holding its subject and
// body as JSON. A template without a key is the default.
const (
	SettingCompany        = "company_name"
	SettingSenderName     = "mail_sender_name"
	SettingSenderEmail    = "mail_sender_email"
	settingTemplatePrefix = "mail_template_"
)

// MailSettings reads the company, the sender and the edited templates. A
// damaged template reads as the default rather than failing every mail.
func (db *DB) MailSettings(ctx context.Context) (vouch.MailSettings, error) {
	var ms vouch.MailSettings
	for _, f := range []struct {
		key string
		out *string
	}{{SettingCompany, &ms.Company}, {SettingSenderName, &ms.SenderName}, {SettingSenderEmail, &ms.SenderEmail}} {
		v, err := db.Setting(ctx, f.key, "")
		if err != nil {
			return ms, err
		}
		*f.out = v
	}
	ms.Templates = map[vouch.MailKind]vouch.MailTemplate{}
	for _, k := range vouch.MailKinds {
		v, err := db.Setting(ctx, settingTemplatePrefix+string(k), "")
		if err != nil {
			return ms, err
		}
		var t vouch.MailTemplate
		if v != "" && json.Unmarshal([]byte(v), &t) == nil {
			ms.Templates[k] = t
		}
	}
	return ms, nil
}

// SetMailSettings saves the company, the sender and the templates in one
// transaction, auditing each setting that changed. A template left out of
// ms.Templates goes back to its default. Nothing is saved unless every
// field is valid.
func (db *DB) SetMailSettings(ctx context.Context, ms vouch.MailSettings) error {
	if err := ms.Validate(); err != nil {
		return err
	}
	want := map[string]string{SettingCompany: ms.Company, SettingSenderName: ms.SenderName, SettingSenderEmail: ms.SenderEmail}
	keys := []string{SettingCompany, SettingSenderName, SettingSenderEmail}
	for _, k := range vouch.MailKinds {
		key := settingTemplatePrefix + string(k)
		keys = append(keys, key)
		want[key] = ""
		if t, ok := ms.Templates[k]; ok {
			b, err := json.Marshal(t)
			if err != nil {
				return err
			}
			want[key] = string(b)
		}
	}
	return db.update(ctx, func(tx *Tx) error {
		for _, key := range keys {
			var before string
			if err := tx.queryRow(`SELECT COALESCE(MAX(value), '') FROM settings WHERE key = ?`, key).Scan(&before); err != nil {
				return err
			}
			after := want[key]
			if before == after {
				continue
			}
			var err error
			if after == "" {
				_, err = tx.exec(`DELETE FROM settings WHERE key = ?`, key)
			} else {
				_, err = tx.exec(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, after)
			}
			if err != nil {
				return err
			}
			change := vouch.Change{Field: key, Before: before, After: after}
			if strings.HasPrefix(key, settingTemplatePrefix) && after == "" {
				change.After = "(default)"
			}
			if err := tx.audit("update", vouch.SettingKind(key), 0, []vouch.Change{change}); err != nil {
				return err
			}
		}
		return nil
	})
}
