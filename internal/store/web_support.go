package store

import "context"

// AuditActions lists the actions present in the log (create, update, login, …),
// for the audit page's filter menu.
func (db *DB) AuditActions(ctx context.Context) ([]string, error) {
	rows, err := db.query(ctx, `SELECT DISTINCT action FROM audit_log ORDER BY action`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
