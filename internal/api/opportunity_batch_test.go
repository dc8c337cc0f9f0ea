package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/vouch"
)

var ctx = vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})

type batchAnswer struct {
	Created, Updated, Unchanged, Repeated int
	Items                                 []struct {
		CRMID   string `json:"crm_id"`
		ID      int64
		Outcome string
	}
}

// TestOpportunityBatch: POST /api/v1/opportunities/batch upserts by CRM id,
// all or nothing, names each problem by item, changes nothing when sent
// again, and refuses more than 1,000 items.
func TestOpportunityBatch(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		acme := &vouch.Account{Name: "Acme", CRMID: "001A", Domain: "acme.example"}
		if err := f.srv.DB.CreateAccount(ctx, acme); err != nil {
			t.Fatal(err)
		}
		body := `{"items": [
			{"crm_id": "006-1", "name": "Acme expansion", "amount": "USD 12,500.00", "stage": "Closed Won", "close_date": "2026-11-20", "account_domain": "www.acme.example", "industry": "Healthcare"},
			{"crm_id": "006-2", "name": "Globex", "amount": 1234.5, "currency": "EUR", "stage": "Proposal", "account_name": "Globex Inc", "owner_email": "seller@example.com"},
			{"crm_id": "006-1", "name": "Acme expansion", "amount": "USD 12,500.00", "stage": "Closed Won", "close_date": "2026-11-20", "account_domain": "www.acme.example", "industry": "Healthcare"}
		]}`
		var a batchAnswer
		f.call(t, "admin", "POST", "/api/v1/opportunities/batch", body, 200).decode(t, &a)
		if a.Created != 2 || a.Repeated != 1 || len(a.Items) != 3 || a.Items[0].Outcome != "created" || a.Items[2].Outcome != "repeated" ||
			a.Items[2].ID != a.Items[0].ID {
			t.Fatalf("first batch: %+v", a)
		}
		o, err := f.srv.DB.OpportunityByCRMID(ctx, "006-1")
		if err != nil {
			t.Fatal(err)
		}
		if o.AccountID != acme.ID || o.Status != vouch.OpportunityWon || o.AmountCents != 12_500_00 || o.CloseDate.String() != "2026-11-20" {
			t.Errorf("006-1: %+v", o)
		}
		var item oppItem
		f.call(t, "admin", "GET", fmt.Sprintf("/api/v1/opportunities/%d", a.Items[1].ID), "", 200).decode(t, &item)
		if item.Amount != 1234.5 || item.Currency != "EUR" || item.Status != "open" || item.Prospect != "Globex Inc" || item.Owner == nil {
			t.Errorf("006-2: %+v", item)
		}

		// The same batch again changes nothing and writes no audit entry.
		_, before, _ := f.srv.DB.ListAudit(ctx, vouch.AuditFilter{Limit: 1})
		f.call(t, "admin", "POST", "/api/v1/opportunities/batch", body, 200).decode(t, &a)
		if a.Unchanged != 2 || a.Created+a.Updated != 0 {
			t.Errorf("again: %+v", a)
		}
		if _, after, _ := f.srv.DB.ListAudit(ctx, vouch.AuditFilter{Limit: 1}); after != before {
			t.Errorf("the same batch again wrote %d audit entries", after-before)
		}

		// One bad item: nothing is saved, every problem named by item.
		bad := `{"items": [
			{"crm_id": "006-1", "stage": "Closed Lost"},
			{"crm_id": "006-3", "name": "New", "amount": "12,5x"},
			{"crm_id": "006-4", "name": "New", "currency": "UDS"},
			{"name": "No id"}
		]}`
		r := f.c.do(t, "POST", "/api/v1/opportunities/batch", f.tokens["admin"], bad, true)
		var e errorBody
		r.decode(t, &e)
		want := map[string]string{
			"items[1].amount":   "'12,5x' is not an amount like 12,500.00",
			"items[2].currency": "'UDS' is not a currency code (ISO 4217) like USD, EUR or GBP",
			"items[3].crm_id":   "is empty; every opportunity needs the CRM's opportunity id, so that importing it again updates it",
		}
		if r.status != 400 || e.Error.Message != "3 items have problems; nothing was saved." || fmt.Sprint(e.Error.Fields) != fmt.Sprint(want) {
			t.Errorf("bad batch: %d %+v", r.status, e)
		}
		if o, _ := f.srv.DB.OpportunityByCRMID(ctx, "006-1"); o.Status != vouch.OpportunityWon {
			t.Errorf("all or nothing: 006-1 is %s", o.Status)
		}
		r = f.c.do(t, "POST", "/api/v1/opportunities/batch", f.tokens["admin"], `{"items": [{"crm_id": "006-1", "colour": "red"}]}`, true)
		if r.decode(t, &e); r.status != 400 || e.Error.Fields["items[0].colour"] != "is not a known field" {
			t.Errorf("unknown field: %d %+v", r.status, e)
		}

		// More than 1,000 items is refused before anything is read.
		items := make([]string, 1001)
		for i := range items {
			items[i] = fmt.Sprintf(`{"crm_id": "X-%d"}`, i)
		}
		r = f.c.do(t, "POST", "/api/v1/opportunities/batch", f.tokens["admin"], `{"items": [`+strings.Join(items, ",")+`]}`, true)
		if r.decode(t, &e); r.status != 400 || e.Error.Message != "A batch holds at most 1000 opportunities; this one has 1001. Send them in several batches." {
			t.Errorf("1001 items: %d %+v", r.status, e)
		}
		// Sellers may not sync deals.
		f.call(t, "seller", "POST", "/api/v1/opportunities/batch", `{"items": []}`, 403)
	})
}
