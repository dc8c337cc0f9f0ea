package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

const contentColumns = `c.id, c.type_id, c.title, c.summary, c.body, c.url, c.text_status, c.text_reason, c.language,
	c.published_on, COALESCE(c.owner_id, 0), c.state, c.approved_on, c.approved_by, c.approval_method, c.expires_on,
	c.version, c.created_at, c.updated_at,
	COALESCE(f.id, 0), COALESCE(f.name, ''), COALESCE(f.media_type, ''), COALESCE(f.size, 0), COALESCE(f.sha256, ''), f.created_at`

const contentFrom = ` FROM content_items c LEFT JOIN files f ON f.id = c.file_id`

func scanContent(row interface{ Scan(...any) error }) (*vouch.ContentItem, error) {
	c := &vouch.ContentItem{}
	var published, state, approved, expires string
	f := &vouch.ContentFile{}
	var fileAt sql.NullTime
	if err := row.Scan(&c.ID, &c.TypeID, &c.Title, &c.Summary, &c.Body, &c.URL, &c.TextStatus, &c.TextReason, &c.Language,
		&published, &c.OwnerID, &state, &approved, &c.ApprovedBy, &c.ApprovalMethod, &expires,
		&c.Version, &c.CreatedAt, &c.UpdatedAt,
		&f.ID, &f.Name, &f.MediaType, &f.Size, &f.SHA256, &fileAt); err != nil {
		return nil, err
	}
	c.PublishedOn, _ = vouch.ParseDate(published)
	c.ApprovedOn, _ = vouch.ParseDate(approved)
	c.ExpiresOn, _ = vouch.ParseDate(expires)
	c.State = vouch.ContentState(state)
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	if f.ID != 0 {
		if fileAt.Valid {
			f.CreatedAt = fileAt.Time.UTC()
		}
		c.File = f
	}
	c.Normalize() // empty lists, filled by addContentLinks
	return c, nil
}

// ContentItem reads one content item with its tags and featured accounts and references.
func (db *DB) ContentItem(ctx context.Context, id int64) (*vouch.ContentItem, error) {
	items, err := db.ContentItems(ctx, []int64{id})
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, notFound("Content item", id)
	}
	return items[0], nil
}

func (tx *Tx) contentItem(id int64) (*vouch.ContentItem, error) {
	items, err := readContent(tx.query, []int64{id}, false)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, notFound("Content item", id)
	}
	return items[0], nil
}

// ContentItems reads the items with the given ids (every item when ids is
// nil), in id order; ids that are gone are left out.
func (db *DB) ContentItems(ctx context.Context, ids []int64) ([]*vouch.ContentItem, error) {
	return readContent(func(q string, args ...any) (*sql.Rows, error) { return db.query(ctx, q, args...) }, ids, ids == nil)
}

