// Package api serves the JSON REST API under /api/v1, authenticated by
// bearer tokens and described by the embedded OpenAPI document.
package api

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/vouchhq/vouch/internal/analytics"
	"github.com/vouchhq/vouch/internal/jobs"

	"github.com/vouchhq/vouch/internal/cadence"
	"github.com/vouchhq/vouch/internal/campaigns"
	"github.com/vouchhq/vouch/internal/catalog"
	"github.com/vouchhq/vouch/internal/content"
	"github.com/vouchhq/vouch/internal/contentindex"
	"github.com/vouchhq/vouch/internal/deals"
	"github.com/vouchhq/vouch/internal/fulfillment"
	"github.com/vouchhq/vouch/internal/goals"
	"github.com/vouchhq/vouch/internal/health"
	"github.com/vouchhq/vouch/internal/nominations"
	"github.com/vouchhq/vouch/internal/references"
	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/scorecard"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// OpenAPI is the API description served at /api/v1/openapi.yaml; tests
// validate every response against it so it cannot drift from the code.
//
//go:embed openapi.yaml
var OpenAPI []byte

// Handler serves the API.
type Handler struct {
	db    *store.DB
	cat   *catalog.Catalog   // taxonomy names and program settings
	ix    *refindex.Index    // references are searched here, not in SQL
	accts *refindex.Accounts // and accounts
	ful   *fulfillment.Service
	deals *deals.Service      // writes opportunities
	refs  *references.Service // saves references and accounts
	lib   *content.Service    // saves content items
	libx  *contentindex.Index // content is searched here
	jobs  *jobs.Runner        // background work (imports); the server's
	mx    *analytics.Model    // the metrics engine: every figure
	goals *goals.Service      // program and team member goals
	cards *scorecard.Service  // the scorecard, from mx (scorecard.go)
	share *scorecard.Sharing  // scorecard links (WithSharing)
	log   *slog.Logger

	noms  *nominations.Service // nominations and their duplicates (WithNominations)
	camps *campaigns.Service   // recruiting campaigns and drives (WithCampaigns)
	// The program cadence and program health (cadence.go, WithCadence).
	cadence *cadence.Service
	health  *health.Service
}

// WithMeasure adds what measuring the program needs: the metrics engine
// and the server's job runner.
func (h *Handler) WithMeasure(mx *analytics.Model, jr *jobs.Runner) *Handler {
	h.mx, h.jobs = mx, jr
	return h
}

// WithContent adds the content library: the service that saves content and
// the index it is searched in.
func (h *Handler) WithContent(lib *content.Service, ix *contentindex.Index) *Handler {
	h.lib, h.libx = lib, ix
	return h
}

// New returns the API handler over the database and the read models the server keeps current.
func New(db *store.DB, cat *catalog.Catalog, ix *refindex.Index, accts *refindex.Accounts, ful *fulfillment.Service, refs *references.Service, log *slog.Logger) *Handler {
	if log == nil {
		log = slog.Default()
	}
	return &Handler{db: db, cat: cat, ix: ix, accts: accts, ful: ful, deals: deals.New(db), refs: refs, log: log}
}

// route is one endpoint: the pattern http.ServeMux matches and its handler,
// already wrapped with the authentication and permission it needs.
type route struct {
	pattern string
	handler http.Handler
}

