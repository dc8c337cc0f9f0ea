package references

import (
	"context"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Recruiting: a reference created or brought back to active because a
// nomination of them was accepted. The caller's then runs in the same
// transaction, so the nomination is never marked accepted without its
// reference, nor the reference saved without the nomination's credit.

// CreateReferenceThen is CreateReference with then run in its transaction,
// once the reference is stored.
func (s *Service) CreateReferenceThen(ctx context.Context, in vouch.ReferenceInput, then func(b *store.Batch, ref *vouch.Reference) error) (*Saved, error) {
	return s.createReference(ctx, in, then)
}

// Reactivate brings reference id back to active along its lifecycle
// (vouch.ReactivationPath: through qualifying when it must), each move
// recorded with reason, and runs then in the same transaction.
func (s *Service) Reactivate(ctx context.Context, id int64, reason string, then func(b *store.Batch, ref *vouch.Reference) error) (*vouch.Reference, error) {
	var saved *vouch.Reference
	err := s.db.Batch(ctx, func(b *store.Batch) error {
		ref, err := b.Reference(id)
		if err != nil {
			return err
		}
		path, err := vouch.ReactivationPath(ref.Status)
		if err != nil {
			return err
		}
		for _, to := range path {
			if ref, err = b.ChangeStatusAt(id, ref.Version, vouch.StatusChange{To: to, Reason: reason}); err != nil {
				return err
			}
		}
		saved = ref
		return then(b, ref)
	})
	if err != nil {
		return nil, err
	}
	return saved, nil
}
