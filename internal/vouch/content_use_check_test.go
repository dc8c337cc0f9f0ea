package vouch

import "testing"

func TestCheckContentUse(t *testing.T) {
	for _, c := range []struct {
		state   ContentState
		kind    string
		hasFile bool
		ok      bool
	}{
		{ContentApprovedExternal, UseCopyLink, false, true},
		{ContentApprovedExternal, UseDownload, true, true},
		{ContentApprovedExternal, UseDownload, false, false},
		{ContentApprovedExternal, UseProofPage, false, true},
		{ContentApprovedInternal, UseCopyLink, false, true},
		{ContentApprovedInternal, UseDownload, true, true},
		{ContentApprovedInternal, UseProofPage, false, false},
		{ContentDraft, UseCopyLink, false, false},
		{ContentAwaitingApproval, UseCopyLink, false, false},
		{ContentExpired, UseCopyLink, false, false},
		{ContentWithdrawn, UseDownload, true, false},
		{ContentApprovedExternal, UseProofView, false, false}, // recorded by the proof page, not a person
		{ContentApprovedExternal, "print", false, false},
	} {
		err := CheckContentUse(c.state, c.kind, c.hasFile)
		if (err == nil) != c.ok {
			t.Errorf("%s %s file=%v: got %v, want ok=%v", c.state, c.kind, c.hasFile, err, c.ok)
		}
		if err != nil && len(ErrorFields(err)) == 0 {
			t.Errorf("%s %s: error names no field: %v", c.state, c.kind, err)
		}
	}
}

func TestCheckContentRating(t *testing.T) {
	for s, ok := range map[ContentState]bool{ContentApprovedExternal: true, ContentApprovedInternal: true,
		ContentExpired: true, ContentDraft: false, ContentAwaitingApproval: false, ContentWithdrawn: false} {
		if err := CheckContentRating(s); (err == nil) != ok {
			t.Errorf("%s: got %v, want ok=%v", s, err, ok)
		}
	}
}