// routes lists every endpoint under /api/v1. It is one table so that Routes
// and Patterns cannot disagree, and a test can hold it against openapi.yaml.
func (h *Handler) routes() []route {
	return []route{
		{"GET /api/v1/openapi.yaml", http.HandlerFunc(h.openAPI)},
		{"GET /api/v1/me", h.auth("", h.me)},

		{"GET /api/v1/taxonomies", h.auth("", h.listTaxonomies)},
		{"GET /api/v1/taxonomies/{kind}", h.auth("", h.listTaxonomyValues)},
		{"POST /api/v1/taxonomies/{kind}", h.auth(vouch.PermManageTaxonomies, h.createTaxonomyValue)},
		{"PATCH /api/v1/taxonomies/{kind}/{id}", h.auth(vouch.PermManageTaxonomies, h.updateTaxonomyValue)},
		{"DELETE /api/v1/taxonomies/{kind}/{id}", h.auth(vouch.PermManageTaxonomies, h.deleteTaxonomyValue)},

		{"GET /api/v1/audit", h.auth(vouch.PermReadAudit, h.listAudit)},

		// Goals (goal.go): program goals and team member goals with their progress.
		{"GET /api/v1/goals", h.auth(vouch.PermReadGoals, h.listGoals)},
		{"POST /api/v1/goals", h.auth(vouch.PermManageGoals, h.createGoal)},
		{"GET /api/v1/goals/{id}", h.auth(vouch.PermReadGoals, h.getGoal)},
		{"PATCH /api/v1/goals/{id}", h.auth(vouch.PermManageGoals, h.updateGoal)},
		{"DELETE /api/v1/goals/{id}", h.auth(vouch.PermManageGoals, h.archiveGoal)},

		// Nominations (nomination.go): anyone nominates; the program team decides.
		{"GET /api/v1/nominations", h.auth(vouch.PermNominate, h.listNominations)},
		{"POST /api/v1/nominations", h.auth(vouch.PermNominate, h.createNomination)},
		{"GET /api/v1/nominations/duplicates", h.auth(vouch.PermNominate, h.nominationDuplicates)},
		{"GET /api/v1/nominations/{id}", h.auth(vouch.PermNominate, h.getNomination)},
		{"POST /api/v1/nominations/{id}/qualify", h.auth(vouch.PermManageProgram, h.qualifyNomination)},
		{"POST /api/v1/nominations/{id}/accept", h.auth(vouch.PermManageProgram, h.acceptNomination)},
		{"POST /api/v1/nominations/{id}/reject", h.auth(vouch.PermManageProgram, h.rejectNomination)},
		// Recruiting campaigns and drives (campaign.go): the program team's.
		{"GET /api/v1/campaigns", h.auth(vouch.PermManageCampaigns, h.listCampaigns)},
		{"POST /api/v1/campaigns", h.auth(vouch.PermManageCampaigns, h.createCampaign)},
		{"GET /api/v1/campaigns/{id}", h.auth(vouch.PermManageCampaigns, h.getCampaign)},
		{"PATCH /api/v1/campaigns/{id}", h.auth(vouch.PermManageCampaigns, h.changeCampaign)},
		{"PUT /api/v1/campaigns/{id}/outreach", h.auth(vouch.PermManageCampaigns, h.setCampaignOutreach)},
		{"POST /api/v1/campaigns/{id}/contacts", h.auth(vouch.PermManageCampaigns, h.addCampaignContact)},
		{"POST /api/v1/campaigns/{id}/advocates", h.auth(vouch.PermManageCampaigns, h.inviteAdvocate)},
		{"POST /api/v1/campaign-contacts/{id}/move", h.auth(vouch.PermManageCampaigns, h.moveCampaignContact)},
		{"GET /api/v1/campaign-contacts/{id}/outreach", h.auth(vouch.PermManageCampaigns, h.outreachDraft)},
		{"POST /api/v1/campaign-contacts/{id}/outreach", h.auth(vouch.PermManageCampaigns, h.sendOutreach)},
		{"POST /api/v1/drive-advocates/{id}/move", h.auth(vouch.PermManageCampaigns, h.moveAdvocate)},
		// The program cadence and program health (cadence.go, health.go).
		{"GET /api/v1/cadence/tasks", h.auth(vouch.PermManageCadence, h.listCadenceTasks)},
		{"POST /api/v1/cadence/tasks", h.auth(vouch.PermManageCadence, h.createCadenceTask)},
		{"GET /api/v1/cadence/tasks/{id}", h.auth(vouch.PermManageCadence, h.getCadenceTask)},
		{"PATCH /api/v1/cadence/tasks/{id}", h.auth(vouch.PermManageCadence, h.updateCadenceTask)},
		{"GET /api/v1/cadence/week", h.auth(vouch.PermManageCadence, h.cadenceWeek)},
		{"POST /api/v1/cadence/occurrences/{id}/close", h.auth(vouch.PermManageCadence, h.closeOccurrence)},
		{"GET /api/v1/health", h.auth(vouch.PermReadHealth, h.getHealth)},
		{"GET /api/v1/coverage", h.auth(vouch.PermReadCoverage, h.getCoverage)},
		{"POST /api/v1/health/assessments", h.auth(vouch.PermManageHealth, h.createHealth)},

		{"GET /api/v1/settings", h.auth("", h.getSettings)},
		{"PATCH /api/v1/settings", h.auth(vouch.PermManageProgram, h.updateSettings)},
		{"GET /api/v1/settings/mail", h.auth(vouch.PermEditMails, h.getMailSettings)},
		{"PATCH /api/v1/settings/mail", h.auth(vouch.PermEditMails, h.updateMailSettings)},
		{"POST /api/v1/settings/mail/{kind}/preview", h.auth(vouch.PermEditMails, h.previewMail)},

		{"GET /api/v1/references", h.auth(vouch.PermReadReferences, h.listReferences)},
		{"POST /api/v1/references", h.auth(vouch.PermManageProgram, h.createReference)},
		{"POST /api/v1/references/bulk", h.auth(vouch.PermManageProgram, h.bulkReferences)},
		{"GET /api/v1/references/{id}", h.auth(vouch.PermReadReferences, h.getReference)},
		{"PATCH /api/v1/references/{id}", h.auth(vouch.PermManageProgram, h.updateReference)},
		{"DELETE /api/v1/references/{id}", h.auth(vouch.PermManageProgram, h.deleteReference)},
		{"GET /api/v1/references/{id}/history", h.auth(vouch.PermReadReferences, h.referenceHistory)},
		{"GET /api/v1/references/{id}/activities", h.auth(vouch.PermReadReferences, h.referenceActivities)},
		{"POST /api/v1/references/{id}/activities", h.auth(vouch.PermManageProgram, h.logActivity)},

		{"GET /api/v1/accounts", h.auth(vouch.PermReadReferences, h.listAccounts)},
		{"POST /api/v1/accounts", h.auth(vouch.PermManageProgram, h.createAccount)},
		{"GET /api/v1/accounts/{id}", h.auth(vouch.PermReadReferences, h.getAccount)},
		{"PATCH /api/v1/accounts/{id}", h.auth(vouch.PermManageProgram, h.updateAccount)},
		{"DELETE /api/v1/accounts/{id}", h.auth(vouch.PermManageProgram, h.deleteAccount)},

		// The ask ledger across teams (ledger.go): every ask per reference and account; the program team logs other teams' asks and flags accounts.
		{"GET /api/v1/references/{id}/ledger", h.auth(vouch.PermReadReferences, h.referenceLedger)},
		{"GET /api/v1/accounts/{id}/ledger", h.auth(vouch.PermReadReferences, h.accountLedger)},
		{"PUT /api/v1/accounts/{id}/flag", h.auth(vouch.PermManageProgram, h.setAccountFlag)},
		{"POST /api/v1/ledger", h.auth(vouch.PermManageProgram, h.logTeamAsk)},

		{"GET /api/v1/content/{id}/uses", h.auth(vouch.PermReadContent, h.listContentUses)},
		{"POST /api/v1/content/{id}/uses", h.auth(vouch.PermUseContent, h.recordContentUse)},
		{"GET /api/v1/content/{id}/ratings", h.auth(vouch.PermReadContent, h.listContentRatings)},
		{"POST /api/v1/content/{id}/ratings", h.auth(vouch.PermUseContent, h.rateContent)},

		{"GET /api/v1/opportunities", h.auth(vouch.PermRequestReference, h.listOpportunities)},
		{"POST /api/v1/opportunities", h.auth(vouch.PermRequestReference, h.createOpportunity)},
		{"GET /api/v1/opportunities/{id}", h.auth(vouch.PermRequestReference, h.getOpportunity)},
		{"PATCH /api/v1/opportunities/{id}", h.auth(vouch.PermRequestReference, h.updateOpportunity)},
		{"PUT /api/v1/opportunities/crm/{crm_id}", h.auth(vouch.PermManageProgram, h.upsertOpportunity)},
		{"POST /api/v1/opportunities/batch", h.auth(vouch.PermManageProgram, h.upsertOpportunities)},

		{"GET /api/v1/requests", h.auth(vouch.PermRequestReference, h.listRequests)},
		{"POST /api/v1/requests", h.auth(vouch.PermRequestReference, h.createRequest)},
		{"GET /api/v1/requests/{id}", h.auth(vouch.PermRequestReference, h.getRequest)},
		{"POST /api/v1/requests/{id}/state", h.auth(vouch.PermRequestReference, h.changeRequestState)},
		{"POST /api/v1/requests/{id}/assign", h.auth(vouch.PermManageProgram, h.assignRequest)},
		{"POST /api/v1/requests/{id}/messages", h.auth(vouch.PermRequestReference, h.postRequestMessage)},
		{"GET /api/v1/requests/{id}/matches", h.auth(vouch.PermRequestReference, h.requestMatches)},
		{"GET /api/v1/requests/{id}/ineligible", h.auth(vouch.PermRequestReference, h.requestIneligible)},
		{"GET /api/v1/requests/{id}/content", h.auth(vouch.PermRequestReference, h.requestContent)},
		{"GET /api/v1/content/reports", h.auth(vouch.PermReadContent, h.contentReports)},
		{"POST /api/v1/requests/{id}/asks", h.auth(vouch.PermRequestReference, h.createAsk)},

		{"POST /api/v1/asks/{id}/approve", h.auth(vouch.PermRequestReference, h.approveAsk)},
		{"POST /api/v1/asks/{id}/withdraw", h.auth(vouch.PermRequestReference, h.withdrawAsk)},
		{"POST /api/v1/asks/{id}/schedule", h.auth(vouch.PermRequestReference, h.scheduleAsk)},
		{"POST /api/v1/asks/{id}/complete", h.auth(vouch.PermRequestReference, h.completeAsk)},
		{"POST /api/v1/asks/{id}/feedback", h.auth(vouch.PermRequestReference, h.askFeedback)},

		{"GET /api/v1/content", h.auth(vouch.PermReadContent, h.listContent)},
		{"POST /api/v1/content", h.auth(vouch.PermManageContent, h.createContent)},
		{"GET /api/v1/content/expiring", h.auth(vouch.PermManageContent, h.expiringContent)},
		{"GET /api/v1/content/{id}", h.auth(vouch.PermReadContent, h.getContent)},
		{"PATCH /api/v1/content/{id}", h.auth(vouch.PermManageContent, h.updateContent)},
		{"DELETE /api/v1/content/{id}", h.auth(vouch.PermManageContent, h.deleteContent)},
		{"POST /api/v1/content/{id}/state", h.auth(vouch.PermManageContent, h.changeContentState)},
		{"GET /api/v1/content/{id}/history", h.auth(vouch.PermReadContent, h.contentHistory)},

		{"GET /api/v1/activity-types", h.auth("", h.listActivityTypes)},
		{"PATCH /api/v1/activity-types/{name}", h.auth(vouch.PermManageProgram, h.updateActivityType)},

		{"GET /api/v1/notifications", h.auth("", h.listNotifications)},
		{"POST /api/v1/notifications/read", h.auth("", h.markNotificationsRead)},

		{"POST /api/v1/content/{id}/file", h.auth(vouch.PermManageContent, h.uploadContentFile)},
		{"GET /api/v1/content/{id}/file", h.auth(vouch.PermReadContent, h.downloadContentFile)},
		{"POST /api/v1/content-documents", h.auth(vouch.PermManageContent, h.uploadApprovalDocument)},
		{"GET /api/v1/content-documents/{id}", h.auth(vouch.PermManageContent, h.downloadApprovalDocument)},
		{"GET /api/v1/proof-pages", h.auth(vouch.PermUseContent, h.listProofPages)},
		{"POST /api/v1/proof-pages", h.auth(vouch.PermUseContent, h.createProofPage)},
		{"GET /api/v1/proof-pages/{id}", h.auth(vouch.PermUseContent, h.getProofPage)},
		{"POST /api/v1/proof-pages/{id}/revoke", h.auth(vouch.PermUseContent, h.revokeProofPage)},

		// Scorecard links (share part of issue 11).
		{"GET /api/v1/scorecard/shares", h.auth(vouch.PermShareScorecard, h.listScorecardShares)},
		{"POST /api/v1/scorecard/shares", h.auth(vouch.PermShareScorecard, h.createScorecardShare)},
		{"DELETE /api/v1/scorecard/shares/{id}", h.auth(vouch.PermShareScorecard, h.revokeScorecardShare)},

		{"GET /api/v1/content-requests", h.auth(vouch.PermUseContent, h.listContentRequests)},
		{"POST /api/v1/content-requests", h.auth(vouch.PermUseContent, h.createContentRequest)},
		{"GET /api/v1/content-requests/{id}", h.auth(vouch.PermUseContent, h.getContentRequest)},
		{"PATCH /api/v1/content-requests/{id}", h.auth(vouch.PermManageContent, h.updateContentRequest)},

		// The scorecard (scorecard.go).
		{"GET /api/v1/scorecard", h.auth(vouch.PermReadScorecard, h.getScorecard)},
		{"GET /api/v1/metrics", h.auth(vouch.PermReadScorecard, h.listMetrics)},

		{"GET /api/v1/users", h.auth(vouch.PermManageUsers, h.listUsers)},
		{"POST /api/v1/users", h.auth(vouch.PermManageUsers, h.createUser)},
		{"GET /api/v1/users/{id}", h.auth(vouch.PermManageUsers, h.getUser)},
		{"PATCH /api/v1/users/{id}", h.auth(vouch.PermManageUsers, h.updateUser)},
	}
}

