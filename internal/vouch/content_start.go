package vouch

import "strings"

// CheckNewState checks the state a new item starts in with its approval
// facts, and fills what they imply. Content is mostly created as a draft
// (content.Service.Create); an import records items whose approval happened
// elsewhere, so they may start further along the lifecycle:
//   - approved (external or internal): the rules of an approval
//     (CheckContentTransition from a draft) — how it was given, and who at
//     the customer unless no consent was needed; approved on a day not
//     after today (default today); consent lasts consentMonths from that
//     day unless ExpiresOn, after today, says otherwise.
//   - expired: the approval facts are kept; consent ended on a day not after today.
//   - withdrawn: consent was taken back; no expiry.
//   - draft, awaiting approval: no approval facts at all.
func (c *ContentItem) CheckNewState(today Date, consentMonths int) error {
	var v Validation
	c.ApprovedBy = strings.TrimSpace(c.ApprovedBy)
	c.ApprovalMethod = strings.ToLower(strings.TrimSpace(c.ApprovalMethod))
	if c.State == "" {
		c.State = ContentDraft
	}
	switch {
	case !c.State.Valid():
		v.Add("state", "must be one of "+ContentStateNames())
	case c.State.Approved():
		if c.ApprovedOn.IsZero() {
			c.ApprovedOn = today
		} else if c.ApprovedOn.After(today) {
			v.Add("approved_on", "must not be after today")
		}
		expires := c.ExpiresOn
		if expires.IsZero() {
			months := consentMonths
			if months <= 0 {
				months = DefaultConsentMonths
			}
			expires = ConsentExpiry(c.ApprovedOn, months)
		}
		ch := ContentStateChange{To: c.State, ApprovedBy: c.ApprovedBy, Method: c.ApprovalMethod, ExpiresOn: expires}
		if err := CheckContentTransition(ContentDraft, &ch, today, consentMonths); err != nil {
			for f, reason := range ErrorFields(err) {
				if f == "expires_on" && c.ExpiresOn.IsZero() {
					reason = "has passed: consent given then lasted until " + expires.String() + "; give the state expired, or a later expiry date"
				}
				v.Add(f, reason)
			}
		}
		c.ExpiresOn = expires
	case c.State == ContentExpired:
		if c.ApprovalMethod != "" && !oneOf(c.ApprovalMethod, ApprovalMethods) {
			v.Add("method", "must be one of "+strings.Join(ApprovalMethods, ", "))
		}
		if c.ExpiresOn.After(today) {
			v.Add("expires_on", "is after today, but the state is expired: consent has not ended yet")
		}
	case c.State == ContentWithdrawn:
		c.ExpiresOn = Date{}
	default:
		if c.ApprovedBy != "" || c.ApprovalMethod != "" || !c.ApprovedOn.IsZero() || !c.ExpiresOn.IsZero() {
			v.Add("state", "is "+strings.ToLower(c.State.Label())+", which has no approval yet; give an approved state, or leave the approval out")
		}
	}
	return v.Err()
}
