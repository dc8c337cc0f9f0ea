package web

import (
	"net/http"

	"github.com/vouchhq/vouch/internal/refsheet"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Routes registers every page of the HTML interface on mux: this table is
// the one place a route is added. Each line says who may use the route:
// anyone (public pages, signed links), any signed-in user (h.signedIn), or
// the holders of a permission (h.can).
func (h *Handler) Routes(mux *http.ServeMux) {
	h.mux = mux
	// Static files, under hashed names (static.go) and plain ones.
	mux.Handle("GET /static/", h.static)

	// Signing in and out.
	mux.HandleFunc("GET /login", h.loginPage)
	mux.HandleFunc("POST /login", h.login)
	mux.HandleFunc("POST /logout", h.logout)

	mux.Handle("GET /{$}", h.signedIn(h.dashboard))

	// Admin: users, picklists, audit log, API tokens.
	mux.Handle("GET /admin/users", h.can(vouch.PermManageUsers, h.users))
	mux.Handle("POST /admin/users", h.can(vouch.PermManageUsers, h.createUser))
	mux.Handle("GET /admin/users/{id}", h.can(vouch.PermManageUsers, h.user))
	mux.Handle("POST /admin/users/{id}", h.can(vouch.PermManageUsers, h.updateUser))
	mux.Handle("POST /admin/users/{id}/password", h.can(vouch.PermManageUsers, h.resetPassword))

	mux.Handle("GET /admin/taxonomies", h.can(vouch.PermManageTaxonomies, h.taxonomies))
	mux.Handle("GET /admin/taxonomies/{kind}", h.can(vouch.PermManageTaxonomies, h.taxonomy))
	mux.Handle("POST /admin/taxonomies/{kind}", h.can(vouch.PermManageTaxonomies, h.createTaxonomyValue))
	mux.Handle("POST /admin/taxonomies/{kind}/{id}", h.can(vouch.PermManageTaxonomies, h.updateTaxonomyValue))
	mux.Handle("POST /admin/taxonomies/{kind}/{id}/delete", h.can(vouch.PermManageTaxonomies, h.deleteTaxonomyValue))

	mux.Handle("GET /admin/audit", h.can(vouch.PermReadAudit, h.audit))

	mux.Handle("GET /admin/tokens", h.can(vouch.PermManageUsers, h.tokens))
	mux.Handle("POST /admin/tokens", h.can(vouch.PermManageUsers, h.createToken))
	mux.Handle("POST /admin/tokens/{id}/revoke", h.can(vouch.PermManageUsers, h.revokeToken))

	// Admin: the request loop's mail and rules, and the program's settings.
	mux.Handle("GET /admin/outbox", h.can(vouch.PermManageProgram, h.outbox))
	mux.Handle("GET /admin/outbox/{id}", h.can(vouch.PermManageProgram, h.outboxMail))
	mux.Handle("POST /admin/outbox/{id}/retry", h.can(vouch.PermManageProgram, h.retryMail))
	mux.Handle("GET /admin/activity-types", h.can(vouch.PermManageProgram, h.activityTypes))
	mux.Handle("POST /admin/activity-types", h.can(vouch.PermManageProgram, h.saveActivityType))
	mux.Handle("GET /admin/settings", h.can(vouch.PermManageProgram, h.settings))
	mux.Handle("POST /admin/settings", h.can(vouch.PermManageProgram, h.saveSettings))
	mux.Handle("GET /admin/settings/measurement", h.can(vouch.PermManageProgram, h.measurementSettings))
	mux.Handle("POST /admin/settings/measurement", h.can(vouch.PermManageProgram, h.saveMeasurementSettings))
	mux.Handle("GET /admin/settings/mails", h.can(vouch.PermEditMails, h.mailSettings))
	mux.Handle("POST /admin/settings/mails", h.can(vouch.PermEditMails, h.saveMailSender))
	mux.Handle("GET /admin/settings/mails/{kind}", h.can(vouch.PermEditMails, h.mailTemplate))
	mux.Handle("POST /admin/settings/mails/{kind}", h.can(vouch.PermEditMails, h.saveMailTemplate))

	// Content files (content_file.go): the upload reads its own body, as a
	// stream, and checks the session and CSRF token itself.
	mux.Handle("GET /content/{id}/file", h.can(vouch.PermReadContent, h.contentFile))
	mux.HandleFunc("POST /content/{id}/file", h.uploadContentFile)

	// Scorecard sharing (share part of issue 11): PDF and PNG exports, the
	// program managers' links and schedules, and the public shared page,
	// which needs no session (the signed token opens that page only).
	mux.Handle("GET /scorecard/export.pdf", h.can(vouch.PermReadScorecard, h.scorecardPDF))
	mux.Handle("GET /scorecard/export.png", h.can(vouch.PermReadScorecard, h.scorecardPNG))
	mux.Handle("GET /scorecard/shares", h.can(vouch.PermShareScorecard, h.scorecardShares))
	mux.Handle("POST /scorecard/shares", h.can(vouch.PermShareScorecard, h.createScorecardShare))
	mux.Handle("POST /scorecard/shares/{id}/revoke", h.can(vouch.PermShareScorecard, h.revokeScorecardShare))
	mux.Handle("GET /scorecard/schedules", h.can(vouch.PermShareScorecard, h.scorecardSchedules))
	mux.Handle("POST /scorecard/schedules", h.can(vouch.PermShareScorecard, h.createScorecardSchedule))
	mux.Handle("POST /scorecard/schedules/{id}/delete", h.can(vouch.PermShareScorecard, h.deleteScorecardSchedule))
	mux.HandleFunc("GET /shared/scorecard/{token}", h.sharedScorecard)

	// References.
	mux.Handle("GET /references", h.can(vouch.PermReadReferences, h.references))
	mux.Handle("POST /references/bulk", h.can(vouch.PermManageProgram, h.bulkReferences))
	mux.Handle("GET /references/export.csv", h.can(vouch.PermReadReferences, h.exportReferences(refsheet.FormatCSV)))
	mux.Handle("GET /references/export.xlsx", h.can(vouch.PermReadReferences, h.exportReferences(refsheet.FormatXLSX)))
	mux.Handle("GET /references/new", h.can(vouch.PermManageProgram, h.newReference))
	mux.Handle("POST /references/new", h.can(vouch.PermManageProgram, h.createReference))
	mux.Handle("GET /references/{id}", h.can(vouch.PermReadReferences, h.reference))
	mux.Handle("GET /references/{id}/edit", h.can(vouch.PermManageProgram, h.editReference))
	mux.Handle("POST /references/{id}/edit", h.can(vouch.PermManageProgram, h.updateReference))
	mux.Handle("POST /references/{id}/status", h.can(vouch.PermManageProgram, h.changeReferenceStatus))
	mux.Handle("POST /references/{id}/activities", h.can(vouch.PermManageProgram, h.logReferenceActivity))
	mux.Handle("POST /references/{id}/activities/{activity}/thank-you", h.can(vouch.PermManageProgram, h.markThankYouSent))
	mux.Handle("POST /references/{id}/verify", h.can(vouch.PermManageProgram, h.verifyReference))
	mux.Handle("GET /references/{id}/ask", h.can(vouch.PermManageProgram, h.referenceAsk))

	// Content reports (content_reports.go).
	mux.Handle("GET /content/reports", h.can(vouch.PermReadContent, h.contentReports))

	// The import wizard (import.go): the upload's body is read before the
	// session checks, within the upload limit.
	mux.Handle("GET /references/import", h.can(vouch.PermManageProgram, h.importStart))
	mux.Handle("POST /references/import", h.readUpload(h.can(vouch.PermManageProgram, h.uploadImport)))
	mux.Handle("GET /references/import/template.csv", h.can(vouch.PermManageProgram, h.importTemplate))
	mux.Handle("GET /references/import/{id}/mapping", h.can(vouch.PermManageProgram, h.importMapping))
	mux.Handle("POST /references/import/{id}/check", h.can(vouch.PermManageProgram, h.checkImport))
	mux.Handle("GET /references/import/{id}/report", h.can(vouch.PermManageProgram, h.importReport))
	mux.Handle("GET /references/import/{id}/problems.csv", h.can(vouch.PermManageProgram, h.importProblems))
	mux.Handle("POST /references/import/{id}/apply", h.can(vouch.PermManageProgram, h.applyImport))
	mux.Handle("GET /references/import/{id}/status", h.can(vouch.PermManageProgram, h.importStatus))
	mux.Handle("POST /references/import/{id}/dismiss", h.can(vouch.PermManageProgram, h.dismissImport))
	// The same wizard for a content list (import_target.go), for who manages content.
	mux.Handle("GET /content/import", h.can(vouch.PermManageContent, h.importStart))
	mux.Handle("POST /content/import", h.readUpload(h.can(vouch.PermManageContent, h.uploadImport)))
	mux.Handle("GET /content/import/template.csv", h.can(vouch.PermManageContent, h.importTemplate))
	mux.Handle("GET /content/import/{id}/mapping", h.can(vouch.PermManageContent, h.importMapping))
	mux.Handle("POST /content/import/{id}/check", h.can(vouch.PermManageContent, h.checkImport))
	mux.Handle("GET /content/import/{id}/report", h.can(vouch.PermManageContent, h.importReport))
	mux.Handle("GET /content/import/{id}/problems.csv", h.can(vouch.PermManageContent, h.importProblems))
	mux.Handle("POST /content/import/{id}/apply", h.can(vouch.PermManageContent, h.applyImport))
	mux.Handle("GET /content/import/{id}/status", h.can(vouch.PermManageContent, h.importStatus))
	mux.Handle("POST /content/import/{id}/dismiss", h.can(vouch.PermManageContent, h.dismissImport))
	// Reference history (issue 11, history): the same wizard for past reference activities (import_activities.go).
	mux.Handle("GET /activities/import", h.can(vouch.PermManageProgram, h.importStart))
	mux.Handle("POST /activities/import", h.readUpload(h.can(vouch.PermManageProgram, h.uploadImport)))
	mux.Handle("GET /activities/import/template.csv", h.can(vouch.PermManageProgram, h.importTemplate))
	mux.Handle("GET /activities/import/{id}/mapping", h.can(vouch.PermManageProgram, h.importMapping))
	mux.Handle("POST /activities/import/{id}/check", h.can(vouch.PermManageProgram, h.checkImport))
	mux.Handle("GET /activities/import/{id}/report", h.can(vouch.PermManageProgram, h.importReport))
	mux.Handle("GET /activities/import/{id}/problems.csv", h.can(vouch.PermManageProgram, h.importProblems))
	mux.Handle("POST /activities/import/{id}/apply", h.can(vouch.PermManageProgram, h.applyImport))
	mux.Handle("GET /activities/import/{id}/status", h.can(vouch.PermManageProgram, h.importStatus))
	mux.Handle("POST /activities/import/{id}/dismiss", h.can(vouch.PermManageProgram, h.dismissImport))
	mux.Handle("GET /opportunities", h.can(vouch.PermRequestReference, h.opportunities))
	mux.Handle("GET /opportunities/import", h.can(vouch.PermManageProgram, h.importStart))
	mux.Handle("POST /opportunities/import", h.readUpload(h.can(vouch.PermManageProgram, h.uploadImport)))
	mux.Handle("GET /opportunities/import/template.csv", h.can(vouch.PermManageProgram, h.importTemplate))
	mux.Handle("GET /opportunities/import/{id}/mapping", h.can(vouch.PermManageProgram, h.importMapping))
	mux.Handle("POST /opportunities/import/{id}/check", h.can(vouch.PermManageProgram, h.checkImport))
	mux.Handle("GET /opportunities/import/{id}/report", h.can(vouch.PermManageProgram, h.importReport))
	mux.Handle("GET /opportunities/import/{id}/problems.csv", h.can(vouch.PermManageProgram, h.importProblems))
	mux.Handle("POST /opportunities/import/{id}/apply", h.can(vouch.PermManageProgram, h.applyImport))
	mux.Handle("GET /opportunities/import/{id}/status", h.can(vouch.PermManageProgram, h.importStatus))
	mux.Handle("POST /opportunities/import/{id}/dismiss", h.can(vouch.PermManageProgram, h.dismissImport))
	mux.Handle("GET /accounts/import", h.can(vouch.PermManageProgram, h.importStart))
	mux.Handle("POST /accounts/import", h.readUpload(h.can(vouch.PermManageProgram, h.uploadImport)))
	mux.Handle("GET /accounts/import/template.csv", h.can(vouch.PermManageProgram, h.importTemplate))
	mux.Handle("GET /accounts/import/{id}/mapping", h.can(vouch.PermManageProgram, h.importMapping))
	mux.Handle("POST /accounts/import/{id}/check", h.can(vouch.PermManageProgram, h.checkImport))
	mux.Handle("GET /accounts/import/{id}/report", h.can(vouch.PermManageProgram, h.importReport))
	mux.Handle("GET /accounts/import/{id}/problems.csv", h.can(vouch.PermManageProgram, h.importProblems))
	mux.Handle("POST /accounts/import/{id}/apply", h.can(vouch.PermManageProgram, h.applyImport))
	mux.Handle("GET /accounts/import/{id}/status", h.can(vouch.PermManageProgram, h.importStatus))
	mux.Handle("POST /accounts/import/{id}/dismiss", h.can(vouch.PermManageProgram, h.dismissImport))

	// Accounts.
	mux.Handle("GET /accounts", h.can(vouch.PermReadReferences, h.accounts))
	mux.Handle("GET /accounts/new", h.can(vouch.PermManageProgram, h.newAccount))
	mux.Handle("POST /accounts/new", h.can(vouch.PermManageProgram, h.createAccount))
	mux.Handle("GET /accounts/{id}", h.can(vouch.PermReadReferences, h.accountPage))
	mux.Handle("GET /accounts/{id}/edit", h.can(vouch.PermManageProgram, h.editAccount))
	mux.Handle("POST /accounts/{id}/edit", h.can(vouch.PermManageProgram, h.updateAccount))
	mux.Handle("POST /accounts/{id}/delete", h.can(vouch.PermManageProgram, h.deleteAccount))
	// The ask ledger across teams (ledger.go): the program team logs other teams' asks and flags accounts.
	mux.Handle("POST /references/{id}/ledger", h.can(vouch.PermManageProgram, h.logTeamAsk))
	mux.Handle("POST /accounts/{id}/flag", h.can(vouch.PermManageProgram, h.setAccountFlag))

	// Content approval and consent (content_approvals.go, content_expiring.go).
	// Their forms post to the page itself with the item's id in the body: a
	// path below /content/<word>/ would clash with the item's /content/{id}/….
	mux.Handle("GET /content/approvals", h.can(vouch.PermManageContent, h.contentApprovals))
	mux.Handle("POST /content/approvals", h.can(vouch.PermManageContent, h.contentApprovalAction))
	mux.Handle("GET /content/expiring", h.can(vouch.PermManageContent, h.contentExpiring))
	mux.Handle("POST /content/expiring", h.can(vouch.PermManageContent, h.renewContent))
	// The content library: search, items, the editor, uses and ratings.
	mux.Handle("GET /content", h.can(vouch.PermReadContent, h.library))
	mux.Handle("GET /content/new", h.can(vouch.PermManageContent, h.newContent))
	mux.Handle("POST /content/new", h.can(vouch.PermManageContent, h.createContent))
	mux.Handle("GET /content/{id}", h.can(vouch.PermReadContent, h.contentItem))
	mux.Handle("GET /content/{id}/edit", h.can(vouch.PermManageContent, h.editContent))
	mux.Handle("POST /content/{id}/edit", h.can(vouch.PermManageContent, h.updateContent))
	mux.Handle("POST /content/{id}/state", h.can(vouch.PermManageContent, h.changeContentState))
	mux.Handle("POST /content/{id}/delete", h.can(vouch.PermManageContent, h.deleteContent))
	mux.Handle("GET /content/{id}/history/documents/{file}", h.can(vouch.PermManageContent, h.approvalDocument))
	mux.Handle("POST /content/{id}/use", h.can(vouch.PermUseContent, h.useContent))
	mux.Handle("POST /content/{id}/rate", h.can(vouch.PermUseContent, h.rateContent))

	// The signed-in user's own account.
	mux.Handle("GET /account", h.signedIn(h.account))
	mux.Handle("POST /account/password", h.signedIn(h.changePassword))
	mux.Handle("POST /account/time-zone", h.signedIn(h.saveTimeZone))

	// Requests for references, and the notifications they send.
	mux.Handle("GET /requests", h.can(vouch.PermRequestReference, h.queue))
	// Links that end in a slash (a notification's) land on the same page.
	mux.Handle("GET /requests/{$}", h.can(vouch.PermRequestReference, h.queue))
	mux.Handle("GET /requests/mine", h.can(vouch.PermRequestReference, h.myRequests))
	mux.Handle("GET /requests/new", h.can(vouch.PermRequestReference, h.newRequest))
	mux.Handle("POST /requests/new", h.can(vouch.PermRequestReference, h.createRequest))
	mux.Handle("GET /requests/{id}", h.signedIn(h.requestPage))
	mux.Handle("POST /requests/{id}/asks", h.can(vouch.PermRequestReference, h.askReference))
	mux.Handle("POST /requests/{id}/asks/{ask}/approve", h.signedIn(h.approveAsk))
	mux.Handle("POST /requests/{id}/asks/{ask}/withdraw", h.can(vouch.PermRequestReference, h.withdrawAsk))
	mux.Handle("POST /requests/{id}/asks/{ask}/schedule", h.can(vouch.PermRequestReference, h.scheduleAsk))
	mux.Handle("POST /requests/{id}/asks/{ask}/complete", h.can(vouch.PermRequestReference, h.completeAsk))
	mux.Handle("POST /requests/{id}/asks/{ask}/feedback", h.can(vouch.PermRequestReference, h.sellerFeedback))
	mux.Handle("POST /requests/{id}/messages", h.signedIn(h.requestMessage))
	mux.Handle("POST /requests/{id}/state", h.can(vouch.PermRequestReference, h.changeRequestState))
	mux.Handle("POST /requests/{id}/assign", h.can(vouch.PermManageProgram, h.assignRequest))
	mux.Handle("GET /notifications", h.signedIn(h.notifications))
	mux.Handle("POST /notifications/read", h.signedIn(h.readNotifications))

	// Public pages reached by a signed link from an email (advocate.go):
	// no account, no session; the token is the credential.
	mux.HandleFunc("GET /a/{token}", h.advocatePage)
	mux.HandleFunc("POST /a/{token}", h.advocateAnswer)
	mux.HandleFunc("GET /f/{token}", h.feedbackPage)
	mux.HandleFunc("POST /f/{token}", h.feedbackSubmit)

	// Proof pages a seller sends to buyers (proofs.go); the buyer's side
	// (proof_public.go) needs no account: the signed token is the credential.
	mux.Handle("GET /proofs", h.can(vouch.PermUseContent, h.proofs))
	mux.Handle("GET /proofs/new", h.can(vouch.PermUseContent, h.newProof))
	mux.Handle("POST /proofs/new", h.can(vouch.PermUseContent, h.createProof))
	mux.Handle("GET /proofs/{id}", h.can(vouch.PermUseContent, h.proofPage))
	mux.Handle("POST /proofs/{id}/revoke", h.can(vouch.PermUseContent, h.revokeProof))
	mux.HandleFunc("GET /p/{token}", h.publicProof)
	mux.HandleFunc("GET /p/{token}/files/{contentID}", h.publicProofFile)

	// Requests for content that does not exist yet (content_requests.go):
	// sellers ask, the program team moves them along.
	mux.Handle("GET /content-requests", h.can(vouch.PermUseContent, h.contentRequests))
	mux.Handle("GET /content-requests/new", h.can(vouch.PermUseContent, h.newContentRequest))
	mux.Handle("POST /content-requests/new", h.can(vouch.PermUseContent, h.createContentRequest))
	mux.Handle("GET /content-requests/{id}", h.can(vouch.PermUseContent, h.contentRequestPage))
	mux.Handle("POST /content-requests/{id}", h.can(vouch.PermManageContent, h.moveContentRequest))

	// Goals (goals.go, issue 11's goals part): program goals tied to company
	// objectives and team member goals, with their live progress.
	mux.Handle("GET /goals", h.can(vouch.PermReadGoals, h.goalsPage))
	mux.Handle("GET /goals/new", h.can(vouch.PermManageGoals, h.newGoal))
	mux.Handle("POST /goals/new", h.can(vouch.PermManageGoals, h.createGoal))
	mux.Handle("GET /goals/{id}", h.can(vouch.PermReadGoals, h.goalPage))
	mux.Handle("POST /goals/{id}", h.can(vouch.PermManageGoals, h.updateGoal))
	mux.Handle("POST /goals/{id}/archive", h.can(vouch.PermManageGoals, h.archiveGoal))
	// The program cadence (cadence.go) and program health (health.go), issue 12.
	if h.opts.Cadence != nil {
		mux.Handle("GET /cadence", h.can(vouch.PermManageCadence, h.cadencePage))
		mux.Handle("POST /cadence/tasks", h.can(vouch.PermManageCadence, h.createCadenceTask))
		mux.Handle("GET /cadence/tasks/{id}", h.can(vouch.PermManageCadence, h.cadenceTaskPage))
		mux.Handle("POST /cadence/tasks/{id}", h.can(vouch.PermManageCadence, h.updateCadenceTask))
		mux.Handle("POST /cadence/occurrences/{id}", h.can(vouch.PermManageCadence, h.closeOccurrence))
	}
	if h.opts.Health != nil {
		mux.Handle("GET /health", h.can(vouch.PermReadHealth, h.healthPage))
		mux.Handle("GET /health/new", h.can(vouch.PermManageHealth, h.newHealth))
		mux.Handle("POST /health", h.can(vouch.PermManageHealth, h.createHealth))
	}
	// Coverage (coverage.go), issue 12: supply of references beside demand.
	if h.opts.Index != nil && h.opts.Metrics != nil {
		mux.Handle("GET /coverage", h.can(vouch.PermReadCoverage, h.coveragePage))
		mux.Handle("POST /coverage/settings", h.can(vouch.PermManageProgram, h.saveCoverageSettings))
	}
	if h.opts.Campaigns != nil && h.opts.Index != nil && h.opts.Accounts != nil {
		mux.Handle("GET /campaigns", h.can(vouch.PermManageCampaigns, h.campaignsPage))
		mux.Handle("POST /campaigns", h.can(vouch.PermManageCampaigns, h.startCampaign))
		mux.Handle("GET /campaigns/{id}", h.can(vouch.PermManageCampaigns, h.campaignPage))
		mux.Handle("POST /campaigns/{id}/change", h.can(vouch.PermManageCampaigns, h.changeCampaign))
		mux.Handle("POST /campaigns/{id}/contacts", h.can(vouch.PermManageCampaigns, h.addCampaignContact))
		mux.Handle("POST /campaign-contacts/{id}", h.can(vouch.PermManageCampaigns, h.moveCampaignContact))
		mux.Handle("POST /campaigns/{id}/outreach", h.can(vouch.PermManageCampaigns, h.setCampaignOutreach))
		mux.Handle("GET /campaign-contacts/{id}/outreach", h.can(vouch.PermManageCampaigns, h.outreachPage))
		mux.Handle("POST /campaign-contacts/{id}/outreach", h.can(vouch.PermManageCampaigns, h.sendOutreach))
		mux.Handle("POST /campaign-contacts/{id}/reply", h.can(vouch.PermManageCampaigns, h.recordReply))
		mux.Handle("POST /campaigns/{id}/advocates", h.can(vouch.PermManageCampaigns, h.inviteAdvocate))
		mux.Handle("POST /drive-advocates/{id}", h.can(vouch.PermManageCampaigns, h.moveAdvocate))
	}
	// The scorecard (scorecard.go): the page, the rows behind a figure (the
	// handler checks who may list which rows), the metrics' definitions and
	// the CSV and XLSX exports. The PDF, PNG and share routes are the share part's.
	mux.Handle("GET /scorecard", h.can(vouch.PermReadScorecard, h.scorecardPage))
	mux.Handle("GET /scorecard/rows", h.can(vouch.PermReadScorecard, h.scorecardRows))
	mux.Handle("GET /scorecard/definitions", h.can(vouch.PermReadScorecard, h.scorecardDefinitions))
	mux.Handle("GET /scorecard/export.csv", h.can(vouch.PermReadScorecard, h.exportScorecard("csv")))
	mux.Handle("GET /scorecard/export.xlsx", h.can(vouch.PermReadScorecard, h.exportScorecard("xlsx")))

	// Nominations (nominations.go): anyone nominates and follows their own;
	// the program team works the queue, decides and sets the checklist.
	mux.Handle("GET /nominations", h.can(vouch.PermNominate, h.nominationsPage))
	mux.Handle("GET /nominations/new", h.can(vouch.PermNominate, h.newNomination))
	mux.Handle("POST /nominations/new", h.can(vouch.PermNominate, h.createNomination))
	mux.Handle("GET /nominations/duplicates", h.can(vouch.PermNominate, h.nominationDuplicates))
	mux.Handle("GET /nominations/settings", h.can(vouch.PermManageProgram, h.nominationSettings))
	mux.Handle("POST /nominations/settings", h.can(vouch.PermManageProgram, h.saveNominationSettings))
	mux.Handle("GET /nominations/{id}", h.can(vouch.PermNominate, h.nominationPage))
	mux.Handle("POST /nominations/{id}/qualify", h.can(vouch.PermManageProgram, h.qualifyNomination))
	mux.Handle("POST /nominations/{id}/accept", h.can(vouch.PermManageProgram, h.acceptNomination))
	mux.Handle("POST /nominations/{id}/reject", h.can(vouch.PermManageProgram, h.rejectNomination))
	// The public volunteer form (volunteer.go): no account; off unless the team turns it on.
	mux.HandleFunc("GET /volunteer", h.volunteerPage)
	mux.HandleFunc("POST /volunteer", h.volunteerSubmit)

	mux.Handle("/", h.optionalUser(h.notFound))
	// Last: the scorecard links to the share part's routes once they are served.
	h.noteScorecardRoutes(mux)
}