// Routes registers every endpoint on mux.
func (h *Handler) Routes(mux *http.ServeMux) {
	for _, rt := range h.routes() {
		mux.Handle(rt.pattern, rt.handler)
	}
	// Anything else under /api/v1 is a JSON 404, never an HTML page.
	mux.Handle("/api/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, vouch.Errorf(vouch.ENOTFOUND, "No API endpoint %s %s.", r.Method, r.URL.Path))
	}))
}

// Patterns returns the pattern of every endpoint, e.g. "GET /api/v1/me",
// so tests can check that openapi.yaml documents each one.
func Patterns() []string {
	var out []string
	for _, rt := range New(nil, nil, nil, nil, nil, nil, nil).routes() {
		out = append(out, rt.pattern)
	}
	return out
}

// openAPI serves GET /api/v1/openapi.yaml: this API's description, public so
// clients can be generated before anyone has a token.
func (h *Handler) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/yaml")
	_, _ = w.Write(OpenAPI)
}

type userKey struct{}

func userFrom(ctx context.Context) *vouch.User {
	u, _ := ctx.Value(userKey{}).(*vouch.User)
	return u
}

// auth authenticates the bearer token and, when perm is set, checks the
// user's role grants it. Cookies are not accepted here, so the API needs no
// CSRF token: a browser cannot attach a bearer token to a cross-site request.
func (h *Handler) auth(perm vouch.Permission, next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		authz := r.Header.Get("Authorization")
		scheme, secret, ok := strings.Cut(authz, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || secret == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="vouch"`)
			writeError(w, vouch.Errorf(vouch.EUNAUTHORIZED, "Send an API token as 'Authorization: Bearer <token>'; create one with 'vouch token create --email you@example.com'."))
			return
		}
		u, err := h.db.TokenUser(r.Context(), strings.TrimSpace(secret))
		if err != nil {
			if vouch.ErrorCode(err) == vouch.EUNAUTHORIZED {
				w.Header().Set("WWW-Authenticate", `Bearer realm="vouch", error="invalid_token"`)
			}
			h.fail(w, r, err)
			return
		}
		if perm != "" && !u.Can(perm) {
			writeError(w, vouch.Errorf(vouch.EFORBIDDEN, "The %s role may not do this.", u.Role))
			return
		}
		ctx := context.WithValue(r.Context(), userKey{}, u)
		ctx = vouch.WithActor(ctx, vouch.UserActor(u))
		next(w, r.WithContext(ctx))
	})
}

// statusOf maps error codes to HTTP statuses: the one table for the API.
var statusOf = map[string]int{
	vouch.EINVALID:      http.StatusBadRequest,
	vouch.EUNAUTHORIZED: http.StatusUnauthorized,
	vouch.EFORBIDDEN:    http.StatusForbidden,
	vouch.ENOTFOUND:     http.StatusNotFound,
	vouch.ECONFLICT:     http.StatusConflict,
	vouch.ERATELIMITED:  http.StatusTooManyRequests,
	vouch.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	vouch.EINTERNAL:     http.StatusInternalServerError,
}

type errorBody struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields,omitempty"`
		// Warnings are what an unconfirmed ask must be confirmed despite.
		Warnings []string `json:"warnings,omitempty"`
	} `json:"error"`
}

