package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/vouchhq/vouch/internal/deals"
	"github.com/vouchhq/vouch/internal/vouch"
)

// batchFields are the fields of an item of POST /api/v1/opportunities/batch.
var batchFields = []deals.Field{deals.FieldCRMID, deals.FieldName, deals.FieldProspect, deals.FieldAmount, deals.FieldCurrency,
	deals.FieldStage, deals.FieldStatus, deals.FieldCloseDate, deals.FieldCreatedOn, deals.FieldOwner, deals.FieldAccountCRMID,
	deals.FieldAccountDomain, deals.FieldAccountName, deals.FieldIndustry, deals.FieldRegion, deals.FieldCountry, deals.FieldSegment,
	deals.FieldSize, deals.FieldProduct, deals.FieldCompetitor}

// batchItem is one deal of a batch as the API answers it.
type batchItem struct {
	CRMID   string `json:"crm_id"`
	ID      int64  `json:"id"`
	Outcome string `json:"outcome"` // created, updated, unchanged or repeated
}

type batchResult struct {
	Created   int         `json:"created"`
	Updated   int         `json:"updated"`
	Unchanged int         `json:"unchanged"`
	Repeated  int         `json:"repeated"`
	Items     []batchItem `json:"items"`
}

var outcomeNames = map[deals.Outcome]string{deals.Created: "created", deals.Updated: "updated",
	deals.Unchanged: "unchanged", deals.Repeated: "repeated"}

// upsertOpportunities serves POST /api/v1/opportunities/batch: a CRM sync
// sends up to 1,000 deals at once, each known by its CRM id. All are saved
// or, when one has a problem, none; the problems are named by item
// ("items[3].amount"). Fields an item leaves out keep what Vouch has, so the
// same batch again changes nothing.
func (h *Handler) upsertOpportunities(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Items []map[string]json.RawMessage `json:"items"`
	}
	if err := decode(r, &body); err != nil {
		writeError(w, err)
		return
	}
	if body.Items == nil {
		writeError(w, &vouch.Error{Code: vouch.EINVALID, Message: "Send the deals as {\"items\": [...]}.",
			Fields: map[string]string{"items": "is required"}})
		return
	}
	if len(body.Items) > deals.MaxBatch {
		writeError(w, &vouch.Error{Code: vouch.EINVALID,
			Message: fmt.Sprintf("A batch holds at most %d opportunities; this one has %d. Send them in several batches.", deals.MaxBatch, len(body.Items)),
			Fields:  map[string]string{"items": fmt.Sprintf("has %d items; at most %d", len(body.Items), deals.MaxBatch)}})
		return
	}
	var v vouch.Validation
	inputs := make([]deals.Input, len(body.Items))
	for i, item := range body.Items {
		for key, raw := range item {
			f := deals.Field(key)
			if !slices.Contains(batchFields, f) {
				v.Add(fmt.Sprintf("items[%d].%s", i, key), "is not a known field")
				continue
			}
			s, ok := batchValue(raw)
			if !ok {
				what := "a string or null"
				if f == deals.FieldAmount {
					what = "a number, a string like \"USD 12,500.00\", or null"
				}
				v.Add(fmt.Sprintf("items[%d].%s", i, key), "must be "+what)
				continue
			}
			inputs[i].Set(f, s)
		}
	}
	if err := v.Err(); err != nil {
		writeError(w, err)
		return
	}
	res, err := h.deals.UpsertBatch(r.Context(), inputs, deals.Options{})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(res.Problems) > 0 {
		fields := map[string]string{}
		items := map[int]bool{}
		for _, p := range res.Problems {
			reason := p.Reason
			if p.Value != "" && p.Field != deals.FieldCRMID {
				reason = fmt.Sprintf("'%s' %s", p.Value, p.Reason)
			}
			fields[fmt.Sprintf("items[%d].%s", p.Item, p.Field)] = reason
			items[p.Item] = true
		}
		msg := fmt.Sprintf("%d items have problems; nothing was saved.", len(items))
		if len(items) == 1 {
			msg = "1 item has problems; nothing was saved."
		}
		writeError(w, &vouch.Error{Code: vouch.EINVALID, Message: msg, Fields: fields})
		return
	}
	out := batchResult{Created: res.Created, Updated: res.Updated, Unchanged: res.Unchanged, Repeated: res.Repeated,
		Items: make([]batchItem, len(inputs))}
	for i, in := range inputs {
		out.Items[i] = batchItem{CRMID: in.Get(deals.FieldCRMID), ID: res.IDs[i], Outcome: outcomeNames[res.Outcomes[i]]}
	}
	writeJSON(w, http.StatusOK, out)
}

// batchValue reads a field of a batch item: a string, null (""), or for
// the amount a number too.
func batchValue(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if string(raw) == "null" {
		return "", true
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, true
	}
	var n json.Number
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if dec.Decode(&n) == nil {
		f, err := n.Float64()
		if err != nil {
			return "", false
		}
		// Two decimals always: ParseAmount reads "1234.567" as grouped thousands.
		return strconv.FormatFloat(f, 'f', 2, 64), true
	}
	return "", false
}
