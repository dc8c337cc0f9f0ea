package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

// kindSummary is one picklist on the taxonomies overview.
type kindSummary struct {
	Kind    vouch.TaxonomyKind
	Active  int
	Retired int
}

// taxonomies serves GET /admin/taxonomies: every picklist with its counts.
func (h *Handler) taxonomies(w http.ResponseWriter, r *http.Request) {
	values, err := h.db.ListTaxonomy(r.Context(), "")
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	byKind := map[vouch.TaxonomyKind]*kindSummary{}
	var kinds []*kindSummary
	for _, k := range vouch.TaxonomyKinds {
		s := &kindSummary{Kind: k}
		byKind[k] = s
		kinds = append(kinds, s)
	}
	for _, v := range values {
		s := byKind[v.Kind]
		if s == nil { // a kind no longer in the code; not editable here
			continue
		}
		if v.Retired {
			s.Retired++
		} else {
			s.Active++
		}
	}
	h.render(w, r, http.StatusOK, "taxonomies", &page{Title: "Taxonomies", Nav: "taxonomies", Data: kinds})
}

// taxonomyPage is what taxonomy.html shows.
type taxonomyPage struct {
	Kind   vouch.TaxonomyKind
	Values []*vouch.TaxonomyValue
	// FailedID is the row whose form the errors belong to; 0 for the add form.
	FailedID int64
}

// pathKind reads {kind}; ok is false for an unknown picklist.
func pathKind(r *http.Request) (vouch.TaxonomyKind, bool) {
	k := vouch.TaxonomyKind(r.PathValue("kind"))
	return k, k.Valid()
}

func taxonomyURL(k vouch.TaxonomyKind) string { return "/admin/taxonomies/" + string(k) }

// taxonomy serves GET /admin/taxonomies/{kind}.
func (h *Handler) taxonomy(w http.ResponseWriter, r *http.Request) {
	kind, ok := pathKind(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	h.renderTaxonomy(w, r, http.StatusOK, kind, &page{}, 0)
}

func (h *Handler) renderTaxonomy(w http.ResponseWriter, r *http.Request, status int, kind vouch.TaxonomyKind, p *page, failedID int64) {
	values, err := h.db.ListTaxonomy(r.Context(), kind)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	p.Title, p.Nav = kind.Label(), "taxonomies"
	p.Data = &taxonomyPage{Kind: kind, Values: values, FailedID: failedID}
	h.render(w, r, status, "taxonomy", p)
}

// createTaxonomyValue serves POST /admin/taxonomies/{kind}.
func (h *Handler) createTaxonomyValue(w http.ResponseWriter, r *http.Request) {
	kind, ok := pathKind(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	v := &vouch.TaxonomyValue{Kind: kind, Name: r.PostFormValue("name")}
	if err := h.db.CreateTaxonomyValue(r.Context(), v); err != nil {
		if !isFormError(err) {
			h.serverError(w, r, err)
			return
		}
		p := &page{Form: r.PostForm}
		h.renderTaxonomy(w, r, failForm(p, err, nil), kind, p, 0)
		return
	}
	redirect(w, r, taxonomyURL(kind), fmt.Sprintf("Added %q to %s.", v.Name, strings.ToLower(kind.Label())))
}

// taxonomyValueIn returns the value {id} of the picklist {kind}, or writes
// the 404 page: a value reached through another picklist's URL does not exist there.
func (h *Handler) taxonomyValueIn(w http.ResponseWriter, r *http.Request) (vouch.TaxonomyKind, *vouch.TaxonomyValue, bool) {
	kind, ok := pathKind(r)
	id, idOK := pathID(r, "id")
	if !ok || !idOK {
		h.notFound(w, r)
		return "", nil, false
	}
	v, err := h.db.TaxonomyValue(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return "", nil, false
	}
	if v.Kind != kind {
		h.notFound(w, r)
		return "", nil, false
	}
	return kind, v, true
}

// updateTaxonomyValue serves POST /admin/taxonomies/{kind}/{id}. The row's
// form sends name and position; the Retire/Restore button sends retired.
// Only the fields sent are changed.
func (h *Handler) updateTaxonomyValue(w http.ResponseWriter, r *http.Request) {
	kind, v, ok := h.taxonomyValueIn(w, r)
	if !ok {
		return
	}
	_ = r.ParseForm() // already parsed (and any error answered) by the CSRF check; PostForm is read directly below
	var upd vouch.TaxonomyUpdate
	if _, sent := r.PostForm["name"]; sent {
		name := r.PostFormValue("name")
		upd.Name = &name
	}
	if _, sent := r.PostForm["position"]; sent {
		pos, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("position")))
		if err != nil || pos < 0 {
			p := &page{Form: r.PostForm, Error: "Please correct the highlighted field.",
				Errors: map[string]string{"position": "Position must be a whole number, 0 or more."}}
			h.renderTaxonomy(w, r, http.StatusBadRequest, kind, p, v.ID)
			return
		}
		upd.Position = &pos
	}
	if _, sent := r.PostForm["retired"]; sent {
		retired := r.PostFormValue("retired") == "true"
		upd.Retired = &retired
	}
	nv, err := h.db.UpdateTaxonomyValue(r.Context(), v.ID, upd)
	if err != nil {
		if !isFormError(err) {
			h.fail(w, r, err)
			return
		}
		p := &page{Form: r.PostForm}
		h.renderTaxonomy(w, r, failForm(p, err, nil), kind, p, v.ID)
		return
	}
	var msg string
	switch {
	case upd.Retired != nil && nv.Retired:
		msg = fmt.Sprintf("Retired %q. Records that use it keep it; new records cannot pick it.", nv.Name)
	case upd.Retired != nil:
		msg = fmt.Sprintf("Restored %q. New records can pick it again.", nv.Name)
	case nv.Name != v.Name:
		msg = fmt.Sprintf("Renamed %q to %q everywhere it is used.", v.Name, nv.Name)
	default:
		msg = fmt.Sprintf("Saved %q.", nv.Name)
	}
	redirect(w, r, taxonomyURL(kind), msg)
}

// deleteTaxonomyValue serves POST /admin/taxonomies/{kind}/{id}/delete. The
// store refuses to delete a value in use; that comes back as an error message.
func (h *Handler) deleteTaxonomyValue(w http.ResponseWriter, r *http.Request) {
	kind, v, ok := h.taxonomyValueIn(w, r)
	if !ok {
		return
	}
	if err := h.db.DeleteTaxonomyValue(r.Context(), v.ID); err != nil {
		if vouch.ErrorCode(err) == vouch.ECONFLICT {
			redirectError(w, r, taxonomyURL(kind), vouch.ErrorMessage(err))
			return
		}
		h.fail(w, r, err)
		return
	}
	redirect(w, r, taxonomyURL(kind), fmt.Sprintf("Deleted %q.", v.Name))
}