// WriteError writes err as the API's JSON error body, for answers the server
// gives before a handler runs (a body over its limit, a bad parameter).
func WriteError(w http.ResponseWriter, err error) { writeError(w, err) }

func writeError(w http.ResponseWriter, err error) {
	var body errorBody
	body.Error.Code = vouch.ErrorCode(err)
	body.Error.Message = vouch.ErrorMessage(err)
	body.Error.Fields = vouch.ErrorFields(err)
	var unconfirmed *vouch.UnconfirmedAsk
	if errors.As(err, &unconfirmed) {
		body.Error.Warnings = unconfirmed.Warnings
	}
	writeJSON(w, statusOf[body.Error.Code], body)
}

// fail logs unexpected errors and writes err.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	if vouch.ErrorCode(err) == vouch.EINTERNAL {
		h.log.Error("api request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	writeError(w, err)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // the status is sent; a client that hung up cannot be told
}

// list is the envelope of every list response.
type list[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
	Total      int    `json:"total"`
}

func newList[T any](items []T, next string, total int) list[T] {
	if items == nil {
		items = []T{}
	}
	return list[T]{Items: items, NextCursor: next, Total: total}
}

// Cursors are opaque to clients: base64 of the last id seen.
func encodeCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(id, 10)))
}

func decodeCursor(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		if id, err := strconv.ParseInt(string(b), 10, 64); err == nil && id > 0 {
			return id, nil
		}
	}
	return 0, &vouch.Error{Code: vouch.EINVALID, Message: "The cursor is not valid; use next_cursor from the previous page.",
		Fields: map[string]string{"cursor": "is not valid"}}
}

