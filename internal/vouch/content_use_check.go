package vouch

import "slices"

// CheckContentUse says whether an item in effective state s, with or
// without a file, may be used in the way kind: only approved items are
// used at all; only approved-for-external ones go on a proof page (to a
// buyer); a download needs a file. An internal-only item may still have its
// link copied or its file downloaded, for use inside the company.
func CheckContentUse(s ContentState, kind string, hasFile bool) error {
	var v Validation
	if !slices.Contains(UseKinds, kind) {
		v.Add("kind", "must be one of copy_link, download, proof_page")
		return v.Err()
	}
	switch {
	case !s.Approved():
		return &Error{Code: EINVALID, Message: "Only approved content can be used; this item is " + lowerFirst(s.Label()) + ".",
			Fields: map[string]string{"kind": "is not possible: the item is " + string(s)}}
	case kind == UseProofPage && !ContentShareable(s):
		return &Error{Code: EINVALID, Message: "This item is approved for internal use only: it cannot be sent to a buyer.",
			Fields: map[string]string{"kind": "is not possible: the item is for internal use only"}}
	case kind == UseDownload && !hasFile:
		return &Error{Code: EINVALID, Message: "This item has no file to download.",
			Fields: map[string]string{"kind": "is not possible: the item has no file"}}
	}
	return nil
}

// CheckContentRating says whether an item in effective state s may be
// rated: one that was approved (also once its consent has expired, since
// it may have helped before), never a draft or a withdrawn one.
func CheckContentRating(s ContentState) error {
	if s.Approved() || s == ContentExpired {
		return nil
	}
	return &Error{Code: EINVALID, Message: "Only content that was approved can be rated; this item is " + lowerFirst(s.Label()) + ".",
		Fields: map[string]string{"rating": "is not possible: the item is " + string(s)}}
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	b := []byte(s)
	if b[0] >= 'A' && b[0] <= 'Z' {
		b[0] += 'a' - 'A'
	}
	return string(b)
}
