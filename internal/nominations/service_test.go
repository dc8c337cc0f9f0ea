package nominations_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/nominations"
	"github.com/vouchhq/vouch/internal/references"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

var ctx = vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})

func str(s string) *string { return &s }

// newService is the service over db with its duplicate index on a change
// feed, as the server wires it.
func newService(t *testing.T, db *store.DB) (*nominations.Service, *references.Service) {
	t.Helper()
	feed, cat, _ := testutil.ReadModels(t, db)
	ix := nominations.NewIndex(db)
	if _, err := feed.Subscribe(ctx, "duplicates", nominations.Kinds, ix); err != nil {
		t.Fatal(err)
	}
	refs := references.New(db, cat)
	s := nominations.New(db, refs, ix)
	s.SetBaseURL("https://vouch.example.com")
	return s, refs
}

// known adds the accounts and references the tests compare nominations with.
func known(t *testing.T, refs *references.Service) (robert, liz, retired int64) {
	t.Helper()
	add := func(account, name, email, crm, status string) int64 {
		in := vouch.ReferenceInput{Account: str(account), CreateAccount: true, Name: str(name), Status: str(status)}
		if email != "" {
			in.Email = str(email)
		}
		if crm != "" {
			in.CRMID = str(crm)
		}
		if status == "retired" {
			in.Status = str("active")
		}
		saved, err := refs.CreateReference(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if status == "retired" {
			if _, err := refs.ChangeStatus(ctx, saved.Reference.ID, 0, vouch.StatusChange{To: vouch.StatusRetired, Reason: "left the project"}); err != nil {
				t.Fatal(err)
			}
		}
		return saved.Reference.ID
	}
	robert = add("Acme, Inc.", "Robert Smith", "robert.smith@acme.com", "003ROB", "active")
	liz = add("Globex", "Elizabeth Moreno", "emoreno@globex.io", "", "active")
	retired = add("Initech", "William Ng", "bill@initech.com", "", "retired")
	add("Acme Health", "Rachel Smith", "rachel@acmehealth.org", "", "active")
	return
}

func kinds(ds []vouch.Duplicate) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Kind+":"+d.Label+" ("+strings.Join(d.Reasons, "; ")+")")
	}
	return out
}

func has(ds []vouch.Duplicate, kind string, id int64, reason string) bool {
	for _, d := range ds {
		if d.Kind == kind && (id == 0 || d.ID == id) && strings.Contains(strings.Join(d.Reasons, "; "), reason) {
			return true
		}
	}
	return false
}

func TestDuplicatesOfHandBuiltNearDuplicates(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		s, refs := newService(t, db)
		robert, liz, _ := known(t, refs)
		for _, c := range []struct {
			name   string
			probe  vouch.DuplicateProbe
			kind   string
			id     int64
			reason string
		}{
			{"a typo in the surname", vouch.DuplicateProbe{AccountName: "Acme", Name: "Robert Smtih"}, vouch.DuplicateReference, robert, "one letter apart"},
			{"a different case", vouch.DuplicateProbe{AccountName: "ACME INC", Name: "ROBERT SMITH"}, vouch.DuplicateReference, robert, "same name written differently"},
			{"a nickname", vouch.DuplicateProbe{AccountName: "Acme", Name: "Bob Smith"}, vouch.DuplicateReference, robert, "nickname: Bob is Robert"},
			{"Liz for Elizabeth by the email domain", vouch.DuplicateProbe{AccountName: "Globex Corporation", Name: "Liz Moreno", Email: "liz@globex.io"}, vouch.DuplicateReference, liz, "nickname: Liz is Elizabeth"},
			{"the same email in another case", vouch.DuplicateProbe{AccountName: "Someone", Name: "R. S.", Email: "Robert.Smith@ACME.com"}, vouch.DuplicateReference, robert, "same email"},
			{"the same CRM id", vouch.DuplicateProbe{AccountName: "Other", Name: "X Y", CRMID: "003rob"}, vouch.DuplicateReference, robert, "same CRM id"},
			{"the account with a typo", vouch.DuplicateProbe{AccountName: "Acmee", Name: "New Person"}, vouch.DuplicateAccount, 0, "similar name"},
		} {
			got := s.Duplicates(c.probe)
			if !has(got, c.kind, c.id, c.reason) {
				t.Errorf("%s: got %v, want %s %d with %q", c.name, kinds(got), c.kind, c.id, c.reason)
			}
		}
		// Look-alikes that are other people or companies.
		for _, probe := range []vouch.DuplicateProbe{
			{AccountName: "Acme Health", Name: "Roberta Smithers"},
			{AccountName: "Umbrella", Name: "Robert Smith", Email: "robert@umbrella.com"},
			{AccountName: "Globex", Name: "Elena Moreno"},
			{AccountName: "Acme", Name: "Bob Smith", Email: "bob.smith@gmail.com", CRMID: ""},
		} {
			got := s.Duplicates(probe)
			for _, d := range got {
				if d.Kind != vouch.DuplicateAccount && (probe.Name != "Bob Smith" || d.ID != robert) {
					t.Errorf("%+v: %s is no duplicate (%v)", probe, d.Label, d.Reasons)
				}
			}
		}
	})
}

