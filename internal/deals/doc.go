// Package deals owns the writes of opportunities (deals from the CRM): the
// rules that need data, for every caller alike — the API's create, update
// and upsert, its batch endpoint, and the import of CRM exports
// (internal/crmsheet).
//
// Rules:
//   - An opportunity from the CRM is known by the CRM's id: an input with an
//     id Vouch has updates that opportunity, one with a new id creates one.
//     An input that changes nothing is not written at all: no audit entry,
//     no change event, so a sync or an import can run again and again.
//   - The amount is read as CRM exports write it (vouch.ParseAmount:
//     "USD 12,500.00", "$1,234.56", "1.234,56 €"); its currency is the
//     one the amount names, or the currency field, which must agree with it
//     and be an ISO 4217 code in use.
//   - The status follows the stage by the program's settings (WonStages,
//     LostStages: "Closed Won", "Closed Lost" by default;
//     vouch.ProgramSettings.DealStatus): a listed stage always decides it,
//     and a status given that contradicts it is a problem at "status"; at
//     any other stage the status given stands, open when none is. This is
//     the one home of the rule: the metrics engine counts the status stored.
//   - Picklist values (industry, region, country, segment, company size,
//     product, competitor) are matched by name as every import does; the
//     owner by the email of a Vouch user.
//   - The account is matched by the CRM account id, then the website's
//     domain, then the name (vouch.AccountIndex); a deal whose account is
//     none of the program's keeps the name as the prospect.
//   - Fields an input does not give are left as they are stored.
package deals
