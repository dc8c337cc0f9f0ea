package api

import (
	"net/http"
	"strconv"

	"github.com/vouchhq/vouch/internal/vouch"
)

// taxonomy is one picklist with its values, as GET /api/v1/taxonomies lists it.
type taxonomy struct {
	Kind   vouch.TaxonomyKind     `json:"kind"`
	Label  string                 `json:"label"`
	Values []*vouch.TaxonomyValue `json:"values"`
}

// listTaxonomies serves GET /api/v1/taxonomies: every picklist, in display order.
func (h *Handler) listTaxonomies(w http.ResponseWriter, r *http.Request) {
	includeRetired, err := includeRetiredParam(r)
	if err != nil {
		writeError(w, err)
		return
	}
	values, err := h.db.ListTaxonomy(r.Context(), "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	byKind := map[vouch.TaxonomyKind][]*vouch.TaxonomyValue{}
	for _, v := range filterRetired(values, includeRetired) {
		byKind[v.Kind] = append(byKind[v.Kind], v)
	}
	items := make([]taxonomy, 0, len(vouch.TaxonomyKinds))
	for _, k := range vouch.TaxonomyKinds {
		vs := byKind[k]
		if vs == nil {
			vs = []*vouch.TaxonomyValue{}
		}
		items = append(items, taxonomy{Kind: k, Label: k.Label(), Values: vs})
	}
	writeJSON(w, http.StatusOK, newList(items, "", len(items)))
}

// listTaxonomyValues serves GET /api/v1/taxonomies/{kind}: one picklist's values.
func (h *Handler) listTaxonomyValues(w http.ResponseWriter, r *http.Request) {
	kind, err := kindParam(r)
	if err != nil {
		writeError(w, err)
		return
	}
	includeRetired, err := includeRetiredParam(r)
	if err != nil {
		writeError(w, err)
		return
	}
	values, err := h.db.ListTaxonomy(r.Context(), kind)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	values = filterRetired(values, includeRetired)
	writeJSON(w, http.StatusOK, newList(values, "", len(values)))
}

// createTaxonomyValue serves POST /api/v1/taxonomies/{kind}.
func (h *Handler) createTaxonomyValue(w http.ResponseWriter, r *http.Request) {
	kind, err := kindParam(r)
	if err != nil {
		writeError(w, err)
		return
	}
	var body struct {
		Name     string `json:"name"`
		Position int    `json:"position"` // 0 or absent: after the last value
	}
	if err := decode(r, &body); err != nil {
		writeError(w, err)
		return
	}
	v := &vouch.TaxonomyValue{Kind: kind, Name: body.Name, Position: body.Position}
	if err := h.db.CreateTaxonomyValue(r.Context(), v); err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, v)
}

// updateTaxonomyValue serves PATCH /api/v1/taxonomies/{kind}/{id}: rename,
// move, retire or restore a value.
func (h *Handler) updateTaxonomyValue(w http.ResponseWriter, r *http.Request) {
	id, err := h.valueOfKind(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var body struct {
		Name     *string `json:"name"`
		Position *int    `json:"position"`
		Retired  *bool   `json:"retired"`
	}
	if err := decode(r, &body); err != nil {
		writeError(w, err)
		return
	}
	v, err := h.db.UpdateTaxonomyValue(r.Context(), id, vouch.TaxonomyUpdate{
		Name: body.Name, Position: body.Position, Retired: body.Retired})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// deleteTaxonomyValue serves DELETE /api/v1/taxonomies/{kind}/{id}. A value
// in use is refused with 409 by the store; the client should retire it instead.
func (h *Handler) deleteTaxonomyValue(w http.ResponseWriter, r *http.Request) {
	id, err := h.valueOfKind(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.db.DeleteTaxonomyValue(r.Context(), id); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}

// valueOfKind returns the {id} of the request after checking the value
// belongs to {kind}, so a URL cannot reach a value through another picklist.
func (h *Handler) valueOfKind(r *http.Request) (int64, error) {
	kind, err := kindParam(r)
	if err != nil {
		return 0, err
	}
	id, err := pathID(r, "value")
	if err != nil {
		return 0, err
	}
	v, err := h.db.TaxonomyValue(r.Context(), id)
	if err != nil {
		return 0, err
	}
	if v.Kind != kind {
		return 0, vouch.Errorf(vouch.ENOTFOUND, "%s has no value with id %d.", kind.Label(), id)
	}
	return id, nil
}

// kindParam reads the {kind} path parameter.
func kindParam(r *http.Request) (vouch.TaxonomyKind, error) {
	kind := vouch.TaxonomyKind(r.PathValue("kind"))
	if !kind.Valid() {
		return "", vouch.Errorf(vouch.ENOTFOUND, "No picklist named %q.", r.PathValue("kind"))
	}
	return kind, nil
}

// includeRetiredParam reads ?include_retired=; retired values are included
// by default because old records still show them.
func includeRetiredParam(r *http.Request) (bool, error) {
	s := r.URL.Query().Get("include_retired")
	if s == "" {
		return true, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return false, &vouch.Error{Code: vouch.EINVALID, Message: "include_retired must be true or false.",
			Fields: map[string]string{"include_retired": "must be true or false"}}
	}
	return b, nil
}

func filterRetired(values []*vouch.TaxonomyValue, includeRetired bool) []*vouch.TaxonomyValue {
	if includeRetired {
		return values
	}
	out := []*vouch.TaxonomyValue{}
	for _, v := range values {
		if !v.Retired {
			out = append(out, v)
		}
	}
	return out
}