func TestNominateQualifyAcceptTellsTheNominator(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		s, refs := newService(t, db)
		robert, _, retired := known(t, refs)
		seller := testutil.CreateUser(t, db, "sam@vouch.example", vouch.RoleSeller)
		other := testutil.CreateUser(t, db, "oli@vouch.example", vouch.RoleSeller)
		team := testutil.CreateUser(t, db, "tess@vouch.example", vouch.RoleTeamMember)

		n, dups, err := s.Submit(ctx, seller, vouch.Nomination{AccountName: "Acme", Name: "Bob Smith", Reason: "Loves the product"})
		if err != nil {
			t.Fatal(err)
		}
		if !has(dups, vouch.DuplicateReference, robert, "nickname") {
			t.Errorf("duplicates %v", kinds(dups))
		}
		// A second nomination of the same person finds the first one open.
		_, dups2, err := s.Submit(ctx, other, vouch.Nomination{AccountName: "ACME", Name: "Bob Smith", Reason: "Great call last week"})
		if err != nil {
			t.Fatal(err)
		}
		if !has(dups2, vouch.DuplicateNomination, n.ID, "same name") {
			t.Errorf("open nomination not found: %v", kinds(dups2))
		}
		// Only the nominator and the team see it.
		if _, err := s.Get(ctx, other, n.ID); vouch.ErrorCode(err) != vouch.ENOTFOUND {
			t.Errorf("another seller read it: %v", err)
		}
		if _, err := s.Qualify(ctx, seller, n.ID, n.Version, nil); vouch.ErrorCode(err) != vouch.EFORBIDDEN {
			t.Errorf("a seller qualified: %v", err)
		}
		// The checklist must be met in full before accepting.
		if _, err := s.Accept(ctx, team, n.ID, n.Version, 0); vouch.ErrorCode(err) != vouch.EINVALID {
			t.Errorf("accepted while open: %v", err)
		}
		if _, err := s.Qualify(ctx, team, n.ID, n.Version, []string{"live_6_months"}); !strings.Contains(err.Error(), "sponsor") {
			t.Errorf("qualified with one item of four: %v", err)
		}
		var all []string
		for _, it := range vouch.DefaultChecklist {
			all = append(all, it.Key)
		}
		q, err := s.Qualify(ctx, team, n.ID, n.Version, all)
		if err != nil {
			t.Fatal(err)
		}
		// Re-activating the duplicate reference is refused for do-not-contact,
		// and creating a new one works.
		acc, err := s.Accept(ctx, team, n.ID, q.Version, 0)
		if err != nil {
			t.Fatal(err)
		}
		if acc.Reference.Status != vouch.StatusActive || acc.Reference.Name != "Bob Smith" || acc.Nomination.ReferenceID != acc.Reference.ID ||
			acc.Nomination.DecidedBy != team.ID || acc.Nomination.NominatorID != seller.ID {
			t.Errorf("accepted: %+v / %+v", acc.Nomination, acc.Reference)
		}
		acct, err := db.Account(ctx, acc.Reference.AccountID)
		if err != nil || acct.Name != "Acme, Inc." && acct.Name != "Acme" {
			t.Errorf("account %+v %v", acct, err)
		}
		notes, unread, err := db.Notifications(ctx, seller.ID, 10)
		if err != nil || unread != 1 || !strings.Contains(notes[0].Body, "accepted") {
			t.Errorf("nominator's notifications %+v (%d unread) %v", notes, unread, err)
		}
		mails, _, err := db.ListOutbox(ctx, vouch.OutboxFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(outboxTo(mails), "sam@vouch.example") {
			t.Errorf("no mail to the nominator: %s", outboxTo(mails))
		}

		// A nomination with a known reference's email is not made a second reference.
		n4, _, err := s.Submit(ctx, team, vouch.Nomination{AccountName: "Acme", Name: "R. Smith", Email: "robert.smith@acme.com", Reason: "again"})
		if err != nil {
			t.Fatal(err)
		}
		q4, err := s.Qualify(ctx, team, n4.ID, n4.Version, all)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Accept(ctx, team, n4.ID, q4.Version, 0); !strings.Contains(vouch.ErrorFields(err)["reference_id"], "the reference with this email") {
			t.Errorf("a second reference with the same email: %v", err)
		}
		if acc4, err := s.Accept(ctx, team, n4.ID, q4.Version, robert); err != nil || acc4.Reference.ID != robert || !acc4.Reactivated {
			t.Errorf("re-activating an active reference: %+v %v", acc4, err)
		}

		// A retired reference comes back through qualifying.
		n3, _, err := s.Submit(ctx, team, vouch.Nomination{AccountName: "Initech", Name: "Bill Ng", Reason: "Back on the project"})
		if err != nil {
			t.Fatal(err)
		}
		q3, err := s.Qualify(ctx, team, n3.ID, n3.Version, all)
		if err != nil {
			t.Fatal(err)
		}
		acc3, err := s.Accept(ctx, team, n3.ID, q3.Version, retired)
		if err != nil {
			t.Fatal(err)
		}
		if !acc3.Reactivated || acc3.Reference.Status != vouch.StatusActive || acc3.Reference.ID != retired {
			t.Errorf("re-activated %+v", acc3)
		}
		history, err := db.StatusHistory(ctx, retired)
		if err != nil {
			t.Fatal(err)
		}
		if last := history[len(history)-1]; last.To != vouch.StatusActive || !strings.Contains(last.Reason, "nomination") {
			t.Errorf("history %+v", history)
		}
	})
}