// limitParam reads ?limit= (default def, at most max).
func limitParam(r *http.Request, def, max int) (int, error) {
	s := r.URL.Query().Get("limit")
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > max {
		return 0, &vouch.Error{Code: vouch.EINVALID, Message: "limit must be a whole number from 1 to " + strconv.Itoa(max) + ".",
			Fields: map[string]string{"limit": "must be 1–" + strconv.Itoa(max)}}
	}
	return n, nil
}

// pageParams reads ?limit= and ?cursor= of a list paged by offset, adding
// what is wrong with them to v.
func pageParams(r *http.Request, v *vouch.Validation, def, max int) (offset, limit int) {
	limit, err := limitParam(r, def, max)
	if err != nil {
		v.Add("limit", vouch.ErrorFields(err)["limit"])
	}
	o, err := decodeCursor(r.URL.Query().Get("cursor"))
	if err != nil || o > 1<<30 {
		v.Add("cursor", "is not valid")
	}
	return int(o), limit
}

// nextCursor is the cursor of the page after n items from offset, of total;
// empty on the last page.
func nextCursor(offset, n, total int) string {
	if end := offset + n; n > 0 && end < total {
		return encodeCursor(int64(end))
	}
	return ""
}

// MaxBody is the largest JSON body the API accepts.
const MaxBody = 1 << 20

