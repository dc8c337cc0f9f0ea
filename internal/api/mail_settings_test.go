package api_test

import (
	"context"
	"testing"

	"github.com/vouchhq/vouch/internal/vouch"
)

func TestMailSettings(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		f.run(t, []scenario{
			{name: "a program manager may not read them", method: "GET", path: "/api/v1/settings/mail", as: "program_manager", status: 403},
			{name: "defaults", method: "GET", path: "/api/v1/settings/mail", as: "admin", status: 200,
				want: []string{`"company":""`, `"kind":"ask"`, `"edited":false`, `"name":"answer_link"`, `"required":true`}},
			{name: "unknown placeholder named", method: "PATCH", path: "/api/v1/settings/mail", as: "admin",
				body: `{"company":"Northwind","templates":{"ask":{"subject":"Hi","body":"Hi {advocat_name} {answer_link}"}}}`, status: 400,
				fields: []string{"ask_body"}, want: []string{`Unknown placeholder {advocat_name} in the ask mail's body.`}},
			{name: "the link is required", method: "PATCH", path: "/api/v1/settings/mail", as: "admin",
				body: `{"templates":{"thank_you":{"subject":"Thanks","body":"Thanks!"}}}`, status: 400, fields: []string{"thank_you_body"}},
			{name: "an unknown mail", method: "PATCH", path: "/api/v1/settings/mail", as: "admin",
				body: `{"templates":{"welcome":{"subject":"Hi","body":"Hi"}}}`, offSpec: true, status: 400, fields: []string{"templates.welcome"}},
			{name: "company and a text", method: "PATCH", path: "/api/v1/settings/mail", as: "admin",
				body:   `{"company":"Northwind","sender_email":"refs@northwind.example","templates":{"ask":{"subject":"For {company}","body":"Hi {advocate_first_name}\n{answer_link}"}}}`,
				status: 200, want: []string{`"company":"Northwind"`, `"subject":"For {company}"`, `"edited":true`}},
			{name: "preview", method: "POST", path: "/api/v1/settings/mail/ask/preview", as: "admin",
				body: `{"subject":"For {company}","body":"{seller_name} at {company}: {answer_link}"}`, status: 200,
				want: []string{`"subject":"For Northwind"`, `"body":"Dana Lee at Northwind: `, `"source":"sample data`}},
			{name: "preview refused", method: "POST", path: "/api/v1/settings/mail/ask/preview", as: "admin",
				body: `{"subject":"x","body":"{nope} {answer_link}"}`, status: 400, fields: []string{"ask_body"}},
			{name: "preview of no mail", method: "POST", path: "/api/v1/settings/mail/welcome/preview", as: "admin",
				body: `{"subject":"x","body":"y"}`, offSpec: true, status: 404},
			{name: "reset", method: "PATCH", path: "/api/v1/settings/mail", as: "admin",
				body: `{"templates":{"ask":null}}`, status: 200, want: []string{`"company":"Northwind"`, `"subject":"Would you do a {activity} with {prospect}?"`}},
		})
		ms, err := f.srv.DB.MailSettings(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if ms.Company != "Northwind" || ms.SenderEmail != "refs@northwind.example" || ms.Edited(vouch.MailAsk) {
			t.Errorf("stored %+v", ms)
		}
	})
}
