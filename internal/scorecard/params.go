package scorecard

import (
	"net/url"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

// ParseRequest reads a request from URL parameters: kind, anchor, period,
// from, to (dates as YYYY-MM-DD), one parameter per filter (repeated for
// several values) and owner. The page, the API and the CLI all use it, so
// a URL means the same everywhere. Bad dates are named by their parameter.
func ParseRequest(q url.Values) (Request, error) {
	var v vouch.Validation
	req := Request{Kind: strings.TrimSpace(q.Get("kind")), Period: strings.TrimSpace(q.Get("period")),
		Filters: map[string][]string{}}
	date := func(param string) vouch.Date {
		s := strings.TrimSpace(q.Get(param))
		if s == "" {
			return vouch.Date{}
		}
		d, err := vouch.ParseDate(s)
		if err != nil {
			v.Add(param, "must be a date like 2026-07-01")
		}
		return d
	}
	req.Anchor, req.From, req.To = date("anchor"), date("from"), date("to")
	for _, fp := range FilterParams {
		for _, n := range q[fp.Param] {
			if n = strings.TrimSpace(n); n != "" {
				req.Filters[fp.Param] = append(req.Filters[fp.Param], n)
			}
		}
	}
	for _, o := range q["owner"] {
		if o = strings.TrimSpace(o); o != "" {
			req.Owners = append(req.Owners, o)
		}
	}
	if err := v.Err(); err != nil {
		return Request{}, err
	}
	return req, nil
}

// Values is the selection as URL parameters, so links and exports keep the
// same period and filters (ParseRequest reads them back).
func (s Selection) Values() url.Values {
	q := url.Values{}
	if s.Kind == KindCustom {
		q.Set("from", s.Query.From.String())
		q.Set("to", s.Query.To.String())
	} else if s.Param != "" {
		q.Set("period", s.Param)
	}
	for _, f := range s.Filters {
		if f.Param == "owner" {
			continue
		}
		for _, n := range f.Names {
			q.Add(f.Param, n)
		}
	}
	for _, o := range s.Owners {
		q.Add("owner", o)
	}
	return q
}

// Encode is Values encoded for a URL ("period=FY2027+Q1&industry=Healthcare").
func (s Selection) Encode() string { return s.Values().Encode() }
