package vouch

import "strings"

// EntityKind names a kind of entity as the audit log records it. The names
// are stored in the log, so they never change once written.
type EntityKind string

// The kinds of entity the audit log records.
const (
	EntityReference        EntityKind = "reference"
	EntityAccount          EntityKind = "account"
	EntityActivity         EntityKind = "activity"
	EntityTaxonomyValue    EntityKind = "taxonomy_value"
	EntitySetting          EntityKind = "setting" // logged per key, as "setting:<key>" (see SettingKind)
	EntityUser             EntityKind = "user"
	EntityAPIToken         EntityKind = "api_token"
	EntityOpportunity      EntityKind = "opportunity"
	EntityRequest          EntityKind = "request"
	EntityAsk              EntityKind = "ask"
	EntityFeedback         EntityKind = "feedback"
	EntityActivityTypeRule EntityKind = "activity_type_rule"
	EntityOutbox           EntityKind = "outbox"
	EntityContent          EntityKind = "content"
	// A use or a rating is an event of a content item: its audit entry's
	// entity id is the item's, so the content index follows it by the item.
	EntityContentUse     EntityKind = "content_use"
	EntityContentRating  EntityKind = "content_rating"
	EntityProofPage      EntityKind = "proof_page"
	EntityContentRequest EntityKind = "content_request"
	EntityFile           EntityKind = "file"
	EntityGoal           EntityKind = "goal"
)

// SettingKind is the kind the audit log records a change of setting key under.
func SettingKind(key string) EntityKind { return EntitySetting + ":" + EntityKind(key) }

// Base is the kind without its detail: EntitySetting for "setting:capacity_default".
// Read models subscribe to base kinds.
func (k EntityKind) Base() EntityKind {
	if i := strings.IndexByte(string(k), ':'); i >= 0 {
		return k[:i]
	}
	return k
}

// Touched names one entity a committed write changed.
type Touched struct {
	Kind EntityKind
	ID   int64 // 0 for entities without an id (settings, the outbox)
}

// ChangeNotice is an audit entry seen as a change: which entity changed, and
// the entry's id, which orders the log.
type ChangeNotice struct {
	AuditID int64
	Touched Touched
}

// The kinds of entity of the program cadence and program health.
const (
	EntityCadenceTask       EntityKind = "cadence_task"
	EntityCadenceOccurrence EntityKind = "cadence_occurrence"
	EntityHealthAssessment  EntityKind = "health_assessment"
)
