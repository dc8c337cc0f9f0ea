package store

import (
	"database/sql"
	"errors"
)

// oppAt is an opportunity's stage and amount at one moment: what a
// request, an activity or a content use tied to it records as its "stage
// at request", so deals are compared at the stage they were in.
type oppAt struct {
	stage  string
	amount any // hundredths, or nil when nothing is tied
}

// oppNow reads the opportunity's stage and amount inside the transaction
// that ties a row to it, so the two cannot drift apart. No opportunity
// (id 0, or one deleted meanwhile) gives an empty stage and no amount.
func (tx *Tx) oppNow(id int64) (oppAt, error) {
	if id == 0 {
		return oppAt{}, nil
	}
	var stage string
	var amount int64
	err := tx.queryRow(`SELECT stage, amount FROM opportunities WHERE id = ?`, id).Scan(&stage, &amount)
	if errors.Is(err, sql.ErrNoRows) {
		return oppAt{}, nil
	}
	if err != nil {
		return oppAt{}, err
	}
	return oppAt{stage: stage, amount: amount}, nil
}

// cents is the amount as the domain types hold it (0: none recorded).
func (o oppAt) cents() int64 {
	if v, ok := o.amount.(int64); ok {
		return v
	}
	return 0
}
