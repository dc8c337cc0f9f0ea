package web

import (
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/vouch"
)

// contentLabels name the editor's fields in error sentences.
var contentLabels = map[string]string{
	"type": "Type", "title": "Title", "summary": "Summary", "body": "Text or quote", "url": "Link",
	"accounts": "Featured accounts", "references": "Featured references", "language": "Language",
	"published_on": "Publish date", "owner": "Owner", "industry": "Industry", "region": "Region",
	"country": "Country", "segment": "Segment", "company_size": "Company size", "product": "Products",
	"use_case": "Use cases", "competitor": "Competitors replaced", "file": "File",
}

// contentForm is the editor's state, kept as typed so a refused save shows
// it again unchanged.
type contentForm struct {
	ID          int64
	Version     int
	TypeID      int64
	Title       string
	Summary     string
	Body        string
	URL         string
	Accounts    []string // names, one per field
	References  []string // emails, one per field
	Tags        map[vouch.TaxonomyKind]map[int64]bool
	Language    string
	PublishedOn string
	OwnerID     int64
}

// tagChoice is one picklist's checkboxes in the editor.
type tagChoice struct {
	Name   string // the field name, the picklist kind
	Label  string
	Values []*vouch.TaxonomyValue
	Chosen map[int64]bool
}

// refOption is a reference offered in the featured references' suggestions.
type refOption struct{ Email, Label string }

// contentFormPage is what content_form.html shows.
type contentFormPage struct {
	Form       *contentForm
	New        bool
	Types      []*vouch.TaxonomyValue
	TagChoices []tagChoice
	Accounts   []string
	References []refOption
	Users      []*vouch.User
	Conflict   []conflictField
	MaxUpload  int64 // MB, for the file field's hint
}

// formOfContent fills the editor from a stored item.
func (h *Handler) formOfContent(r *http.Request, item *vouch.ContentItem) (*contentForm, error) {
	f := &contentForm{ID: item.ID, Version: item.Version, TypeID: item.TypeID, Title: item.Title, Summary: item.Summary,
		Body: item.Body, URL: item.URL, Language: item.Language, PublishedOn: item.PublishedOn.String(),
		OwnerID: item.OwnerID, Tags: map[vouch.TaxonomyKind]map[int64]bool{}}
	for _, k := range vouch.ContentTagKinds {
		f.Tags[k] = idSet(item.TagIDs(k))
	}
	for _, id := range item.AccountIDs {
		a, err := h.db.Account(r.Context(), id)
		if err != nil {
			return nil, err
		}
		f.Accounts = append(f.Accounts, a.Name)
	}
	for _, id := range item.ReferenceIDs {
		ref, err := h.db.Reference(r.Context(), id)
		if err != nil {
			return nil, err
		}
		if ref.Email != "" {
			f.References = append(f.References, ref.Email)
		} else {
			f.References = append(f.References, strconv.FormatInt(id, 10))
		}
	}
	return f, nil
}

// readContentForm reads the posted editor: the form as typed and the
// service's input, picklist values by name.
func (h *Handler) readContentForm(v url.Values) (*contentForm, vouch.ContentInput) {
	f := &contentForm{Title: v.Get("title"), Summary: v.Get("summary"), Body: v.Get("body"), URL: v.Get("url"),
		Language: v.Get("language"), PublishedOn: strings.TrimSpace(v.Get("published_on")),
		Tags: map[vouch.TaxonomyKind]map[int64]bool{}}
	f.Version, _ = strconv.Atoi(v.Get("version"))
	f.TypeID, _ = strconv.ParseInt(v.Get("type"), 10, 64)
	f.OwnerID, _ = strconv.ParseInt(v.Get("owner_id"), 10, 64)
	for _, a := range v["accounts"] {
		if a = strings.TrimSpace(a); a != "" {
			f.Accounts = append(f.Accounts, a)
		}
	}
	for _, e := range v["references"] {
		if e = strings.TrimSpace(e); e != "" {
			f.References = append(f.References, e)
		}
	}
	in := vouch.ContentInput{Title: &f.Title, Summary: &f.Summary, Body: &f.Body, URL: &f.URL, Language: &f.Language,
		PublishedOn: &f.PublishedOn, OwnerID: &f.OwnerID, Version: &f.Version, Tags: map[vouch.TaxonomyKind][]string{},
		Unreadable: map[string]string{}}
	typeName := ""
	if f.TypeID != 0 {
		typeName = h.valueNameOf(f.TypeID)
	}
	in.Type = &typeName
	accounts, refs := append([]string{}, f.Accounts...), append([]string{}, f.References...)
	in.Accounts, in.References = &accounts, &refs
	for _, k := range vouch.ContentTagKinds {
		m := map[int64]bool{}
		for _, s := range v[string(k)] {
			if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
				m[id] = true
			}
		}
		f.Tags[k] = m
		in.Tags[k] = h.valueNames(m)
	}
	return f, in
}