// decode reads a JSON body into v, rejecting unknown fields so typos are not
// silently ignored, bodies over MaxBody (413, not "not valid JSON") and text
// with control characters or invalid UTF-8 (naming the field).
func decode(r *http.Request, v any) error {
	data, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return vouch.TooLarge("The request body", min(tooLarge.Limit, MaxBody))
	case err != nil:
		return vouch.Errorf(vouch.EINVALID, "The request body could not be read: %v", err)
	case len(data) > MaxBody:
		return vouch.TooLarge("The request body", MaxBody)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			return vouch.Errorf(vouch.EINVALID, "The request body is empty; send a JSON object.")
		case errors.Is(err, io.ErrUnexpectedEOF):
			return vouch.Errorf(vouch.EINVALID, "The request body is not valid JSON: it ends before the object does.")
		case errors.As(err, &syn):
			return vouch.Errorf(vouch.EINVALID, "The request body is not valid JSON (at byte %d).", syn.Offset)
		case errors.As(err, &typ) && typ.Field == "":
			return vouch.Errorf(vouch.EINVALID, "The request body must be a JSON object.")
		case errors.As(err, &typ):
			return &vouch.Error{Code: vouch.EINVALID, Message: "A field has the wrong type.",
				Fields: map[string]string{typ.Field: "must be " + jsonType(typ.Type)}}
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return &vouch.Error{Code: vouch.EINVALID, Message: "Unknown field " + vouch.Printable(f) + ".", Fields: map[string]string{f: "is not a known field"}}
		}
		return vouch.Errorf(vouch.EINVALID, "The request body could not be read: %v", err)
	}
	if dec.More() {
		return vouch.Errorf(vouch.EINVALID, "The request body must be one JSON object, with nothing after it.")
	}
	return checkJSONText(data)
}

