package demo

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/vouchhq/vouch/internal/catalog"
	"github.com/vouchhq/vouch/internal/nominations"
	"github.com/vouchhq/vouch/internal/references"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// loadNominations adds a few nominations by the demo's sellers, unless the
// database has some: one of a person who is already a reference (a letter
// left out of the surname, so the duplicate warning shows), one of someone
// new, and one the team has qualified, waiting to be accepted. They go
// through the nominations service, as a seller's form would.
func loadNominations(ctx context.Context, db *store.DB) error {
	if have, err := db.Nominations(ctx, store.NominationFilter{}); err != nil || len(have) > 0 {
		return err
	}
	users, err := db.ListUsers(ctx)
	if err != nil {
		return err
	}
	var sellers, team []*vouch.User
	for _, u := range users {
		switch u.Role {
		case vouch.RoleSeller:
			sellers = append(sellers, u)
		case vouch.RoleTeamMember, vouch.RoleProgramManager:
			team = append(team, u)
		}
	}
	refs, err := db.DuplicateReferences(ctx, nil)
	if err != nil {
		return err
	}
	if len(sellers) == 0 || len(team) == 0 || len(refs) == 0 {
		return nil
	}
	slices.SortFunc(refs, func(a, b store.DuplicatePeople) int { return cmp.Compare(a.ID, b.ID) }) // PostgreSQL's order varies
	cat := catalog.New(db)
	if err := cat.Load(ctx); err != nil {
		return err
	}
	ix := nominations.NewIndex(db)
	if err := ix.Load(ctx); err != nil {
		return err
	}
	svc := nominations.New(db, references.New(db, cat), ix)
	known := refs[len(refs)/2]
	first, last, _ := strings.Cut(known.Name, " ")
	if len(last) > 4 {
		last = last[:2] + last[3:]
	}
	seller := sellers[0]
	as := vouch.WithActor(ctx, vouch.UserActor(seller))
	for _, n := range []vouch.Nomination{
		{AccountName: known.AccountName, Name: first + " " + last, Title: "Director of Operations",
			Reason: "Told me on our QBR call they would gladly speak to a peer.", Activities: []string{"Call"}},
		{AccountName: "Lumen Logistics", Name: "Hana Sato", Email: "hana.sato@lumenlogistics.example", Title: "VP Supply Chain",
			Reason: "Cut their planning time in half and presented it at our user day."},
	} {
		if _, _, err := svc.Submit(as, seller, n); err != nil {
			return fmt.Errorf("demo nomination %s: %w", n.Name, err)
		}
	}
	lead := team[0]
	n, _, err := svc.Submit(vouch.WithActor(ctx, vouch.UserActor(lead)), lead, vouch.Nomination{AccountName: "Quarry Health",
		Name: "Omar Reyes", Email: "omar.reyes@quarryhealth.example", Title: "CIO", Reason: "Our champion in the renewal; an executive sponsor."})
	if err != nil {
		return fmt.Errorf("demo nomination: %w", err)
	}
	checklist, err := svc.Checklist(ctx)
	if err != nil {
		return err
	}
	var keys []string
	for _, it := range checklist {
		keys = append(keys, it.Key)
	}
	if _, err := svc.Qualify(vouch.WithActor(ctx, vouch.UserActor(lead)), lead, n.ID, n.Version, keys); err != nil {
		return fmt.Errorf("demo nomination: %w", err)
	}
	return nil
}