// newContent serves GET /content/new.
func (h *Handler) newContent(w http.ResponseWriter, r *http.Request) {
	f := &contentForm{OwnerID: userFrom(r.Context()).ID, Tags: map[vouch.TaxonomyKind]map[int64]bool{}}
	if t := r.URL.Query().Get("type"); t != "" {
		f.TypeID = h.opts.Catalog.ValueID(vouch.TaxContentType, t)
	}
	h.renderContentForm(w, r, http.StatusOK, &page{}, f, nil)
}

// editContent serves GET /content/{id}/edit.
func (h *Handler) editContent(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	item, err := h.opts.Content.Item(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f, err := h.formOfContent(r, item)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	h.renderContentForm(w, r, http.StatusOK, &page{}, f, nil)
}

func (h *Handler) renderContentForm(w http.ResponseWriter, r *http.Request, status int, p *page, f *contentForm, conflict []conflictField) {
	users, err := h.activeUsers(r, f.OwnerID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	accounts, _, err := h.db.ListAccounts(r.Context(), vouch.AccountFilter{Limit: 1000})
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d := &contentFormPage{Form: f, New: f.ID == 0, Users: users, Conflict: conflict,
		MaxUpload: h.opts.Catalog.ProgramSettings().MaxUploadBytes() >> 20}
	for _, a := range accounts {
		d.Accounts = append(d.Accounts, a.Name)
	}
	slices.SortFunc(d.Accounts, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	for _, hit := range h.opts.Index.Search(refindex.Query{Limit: 1000}).Hits {
		if hit.Reference.Email != "" {
			d.References = append(d.References, refOption{Email: hit.Reference.Email, Label: hit.Reference.Name + " — " + hit.Account.Name})
		}
	}
	// Retired values are offered only where the item already has them.
	values := func(kind vouch.TaxonomyKind, chosen map[int64]bool) []*vouch.TaxonomyValue {
		var out []*vouch.TaxonomyValue
		for _, v := range h.opts.Catalog.Values(kind, true) {
			if !v.Retired || chosen[v.ID] {
				out = append(out, v)
			}
		}
		return out
	}
	d.Types = values(vouch.TaxContentType, map[int64]bool{f.TypeID: true})
	for _, k := range vouch.ContentTagKinds {
		if f.Tags[k] == nil {
			f.Tags[k] = map[int64]bool{}
		}
		d.TagChoices = append(d.TagChoices, tagChoice{Name: string(k), Label: contentLabels[string(k)],
			Values: values(k, f.Tags[k]), Chosen: f.Tags[k]})
	}
	// Room for one more account and reference than the item has.
	f.Accounts = append(f.Accounts, "")
	f.References = append(f.References, "")
	p.Nav, p.Data = "content", d
	if d.New {
		p.Title = "Add content"
	} else {
		p.Title = "Edit " + f.Title
	}
	h.render(w, r, status, "content_form", p)
}

// createContent serves POST /content/new: a new item, a draft owned by
// whoever the form names.
func (h *Handler) createContent(w http.ResponseWriter, r *http.Request) {
	f, in := h.readContentForm(r.PostForm)
	in.Version = nil
	item, err := h.opts.Content.Create(r.Context(), in)
	if err != nil {
		if !isFormError(err) {
			h.serverError(w, r, err)
			return
		}
		h.refuseContentForm(w, r, f, err)
		return
	}
	msg := "Added “" + item.Title + "” as a draft."
	if fh := formFile(r, "file"); fh != nil {
		// The item is saved first, so a file that is refused loses nothing
		// typed: the page says why and offers the upload again.
		file, err := fh.Open()
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		defer file.Close()
		saved, err := h.opts.Content.Upload(r.Context(), item.ID, fh.Filename, file)
		switch {
		case vouch.ErrorCode(err) == vouch.EINTERNAL:
			h.serverError(w, r, err)
			return
		case err != nil:
			reason := vouch.ErrorMessage(err)
			if f := vouch.ErrorFields(err)["file"]; f != "" {
				reason = "it " + f
			}
			redirectError(w, r, fmt.Sprintf("/content/%d#upload", item.ID),
				fmt.Sprintf("Added “%s” as a draft, but %q was not kept: %s. Upload another file below.", item.Title, fh.Filename, reason))
			return
		case saved.TextStatus == vouch.TextPending:
			msg += " Its file's text is being read so it can be searched."
		}
	}
	redirect(w, r, fmt.Sprintf("/content/%d", item.ID), msg+" Send it for the customer's approval when it is ready.")
}

// formFile is the file a multipart form carries in field name; nil when
// the form has none or no file was chosen.
func formFile(r *http.Request, name string) *multipart.FileHeader {
	if r.MultipartForm == nil || len(r.MultipartForm.File[name]) == 0 || r.MultipartForm.File[name][0].Filename == "" {
		return nil
	}
	return r.MultipartForm.File[name][0]
}

// updateContent serves POST /content/{id}/edit. A save made after someone
// else's is refused: the form comes back with the person's input, what
// differs from the saved item, and the new version.
func (h *Handler) updateContent(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	f, in := h.readContentForm(r.PostForm)
	f.ID = id
	item, err := h.opts.Content.Update(r.Context(), id, in)
	if err == nil {
		redirect(w, r, fmt.Sprintf("/content/%d", id), "Saved “"+item.Title+"”.")
		return
	}
	if !isFormError(err) {
		h.fail(w, r, err)
		return
	}
	if _, stale := vouch.ErrorFields(err)["version"]; stale && vouch.ErrorCode(err) == vouch.ECONFLICT {
		h.contentConflict(w, r, f)
		return
	}
	h.refuseContentForm(w, r, f, err)
}

// refuseContentForm shows the editor again with the service's problems.
func (h *Handler) refuseContentForm(w http.ResponseWriter, r *http.Request, f *contentForm, err error) {
	p := &page{Errors: map[string]string{}}
	status := failForm(p, err, contentLabels)
	delete(p.Errors, "version")
	if len(p.Errors) > 0 && vouch.ErrorCode(err) != vouch.ECONFLICT {
		p.Error = "Please correct the highlighted field."
		if len(p.Errors) > 1 {
			p.Error = fmt.Sprintf("Please correct the %d highlighted fields.", len(p.Errors))
		}
	}
	if p.Error == "" {
		p.Error = "Nothing was saved."
	}
	if formFile(r, "file") != nil {
		p.Error += " Choose the file again: a browser does not keep it after an error."
	}
	h.renderContentForm(w, r, status, p, f, nil)
}

// contentConflict re-renders the editor after a save lost to someone
// else's, listing the fields where the saved item now differs.
func (h *Handler) contentConflict(w http.ResponseWriter, r *http.Request, f *contentForm) {
	saved, err := h.opts.Content.Item(r.Context(), f.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	theirs, err := h.formOfContent(r, saved)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	names := func(m map[int64]bool) string {
		var out []string
		for _, id := range setIDs(m) {
			out = append(out, h.opts.Catalog.ValueName(id))
		}
		return strings.Join(out, ", ")
	}
	userName := func(id int64) string {
		if id == 0 {
			return ""
		}
		if u, err := h.db.User(r.Context(), id); err == nil {
			return u.Name
		}
		return fmt.Sprintf("user #%d", id)
	}
	norm := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	var diff []conflictField
	add := func(label, saved, yours string) {
		if norm(saved) != norm(yours) {
			diff = append(diff, conflictField{label, saved, yours})
		}
	}
	add("Type", h.opts.Catalog.ValueName(theirs.TypeID), h.opts.Catalog.ValueName(f.TypeID))
	add("Title", theirs.Title, f.Title)
	add("Summary", theirs.Summary, f.Summary)
	add("Text or quote", theirs.Body, f.Body)
	add("Link", theirs.URL, f.URL)
	add("Featured accounts", strings.Join(theirs.Accounts, ", "), strings.Join(f.Accounts, ", "))
	add("Featured references", strings.Join(theirs.References, ", "), strings.Join(f.References, ", "))
	for _, k := range vouch.ContentTagKinds {
		add(contentLabels[string(k)], names(theirs.Tags[k]), names(f.Tags[k]))
	}
	add("Language", theirs.Language, f.Language)
	add("Publish date", theirs.PublishedOn, f.PublishedOn)
	add("Owner", userName(theirs.OwnerID), userName(f.OwnerID))
	f.Version = saved.Version
	p := &page{Error: "Someone else saved this item after you opened it. Your changes below are not saved yet: " +
		"check them against the saved version, then save again to keep yours."}
	h.renderContentForm(w, r, http.StatusConflict, p, f, diff)
}
