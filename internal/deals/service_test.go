package deals_test

import (
	"context"
	"testing"

	"github.com/vouchhq/vouch/internal/deals"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

var ctx = vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})

func input(fields map[deals.Field]string) deals.Input {
	var in deals.Input
	for f, v := range fields {
		in.Set(f, v)
	}
	return in
}

// TestService: the rules every opportunity write follows, whichever caller.
func TestService(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		svc := deals.New(db)
		o := &vouch.Opportunity{Name: "Acme", Stage: "closed won"}
		if err := svc.Create(ctx, o); err != nil || o.Status != vouch.OpportunityWon {
			t.Errorf("the stage decides the status when none is given: %+v %v", o, err)
		}
		bad := &vouch.Opportunity{Name: "Globex", Currency: "XYZ"}
		if err := svc.Create(ctx, bad); vouch.ErrorFields(err)["currency"] != "is not a currency code (ISO 4217) like USD, EUR or GBP" {
			t.Errorf("a currency not in use: %v", err)
		}

		items := []deals.Input{
			input(map[deals.Field]string{deals.FieldCRMID: "A", deals.FieldName: "Alpha", deals.FieldAmount: "€ 1.000,00", deals.FieldStage: "Closed Lost"}),
			input(map[deals.Field]string{deals.FieldCRMID: "B", deals.FieldName: "Beta", deals.FieldCloseDate: "2026-11-20"}),
		}
		res, err := svc.UpsertBatch(ctx, items, deals.Options{})
		if err != nil || res.Created != 2 || len(res.Problems) != 0 {
			t.Fatalf("batch: %+v %v", res, err)
		}
		a, _ := db.OpportunityByCRMID(ctx, "A")
		if a.AmountCents != 1000_00 || a.Currency != "EUR" || a.Status != vouch.OpportunityLost {
			t.Errorf("A: %+v", a)
		}
		last, _ := db.LastChangeID(ctx)
		res, err = svc.UpsertBatch(ctx, items, deals.Options{})
		if err != nil || res.Unchanged != 2 {
			t.Fatalf("again: %+v %v", res, err)
		}
		if now, _ := db.LastChangeID(ctx); now != last {
			t.Errorf("the same batch again made %d change events", now-last)
		}
		// A field left out keeps what is stored; one given changes it.
		res, err = svc.UpsertBatch(ctx, []deals.Input{input(map[deals.Field]string{deals.FieldCRMID: "B", deals.FieldStage: "Closed Won"})}, deals.Options{})
		if b, _ := db.OpportunityByCRMID(ctx, "B"); err != nil || res.Updated != 1 || b.Name != "Beta" || b.CloseDate.String() != "2026-11-20" || b.Status != vouch.OpportunityWon {
			t.Errorf("partial update: %+v %+v %v", res, b, err)
		}
		if _, err := svc.UpsertBatch(ctx, make([]deals.Input, deals.MaxBatch+1), deals.Options{}); vouch.ErrorCode(err) != vouch.EINVALID {
			t.Errorf("too many: %v", err)
		}
	})
}

// TestStageDecidesStatus: a listed won or lost stage always decides a
// deal's status; a status that contradicts it is refused naming the field,
// whether the deal comes whole (the API's create) or as fields (a batch).
func TestStageDecidesStatus(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		svc := deals.New(db)
		bad := &vouch.Opportunity{Name: "Acme", Stage: "Closed Won", Status: vouch.OpportunityLost}
		want := "is lost, but the stage “Closed Won” is one of the program's won stages; leave the status out or change the stage"
		if err := svc.Create(ctx, bad); vouch.ErrorCode(err) != vouch.EINVALID || vouch.ErrorFields(err)["status"] != want {
			t.Errorf("won stage, lost status: %v", err)
		}
		o := &vouch.Opportunity{Name: "Globex", Stage: "Negotiation", Status: vouch.OpportunityWon}
		if err := svc.Create(ctx, o); err != nil || o.Status != vouch.OpportunityWon {
			t.Errorf("at a stage the program does not list, the status given stands: %+v %v", o, err)
		}
		o.Stage, o.Status = "closed lost", vouch.OpportunityOpen
		if err := svc.Update(ctx, o); vouch.ErrorFields(err)["status"] == "" {
			t.Errorf("lost stage, open status: %v", err)
		}
		o.Status = ""
		if err := svc.Update(ctx, o); err != nil {
			t.Fatalf("lost stage, no status: %v", err)
		}
		if got, _ := db.Opportunity(ctx, o.ID); got.Status != vouch.OpportunityLost {
			t.Errorf("the lost stage decides: %+v", got)
		}

		res, err := svc.UpsertBatch(ctx, []deals.Input{
			input(map[deals.Field]string{deals.FieldCRMID: "C", deals.FieldName: "Gamma", deals.FieldStage: "Closed Won", deals.FieldStatus: "open"}),
		}, deals.Options{})
		if err != nil || res.Created != 0 || len(res.Problems) != 1 || res.Problems[0].Field != deals.FieldStatus {
			t.Fatalf("batch, won stage and open status: %+v %v", res, err)
		}
		res, err = svc.UpsertBatch(ctx, []deals.Input{
			input(map[deals.Field]string{deals.FieldCRMID: "C", deals.FieldName: "Gamma", deals.FieldStage: "Closed Won"}),
		}, deals.Options{})
		if err != nil || res.Created != 1 {
			t.Fatalf("batch, won stage: %+v %v", res, err)
		}
		// A status alone that contradicts the stored stage is refused too.
		res, err = svc.UpsertBatch(ctx, []deals.Input{input(map[deals.Field]string{deals.FieldCRMID: "C", deals.FieldStatus: "lost"})}, deals.Options{})
		if err != nil || len(res.Problems) != 1 || res.Problems[0].Field != deals.FieldStatus {
			t.Errorf("batch, a status against the stored stage: %+v %v", res, err)
		}
		if c, _ := db.OpportunityByCRMID(ctx, "C"); c.Status != vouch.OpportunityWon {
			t.Errorf("C: %+v", c)
		}
	})
}