func outboxTo(ms []vouch.OutboxMail) string {
	var to []string
	for _, m := range ms {
		to = append(to, m.To)
	}
	return strings.Join(to, ", ")
}

func TestRejectNeedsAReasonAndTellsTheNominator(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		s, _ := newService(t, db)
		seller := testutil.CreateUser(t, db, "sam@vouch.example", vouch.RoleSeller)
		team := testutil.CreateUser(t, db, "tess@vouch.example", vouch.RoleProgramManager)
		if _, _, err := s.Submit(ctx, seller, vouch.Nomination{Email: "nope"}); len(vouch.ErrorFields(err)) < 4 {
			t.Errorf("every problem at once: %v", vouch.ErrorFields(err))
		}
		if _, _, err := s.Submit(ctx, seller, vouch.Nomination{AccountName: "A", Name: "B C", Reason: "r", Activities: []string{"Kall"}}); vouch.ErrorFields(err)["activities"] == "" {
			t.Errorf("unknown activity type: %v", err)
		}
		n, _, err := s.Submit(ctx, seller, vouch.Nomination{AccountName: "Hooli", Name: "Gavin Belson", Reason: "Big logo", Activities: []string{"Call"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Reject(ctx, team, n.ID, n.Version, "  "); vouch.ErrorFields(err)["reason"] == "" {
			t.Errorf("rejected without a reason: %v", err)
		}
		r, err := s.Reject(ctx, team, n.ID, n.Version, "Account in an escalation")
		if err != nil {
			t.Fatal(err)
		}
		if r.State != vouch.NominationRejected || r.RejectReason != "Account in an escalation" {
			t.Errorf("%+v", r)
		}
		notes, _, _ := db.Notifications(ctx, seller.ID, 10)
		if len(notes) != 1 || !strings.Contains(notes[0].Body, "Account in an escalation") {
			t.Errorf("notifications %+v", notes)
		}
		if _, err := s.Reject(ctx, team, n.ID, r.Version, "again"); vouch.ErrorCode(err) != vouch.EINVALID {
			t.Errorf("rejected twice: %v", err)
		}
		// A decided nomination leaves the duplicate index.
		if got := s.Duplicates(vouch.DuplicateProbe{AccountName: "Hooli", Name: "Gavin Belson"}); len(got) != 0 {
			t.Errorf("a rejected nomination is still a duplicate: %v", kinds(got))
		}
		// The checklist is the program's.
		items, err := s.SetChecklist(ctx, team, "Referenceable use case\nSigned the logo release")
		if err != nil || len(items) != 2 || items[1].Key != "signed_the_logo_release" {
			t.Errorf("checklist %+v %v", items, err)
		}
		if _, err := s.SetChecklist(ctx, seller, "x"); vouch.ErrorCode(err) != vouch.EFORBIDDEN {
			t.Errorf("a seller set the checklist: %v", err)
		}
	})
}