// readContent reads items and their links, through the read pool or in a transaction.
func readContent(query func(string, ...any) (*sql.Rows, error), ids []int64, all bool) ([]*vouch.ContentItem, error) {
	if !all && len(ids) == 0 {
		return nil, nil
	}
	where, args := "", []any{}
	if !all {
		where = ` WHERE c.id IN (` + placeholders(len(ids)) + `)`
		for _, id := range ids {
			args = append(args, id)
		}
	}
	rows, err := query(`SELECT `+contentColumns+contentFrom+where+` ORDER BY c.id`, args...)
	if err != nil {
		return nil, err
	}
	var out []*vouch.ContentItem
	byID := map[int64]*vouch.ContentItem{}
	for rows.Next() {
		c, err := scanContent(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, c)
		byID[c.ID] = c
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	in := func(col string) string {
		if all {
			return ""
		}
		return ` WHERE ` + col + ` IN (` + placeholders(len(ids)) + `)`
	}
	links := []struct {
		query string
		add   func(c *vouch.ContentItem, kind string, id int64)
	}{
		{`SELECT content_id, kind, value_id FROM content_values` + in("content_id") + ` ORDER BY content_id, kind, value_id`,
			func(c *vouch.ContentItem, kind string, id int64) {
				k := vouch.TaxonomyKind(kind)
				c.SetTagIDs(k, append(c.TagIDs(k), id))
			}},
		{`SELECT content_id, '', account_id FROM content_accounts` + in("content_id") + ` ORDER BY content_id, account_id`,
			func(c *vouch.ContentItem, _ string, id int64) { c.AccountIDs = append(c.AccountIDs, id) }},
		{`SELECT content_id, '', ref_id FROM content_refs` + in("content_id") + ` ORDER BY content_id, ref_id`,
			func(c *vouch.ContentItem, _ string, id int64) { c.ReferenceIDs = append(c.ReferenceIDs, id) }},
	}
	for _, l := range links {
		rows, err := query(l.query, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var cid, vid int64
			var kind string
			if err := rows.Scan(&cid, &kind, &vid); err != nil {
				rows.Close()
				return nil, err
			}
			if c := byID[cid]; c != nil {
				l.add(c, kind, vid)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ContentFeaturing returns the ids of the items that feature an account or a
// reference (f names one), newest first.
func (db *DB) ContentFeaturing(ctx context.Context, f vouch.ContentFilter) ([]int64, error) {
	switch {
	case f.AccountID != 0:
		return db.ids(ctx, `SELECT content_id FROM content_accounts WHERE account_id = ? ORDER BY content_id DESC`, f.AccountID)
	case f.ReferenceID != 0:
		return db.ids(ctx, `SELECT content_id FROM content_refs WHERE ref_id = ? ORDER BY content_id DESC`, f.ReferenceID)
	}
	return nil, nil
}

// checkContentRefs checks what c points to exists: its type and tags,
// owner, featured accounts and references.
func (tx *Tx) checkContentRefs(c *vouch.ContentItem) error {
	if tx.valueKinds == nil {
		if err := tx.cacheLookups(); err != nil {
			return err
		}
	}
	var v vouch.Validation
	if err := tx.checkValue(&v, "type", vouch.TaxContentType, c.TypeID); err != nil {
		return err
	}
	for _, k := range vouch.ContentTagKinds {
		for _, id := range c.TagIDs(k) {
			if err := tx.checkValue(&v, string(k), k, id); err != nil {
				return err
			}
		}
	}
	if err := tx.checkUser(&v, "owner", c.OwnerID); err != nil {
		return err
	}
	for _, l := range []struct {
		field, table string
		ids          []int64
	}{{"accounts", "accounts", c.AccountIDs}, {"references", "refs", c.ReferenceIDs}} {
		if len(l.ids) == 0 {
			continue
		}
		args := make([]any, len(l.ids))
		for i, id := range l.ids {
			args[i] = id
		}
		found, err := tx.ids(`SELECT id FROM `+l.table+` WHERE id IN (`+placeholders(len(l.ids))+`)`, args...)
		if err != nil {
			return err
		}
		for _, id := range l.ids {
			if !slices.Contains(found, id) {
				v.Add(l.field, fmt.Sprintf("%d is not a known %s", id, strings.TrimSuffix(l.field, "s")))
			}
		}
	}
	return v.Err()
}

func (tx *Tx) setContentLinks(c *vouch.ContentItem) error {
	for _, q := range []string{`DELETE FROM content_values WHERE content_id = ?`,
		`DELETE FROM content_accounts WHERE content_id = ?`, `DELETE FROM content_refs WHERE content_id = ?`} {
		if _, err := tx.exec(q, c.ID); err != nil {
			return err
		}
	}
	for _, k := range vouch.ContentTagKinds {
		for _, id := range c.TagIDs(k) {
			if _, err := tx.exec(`INSERT INTO content_values (content_id, kind, value_id) VALUES (?, ?, ?)
				ON CONFLICT (content_id, kind, value_id) DO NOTHING`, c.ID, string(k), id); err != nil {
				return err
			}
		}
	}
	for _, id := range c.AccountIDs {
		if _, err := tx.exec(`INSERT INTO content_accounts (content_id, account_id) VALUES (?, ?)
			ON CONFLICT (content_id, account_id) DO NOTHING`, c.ID, id); err != nil {
			return err
		}
	}
	for _, id := range c.ReferenceIDs {
		if _, err := tx.exec(`INSERT INTO content_refs (content_id, ref_id) VALUES (?, ?)
			ON CONFLICT (content_id, ref_id) DO NOTHING`, c.ID, id); err != nil {
			return err
		}
	}
	return nil
}

func contentChanges(b, a *vouch.ContentItem) []vouch.Change {
	var ch []vouch.Change
	ch = vouch.Diff(ch, "type_id", b.TypeID, a.TypeID)
	ch = vouch.Diff(ch, "title", b.Title, a.Title)
	ch = vouch.Diff(ch, "summary", b.Summary, a.Summary)
	ch = vouch.Diff(ch, "body", b.Body, a.Body)
	ch = vouch.Diff(ch, "url", b.URL, a.URL)
	ch = vouch.Diff(ch, "language", b.Language, a.Language)
	ch = vouch.Diff(ch, "published_on", b.PublishedOn.String(), a.PublishedOn.String())
	ch = vouch.Diff(ch, "owner_id", b.OwnerID, a.OwnerID)
	ch = vouch.Diff(ch, "account_ids", idList(b.AccountIDs), idList(a.AccountIDs))
	ch = vouch.Diff(ch, "reference_ids", idList(b.ReferenceIDs), idList(a.ReferenceIDs))
	for _, k := range vouch.ContentTagKinds {
		ch = vouch.Diff(ch, string(k)+"_ids", idList(b.TagIDs(k)), idList(a.TagIDs(k)))
	}
	return ch
}

// idList prints ids sorted, so the audit compares sets.
func idList(ids []int64) string {
	s := slices.Clone(ids)
	slices.Sort(s)
	parts := make([]string, len(s))
	for i, id := range s {
		parts[i] = fmt.Sprint(id)
	}
	return strings.Join(parts, ", ")
}

// CreateContent stores a new item validated by the caller (content.Service,
// the content import), in the draft state unless c.State says otherwise,
// with the first entry of its approval history.
func (db *DB) CreateContent(ctx context.Context, c *vouch.ContentItem) error {
	return db.update(ctx, func(tx *Tx) error { return tx.createContent(c) })
}

// CreateContent adds an item inside a batch (the content import).
func (b *Batch) CreateContent(c *vouch.ContentItem) error { return b.tx.createContent(c) }

func (tx *Tx) createContent(c *vouch.ContentItem) error {
	c.Normalize()
	if err := tx.checkContentRefs(c); err != nil {
		return err
	}
	id, err := tx.insert(`INSERT INTO content_items (type_id, title, summary, body, url, text_status, text_reason, language,
		published_on, owner_id, state, approved_on, approved_by, approval_method, expires_on, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		c.TypeID, c.Title, c.Summary, c.Body, c.URL, c.TextStatus, c.TextReason, c.Language, c.PublishedOn.String(),
		nullID(c.OwnerID), string(c.State), c.ApprovedOn.String(), c.ApprovedBy, c.ApprovalMethod, c.ExpiresOn.String(),
		tx.now, tx.now)
	if err != nil {
		return err
	}
	c.ID, c.Version, c.CreatedAt, c.UpdatedAt = id, 1, tx.now, tx.now
	if err := tx.setContentLinks(c); err != nil {
		return err
	}
	if err := tx.contentEvent(id, "", vouch.ContentStateChange{To: c.State, ApprovedBy: c.ApprovedBy,
		Method: c.ApprovalMethod, ExpiresOn: c.ExpiresOn}); err != nil {
		return err
	}
	changes := contentChanges(&vouch.ContentItem{}, c)
	changes = vouch.Diff(changes, "state", "", string(c.State))
	changes = vouch.Diff(changes, "expires_on", "", c.ExpiresOn.String())
	return tx.audit("create", vouch.EntityContent, id, changes)
}

// UpdateContent saves c's fields, validated by the caller. c must carry the
// version it was read at; a save by someone else since is a conflict. The
// state changes only through ChangeContentState, the file through
// AttachContentFile.
func (db *DB) UpdateContent(ctx context.Context, c *vouch.ContentItem) error {
	return db.update(ctx, func(tx *Tx) error { return tx.updateContent(c) })
}

func (tx *Tx) updateContent(c *vouch.ContentItem) error {
	before, err := tx.contentItem(c.ID)
	if err != nil {
		return err
	}
	if c.Version != before.Version {
		return staleVersion("content item", before.Version)
	}
	c.State, c.ApprovedOn, c.ApprovedBy, c.ApprovalMethod, c.ExpiresOn = before.State, before.ApprovedOn, before.ApprovedBy, before.ApprovalMethod, before.ExpiresOn
	c.File, c.TextStatus, c.TextReason = before.File, before.TextStatus, before.TextReason
	c.Normalize()
	if err := tx.checkContentRefs(c); err != nil {
		return err
	}
	changes := contentChanges(before, c)
	if len(changes) == 0 {
		*c = *before
		return nil
	}
	res, err := tx.exec(`UPDATE content_items SET type_id = ?, title = ?, summary = ?, body = ?, url = ?, language = ?,
		published_on = ?, owner_id = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		c.TypeID, c.Title, c.Summary, c.Body, c.URL, c.Language, c.PublishedOn.String(), nullID(c.OwnerID), tx.now,
		c.ID, before.Version)
	if err != nil {
		return err
	}
	if err := savedAt(res, "content item", before.Version); err != nil {
		return err
	}
	if err := tx.setContentLinks(c); err != nil {
		return err
	}
	c.Version, c.CreatedAt, c.UpdatedAt = before.Version+1, before.CreatedAt, tx.now
	return tx.audit("update", vouch.EntityContent, c.ID, changes)
}

// ChangeContentState moves an item read at version (0: whatever it is now)
// along its approval lifecycle; vouch.CheckContentTransition decides the
// move against the item's state as of today, and an approval without an
// expiry date lasts consentMonths.
func (db *DB) ChangeContentState(ctx context.Context, id int64, version int, c vouch.ContentStateChange, consentMonths int) (*vouch.ContentItem, error) {
	var out *vouch.ContentItem
	err := db.update(ctx, func(tx *Tx) error {
		item, err := tx.changeContentState(id, version, c, consentMonths)
		out = item
		return err
	})
	return out, err
}

func (tx *Tx) changeContentState(id int64, version int, c vouch.ContentStateChange, consentMonths int) (*vouch.ContentItem, error) {
	item, err := tx.contentItem(id)
	if err != nil {
		return nil, err
	}
	if version != 0 && version != item.Version {
		return nil, staleVersion("content item", item.Version)
	}
	today := tx.today()
	from := item.EffectiveState(today)
	if c.To == vouch.ContentExpired && item.State.Approved() {
		from = item.State // recording the expiry that EffectiveState already shows
	}
	if err := vouch.CheckContentTransition(from, &c, today, consentMonths); err != nil {
		return nil, err
	}
	if c.FileID != 0 {
		var n int
		if err := tx.queryRow(`SELECT COUNT(*) FROM files WHERE id = ?`, c.FileID).Scan(&n); err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, &vouch.Error{Code: vouch.EINVALID, Message: "The approval document is not an uploaded file.",
				Fields: map[string]string{"file_id": "is not a known file"}}
		}
	}
	approvedOn, approvedBy, method := item.ApprovedOn, item.ApprovedBy, item.ApprovalMethod
	if c.To.Approved() {
		approvedOn, approvedBy, method = today, c.ApprovedBy, c.Method
	} else if c.To == vouch.ContentDraft || c.To == vouch.ContentAwaitingApproval {
		approvedOn, approvedBy, method = vouch.Date{}, "", ""
	}
	expires := c.ExpiresOn
	if c.To == vouch.ContentExpired {
		expires = item.ExpiresOn // when consent ended stays on record
	}
	res, err := tx.exec(`UPDATE content_items SET state = ?, approved_on = ?, approved_by = ?, approval_method = ?,
		expires_on = ?, reminded_on = '', version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		string(c.To), approvedOn.String(), approvedBy, method, expires.String(), tx.now, id, item.Version)
	if err != nil {
		return nil, err
	}
	if err := savedAt(res, "content item", item.Version); err != nil {
		return nil, err
	}
	if err := tx.contentEvent(id, from, c); err != nil {
		return nil, err
	}
	changes := []vouch.Change{{Field: "state", Before: string(item.State), After: string(c.To)}}
	changes = vouch.Diff(changes, "approved_by", item.ApprovedBy, approvedBy)
	changes = vouch.Diff(changes, "approval_method", item.ApprovalMethod, method)
	changes = vouch.Diff(changes, "expires_on", item.ExpiresOn.String(), expires.String())
	item.State, item.ApprovedOn, item.ApprovedBy, item.ApprovalMethod, item.ExpiresOn = c.To, approvedOn, approvedBy, method, expires
	item.Version, item.UpdatedAt = item.Version+1, tx.now
	return item, tx.audit("state", vouch.EntityContent, id, changes)
}

func (tx *Tx) contentEvent(id int64, from vouch.ContentState, c vouch.ContentStateChange) error {
	_, err := tx.exec(`INSERT INTO content_state_events (content_id, from_state, to_state, approved_by, method, note, file_id,
		expires_on, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, string(from), string(c.To), c.ApprovedBy, c.Method,
		c.Note, nullID(c.FileID), c.ExpiresOn.String(), vouch.ActorFrom(tx.ctx).Label, tx.now)
	return err
}

// ContentHistory returns an item's approval history, oldest first.
func (db *DB) ContentHistory(ctx context.Context, id int64) ([]vouch.ContentStateEvent, error) {
	rows, err := db.query(ctx, `SELECT id, from_state, to_state, approved_by, method, note, COALESCE(file_id, 0), expires_on,
		actor, at FROM content_state_events WHERE content_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []vouch.ContentStateEvent{}
	for rows.Next() {
		var e vouch.ContentStateEvent
		var from, to, expires string
		if err := rows.Scan(&e.ID, &from, &to, &e.ApprovedBy, &e.Method, &e.Note, &e.FileID, &expires, &e.Actor, &e.At); err != nil {
			return nil, err
		}
		e.From, e.To, e.At = vouch.ContentState(from), vouch.ContentState(to), e.At.UTC()
		e.ExpiresOn, _ = vouch.ParseDate(expires)
		out = append(out, e)
	}
	return out, rows.Err()
}

// DeleteContent removes an item with its history, uses and ratings. Its
// file stays while an approval document or another item refers to it.
func (db *DB) DeleteContent(ctx context.Context, id int64) error {
	return db.update(ctx, func(tx *Tx) error {
		item, err := tx.contentItem(id)
		if err != nil {
			return err
		}
		if _, err := tx.exec(`DELETE FROM content_items WHERE id = ?`, id); err != nil {
			return err
		}
		return tx.audit("delete", vouch.EntityContent, id, []vouch.Change{{Field: "title", Before: item.Title}})
	})
}

// ContentText returns the words extracted from an item's file ("" when none).
func (db *DB) ContentText(ctx context.Context, id int64) (string, error) {
	var text string
	err := db.queryRow(ctx, `SELECT text FROM content_texts WHERE content_id = ?`, id).Scan(&text)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return text, err
}

// ContentTexts returns the extracted words of the items with the given ids
// (every item's when ids is nil), by item id.
func (db *DB) ContentTexts(ctx context.Context, ids []int64) (map[int64]string, error) {
	q, args := `SELECT content_id, text FROM content_texts`, []any{}
	if ids != nil {
		if len(ids) == 0 {
			return map[int64]string{}, nil
		}
		q += ` WHERE content_id IN (` + placeholders(len(ids)) + `)`
		for _, id := range ids {
			args = append(args, id)
		}
	}
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var text string
		if err := rows.Scan(&id, &text); err != nil {
			return nil, err
		}
		out[id] = text
	}
	return out, rows.Err()
}

// SetContentText records the outcome of extracting an item's file: its
// words (status extracted) or why they could not be read (unreadable).
// fileID is the file extracted: if another was uploaded since, the outcome
// is stale and nothing is written.
func (db *DB) SetContentText(ctx context.Context, id, fileID int64, status, reason, text string) error {
	return db.update(ctx, func(tx *Tx) error {
		var cur sql.NullInt64
		var before string
		err := tx.queryRow(`SELECT file_id, text_status FROM content_items WHERE id = ?`, id).Scan(&cur, &before)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // deleted meanwhile
		} else if err != nil {
			return err
		}
		if !cur.Valid || cur.Int64 != fileID {
			return nil
		}
		if _, err := tx.exec(`UPDATE content_items SET text_status = ?, text_reason = ? WHERE id = ?`, status, reason, id); err != nil {
			return err
		}
		if _, err := tx.exec(`DELETE FROM content_texts WHERE content_id = ?`, id); err != nil {
			return err
		}
		if text != "" {
			if _, err := tx.exec(`INSERT INTO content_texts (content_id, text) VALUES (?, ?)`, id, text); err != nil {
				return err
			}
		}
		return tx.audit("text", vouch.EntityContent, id, []vouch.Change{{Field: "text_status", Before: before, After: status},
			{Field: "text_words", After: len(strings.Fields(text))}})
	})
}

// AttachContentFile makes fileID the item's file, its text waiting for
// extraction (textStatus pending) or none for a type without text.
func (db *DB) AttachContentFile(ctx context.Context, id, fileID int64, textStatus string) (*vouch.ContentItem, error) {
	var out *vouch.ContentItem
	err := db.update(ctx, func(tx *Tx) error {
		item, err := tx.contentItem(id)
		if err != nil {
			return err
		}
		var name string
		if err := tx.queryRow(`SELECT name FROM files WHERE id = ?`, fileID).Scan(&name); err != nil {
			return mapError(err)
		}
		if _, err := tx.exec(`UPDATE content_items SET file_id = ?, text_status = ?, text_reason = '', version = version + 1,
			updated_at = ? WHERE id = ?`, fileID, textStatus, tx.now, id); err != nil {
			return err
		}
		if _, err := tx.exec(`DELETE FROM content_texts WHERE content_id = ?`, id); err != nil {
			return err
		}
		before := ""
		if item.File != nil {
			before = item.File.Name
		}
		if err := tx.audit("file", vouch.EntityContent, id, []vouch.Change{{Field: "file", Before: before, After: name}}); err != nil {
			return err
		}
		out, err = tx.contentItem(id)
		return err
	})
	return out, err
}

// ContentExpiring returns the items approved for use whose consent ends on
// or before day, soonest first, with the day their owner was last reminded.
func (db *DB) ContentExpiring(ctx context.Context, day vouch.Date) ([]*vouch.ContentItem, map[int64]vouch.Date, error) {
	ids, err := db.ids(ctx, `SELECT id FROM content_items WHERE state IN (?, ?) AND expires_on <> '' AND expires_on <= ?
		ORDER BY expires_on, id`, string(vouch.ContentApprovedExternal), string(vouch.ContentApprovedInternal), day.String())
	if err != nil {
		return nil, nil, err
	}
	items, err := db.ContentItems(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	slices.SortStableFunc(items, func(a, b *vouch.ContentItem) int {
		return strings.Compare(a.ExpiresOn.String(), b.ExpiresOn.String())
	})
	reminded := map[int64]vouch.Date{}
	rows, err := db.query(ctx, `SELECT id, reminded_on FROM content_items WHERE reminded_on <> '' AND expires_on <= ?`, day.String())
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var on string
		if err := rows.Scan(&id, &on); err != nil {
			return nil, nil, err
		}
		reminded[id], _ = vouch.ParseDate(on)
	}
	return items, reminded, rows.Err()
}

// MarkContentReminded records that the owner of an item was told its
// consent ends soon, so they are told once.
func (db *DB) MarkContentReminded(ctx context.Context, id int64, day vouch.Date) error {
	return db.update(ctx, func(tx *Tx) error {
		if _, err := tx.exec(`UPDATE content_items SET reminded_on = ? WHERE id = ?`, day.String(), id); err != nil {
			return err
		}
		return tx.audit("remind", vouch.EntityContent, id, []vouch.Change{{Field: "reminded_on", After: day.String()}})
	})
}

// ExpireContent records as expired every approved item whose consent ended
// by today, each with an entry in its history; it returns how many.
func (db *DB) ExpireContent(ctx context.Context) (int, error) {
	n := 0
	err := db.update(ctx, func(tx *Tx) error {
		ids, err := tx.ids(`SELECT id FROM content_items WHERE state IN (?, ?) AND expires_on <> '' AND expires_on <= ?`,
			string(vouch.ContentApprovedExternal), string(vouch.ContentApprovedInternal), tx.today().String())
		if err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := tx.changeContentState(id, 0, vouch.ContentStateChange{To: vouch.ContentExpired,
				Note: "Consent ended."}, 0); err != nil {
				return err
			}
		}
		n = len(ids)
		return nil
	})
	return n, err
}

// ReferenceIDByEmail returns the id of the reference with the email (0 when none has it).
func (db *DB) ReferenceIDByEmail(ctx context.Context, email string) (int64, error) {
	ids, err := db.ids(ctx, `SELECT id FROM refs WHERE email = ?`, vouch.NormalizeEmail(email))
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	return ids[0], nil
}

// ContentStats returns the use counts and ratings of the items with the
// given ids (every item's when ids is nil), by item id; items never used
// nor rated are left out.
func (db *DB) ContentStats(ctx context.Context, ids []int64) (map[int64]vouch.ContentStats, error) {
	out := map[int64]vouch.ContentStats{}
	where, args := "", []any{}
	if ids != nil {
		if len(ids) == 0 {
			return out, nil
		}
		where = ` WHERE content_id IN (` + placeholders(len(ids)) + `)`
		for _, id := range ids {
			args = append(args, id)
		}
	}
	rows, err := db.query(ctx, `SELECT content_id, SUM(CASE WHEN kind = 'proof_view' THEN 0 ELSE 1 END),
		SUM(CASE WHEN kind = 'proof_view' THEN 1 ELSE 0 END), MAX(at) FROM content_uses`+where+` GROUP BY content_id`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var s vouch.ContentStats
		var last any
		if err := rows.Scan(&id, &s.Uses, &s.Views, &last); err != nil {
			rows.Close()
			return nil, err
		}
		if t, ok := db.timestampOf(last); ok {
			s.LastUsed = &t
		}
		out[id] = s
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = db.query(ctx, `SELECT content_id, COUNT(*), AVG(CAST(rating AS REAL)) FROM content_ratings`+where+` GROUP BY content_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n int
		var avg float64
		if err := rows.Scan(&id, &n, &avg); err != nil {
			return nil, err
		}
		s := out[id]
		s.Ratings, s.AverageRating = n, avg
		out[id] = s
	}
	return out, rows.Err()
}

// ReferenceNames returns the names of the references with the given ids
// (every reference's when ids is nil).
func (db *DB) ReferenceNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if ids != nil && len(ids) == 0 {
		return out, nil
	}
	q, args := `SELECT id, name FROM refs`, make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	if ids != nil {
		q += ` WHERE id IN (` + placeholders(len(ids)) + `)`
	}
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = name
	}
	return out, rows.Err()
}