// checkJSONText holds every string of a valid JSON document, keys included,
// to vouch.CheckText, naming it by its path ("name", "criteria.notes",
// "ids[2]"). JSON decoding turns invalid UTF-8 into U+FFFD silently, so each
// string's raw bytes are checked too.
func checkJSONText(data []byte) error {
	type level struct {
		object  bool
		wantKey bool // in an object, the next string is a key
		key     string
		index   int
	}
	var stack []*level
	path := func() string {
		var b strings.Builder
		for _, l := range stack {
			if !l.object {
				b.WriteString("[" + strconv.Itoa(l.index) + "]")
				continue
			}
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(l.key)
		}
		return b.String()
	}
	// valueDone moves past a value: to the next key, or the next array index.
	valueDone := func() {
		if len(stack) == 0 {
			return
		}
		if top := stack[len(stack)-1]; top.object {
			top.wantKey = true
		} else {
			top.index++
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var offset int64
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil // the end: decode has already refused bad JSON
		}
		raw := data[offset:dec.InputOffset()]
		offset = dec.InputOffset()
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, &level{object: true, wantKey: true})
			case '[':
				stack = append(stack, &level{})
			default:
				stack = stack[:len(stack)-1]
				valueDone()
			}
		case string:
			text := t
			if !utf8.Valid(raw) {
				// Decoding hid the invalid bytes as U+FFFD; the literal has them.
				text = string(raw[bytes.IndexByte(raw, '"'):])
			}
			if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].wantKey {
				stack[n-1].key, stack[n-1].wantKey = t, false
				if reason := vouch.TextProblem(text, false); reason != "" {
					stack[n-1].key = strconv.QuoteToASCII(t)
					return &vouch.Error{Code: vouch.EINVALID, Message: "The field name " + stack[n-1].key + " " + reason + ".",
						Fields: map[string]string{path(): reason}}
				}
				continue
			}
			field := path()
			if err := vouch.CheckText(field, text, vouch.LongText(field)); err != nil {
				return err
			}
			valueDone()
		default:
			valueDone()
		}
	}
}

// jsonType names a Go type the way a JSON client knows it, not as Go spells it.
func jsonType(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	}
	return "an object"
}

// pathID reads the numeric {id} path parameter; what names the entity in the
// error, e.g. "user".
func pathID(r *http.Request, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, vouch.Errorf(vouch.ENOTFOUND, "No %s with id %q.", what, r.PathValue("id"))
	}
	return id, nil
}
