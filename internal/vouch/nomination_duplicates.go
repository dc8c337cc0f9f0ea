package vouch

import (
	"fmt"
	"strings"
)

// Duplicate detection for nominations: the rules that decide whether a
// nominated person is likely someone Vouch knows already (an account, a
// reference, another open nomination), and why. Finding the candidates
// fast is the nominations index's work; deciding is here.

// Kinds of likely duplicate.
const (
	DuplicateAccount    = "account"
	DuplicateReference  = "reference"
	DuplicateNomination = "nomination"
)

// Duplicate is a likely duplicate of a nomination: what it is, its id, a
// label to show ("Robert Smith at Acme"), why it looks the same, and a score
// that orders the list (higher: more likely).
type Duplicate struct {
	Kind    string   `json:"kind"`
	ID      int64    `json:"id"`
	Label   string   `json:"label"`
	Reasons []string `json:"reasons"`
	Score   int      `json:"score"`
	// Status is the reference's status or the nomination's state ("" for an account).
	Status string `json:"status,omitempty"`
}

// DuplicateProbe is what is known of the person being nominated.
type DuplicateProbe struct {
	AccountID   int64
	AccountName string
	Name        string
	Email       string
	CRMID       string
}

// DuplicatePerson is a known person: a reference or an open nomination.
type DuplicatePerson struct {
	AccountID   int64
	AccountName string
	Name        string
	Email       string
	CRMID       string
}

// DuplicateCompany is a known account.
type DuplicateCompany struct {
	ID     int64
	Name   string
	Domain string
	CRMID  string
}

// Scores of each kind of evidence. Alone, a same email or CRM id is enough;
// a similar name needs the same account (or its email domain) beside it.
const (
	scoreSameEmail   = 100
	scoreSameCRMID   = 90
	scoreSameName    = 40
	scoreNickname    = 35
	scoreTypoName    = 30
	scoreSameAccount = 30
	scoreSameDomain  = 25
	duplicateAtLeast = 60 // a person is listed from this score on
)

// ComparePerson scores how likely p is the person probed, with the
// reasons; 0 and no reasons when it is not likely. sameAccount says p is
// at the account the probe names (decided by CompareCompany or by id).
func ComparePerson(probe DuplicateProbe, p DuplicatePerson, sameAccount bool) (int, []string) {
	score := 0
	var reasons []string
	if probe.Email != "" && strings.EqualFold(probe.Email, p.Email) {
		score += scoreSameEmail
		reasons = append(reasons, "same email "+strings.ToLower(p.Email))
	}
	if probe.CRMID != "" && strings.EqualFold(strings.TrimSpace(probe.CRMID), strings.TrimSpace(p.CRMID)) {
		score += scoreSameCRMID
		reasons = append(reasons, "same CRM id "+p.CRMID)
	}
	nameScore, nameReason := CompareNames(probe.Name, p.Name)
	if nameScore > 0 {
		score += nameScore
		reasons = append(reasons, nameReason)
		if sameAccount {
			score += scoreSameAccount
			reasons = append(reasons, "same account")
		} else if d := EmailDomain(probe.Email); d != "" && !FreeMailDomain(d) && d == EmailDomain(p.Email) {
			score += scoreSameDomain
			reasons = append(reasons, "same email domain "+d)
		}
	}
	if score < duplicateAtLeast {
		return 0, nil
	}
	return score, reasons
}

// CompareCompany scores how likely a is the account the probe names.
func CompareCompany(probe DuplicateProbe, a DuplicateCompany) (int, []string) {
	score := 0
	var reasons []string
	if probe.AccountID != 0 && probe.AccountID == a.ID {
		return scoreSameEmail, []string{"the account chosen"}
	}
	if probe.CRMID != "" && strings.EqualFold(strings.TrimSpace(probe.CRMID), strings.TrimSpace(a.CRMID)) {
		score += scoreSameCRMID
		reasons = append(reasons, "same CRM id "+a.CRMID)
	}
	switch CompanyKey(probe.AccountName) {
	case "":
	case CompanyKey(a.Name):
		score += 70
		if strings.EqualFold(strings.Join(strings.Fields(probe.AccountName), " "), a.Name) {
			reasons = append(reasons, "same name")
		} else {
			reasons = append(reasons, "same name written differently ("+a.Name+")")
		}
	default:
		if typo(CompanyKey(probe.AccountName), CompanyKey(a.Name)) {
			score += 60
			reasons = append(reasons, "similar name ("+a.Name+")")
		}
	}
	if d := EmailDomain(probe.Email); d != "" && !FreeMailDomain(d) && strings.EqualFold(d, WebDomain(a.Domain)) {
		score += 60
		reasons = append(reasons, "email domain "+d+" is the account's")
	}
	if score < duplicateAtLeast {
		return 0, nil
	}
	return score, reasons
}

// CompareNames scores two people's names: the same (in any case, with or
// without accents), a nickname of the same first name (Bob and Robert), or
// one typo apart. 0 when none.
func CompareNames(a, b string) (int, string) {
	ta, tb := NameTokens(a), NameTokens(b)
	if len(ta) == 0 || len(tb) == 0 {
		return 0, ""
	}
	if strings.Join(ta, " ") == strings.Join(tb, " ") {
		if strings.Join(strings.Fields(a), " ") == strings.Join(strings.Fields(b), " ") {
			return scoreSameName, "same name"
		}
		return scoreSameName, "same name written differently (" + b + ")"
	}
	// First and last names: the first token and the last one. A middle name
	// or initial on one side only does not make two people different.
	fa, la := ta[0], ta[len(ta)-1]
	fb, lb := tb[0], tb[len(tb)-1]
	if len(ta) == 1 || len(tb) == 1 {
		return 0, "" // one word alone is too little to call two people the same
	}
	switch {
	case la == lb && fa == fb:
		return scoreSameName, "same first and last name (" + b + ")"
	case la == lb && CanonicalFirstName(fa) == CanonicalFirstName(fb):
		return scoreNickname, fmt.Sprintf("nickname: %s is %s (%s)", titleWord(fa), titleWord(fb), b)
	case la == lb && typo(fa, fb), fa == fb && typo(la, lb),
		CanonicalFirstName(fa) == CanonicalFirstName(fb) && typo(la, lb):
		return scoreTypoName, "similar name, one letter apart (" + b + ")"
	}
	return 0, ""
}

func titleWord(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// typo reports whether a and b are one edit apart (a letter added, left
// out, changed, or two neighbours swapped); words of three letters or fewer
// must be equal, since one letter turns them into other names (Ann, Dan).
func typo(a, b string) bool {
	if a == b {
		return false
	}
	if len(a) <= 3 || len(b) <= 3 {
		return false
	}
	return editDistanceAtMostOne(a, b)
}

// editDistanceAtMostOne reports whether a and b differ by at most one edit
// (Damerau: insertion, deletion, substitution or adjacent transposition).
func editDistanceAtMostOne(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if i == len(a) {
		return true // b has one more letter at the end, or they are equal
	}
	if len(a) == len(b) {
		if a[i+1:] == b[i+1:] {
			return true // one letter changed
		}
		return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:] // two swapped
	}
	return a[i:] == b[i+1:] // one letter added in b
}

// DeletionKeys are word and every form of it with one letter left out: two
// words one edit apart share at least one key, which lets an index find
// typos by exact lookups.
func DeletionKeys(word string) []string {
	out := []string{word}
	if len(word) <= 3 {
		return out
	}
	for i := 0; i < len(word); i++ {
		k := word[:i] + word[i+1:]
		if k != out[len(out)-1] {
			out = append(out, k)
		}
	}
	return out
}

// NameTokens are a person's name as compared: in lower case, accents
// folded, letters and digits only, one token per word.
func NameTokens(name string) []string {
	return strings.Fields(foldName(name))
}

// foldName lowers s, folds accents and turns everything but letters and
// digits into spaces; apostrophes and dots join (O'Neil is oneil).
func foldName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(foldAccents(s)) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '\'' || r == '’' || r == '.':
			// O'Neil is oneil; "J. Smith" stays two words by its space
		default:
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// companySuffixes are words that say what kind of company it is, not which.
var companySuffixes = map[string]bool{
	"inc": true, "incorporated": true, "corp": true, "corporation": true, "co": true, "company": true,
	"ltd": true, "limited": true, "llc": true, "llp": true, "plc": true, "gmbh": true, "ag": true,
	"sa": true, "sas": true, "srl": true, "spa": true, "bv": true, "nv": true, "ab": true, "oy": true,
	"pty": true, "the": true, "group": true, "holdings": true,
}

// CompanyKey is an account name as compared: folded like a person's name,
// without legal suffixes, words run together ("ACME, Inc." and "Acme" are
// "acme").
func CompanyKey(name string) string {
	var words []string
	for _, w := range NameTokens(name) {
		if !companySuffixes[w] {
			words = append(words, w)
		}
	}
	if len(words) == 0 {
		return strings.Join(NameTokens(name), "")
	}
	return strings.Join(words, "")
}

// EmailDomain is the part of an email address after the @, in lower case.
func EmailDomain(email string) string {
	_, d, ok := strings.Cut(strings.ToLower(strings.TrimSpace(email)), "@")
	if !ok {
		return ""
	}
	return d
}

// WebDomain is an account's website as a bare host: "https://www.acme.com/" is "acme.com".
func WebDomain(site string) string {
	s := strings.ToLower(strings.TrimSpace(site))
	s = strings.TrimPrefix(strings.TrimPrefix(s, "https://"), "http://")
	s = strings.TrimPrefix(s, "www.")
	if i := strings.IndexAny(s, "/:?#"); i >= 0 {
		s = s[:i]
	}
	return s
}

// freeMail are mail providers anyone may use: two people with addresses
// there are not colleagues for that.
var freeMail = map[string]bool{
	"gmail.com": true, "googlemail.com": true, "outlook.com": true, "hotmail.com": true, "live.com": true,
	"yahoo.com": true, "icloud.com": true, "me.com": true, "aol.com": true, "proton.me": true,
	"protonmail.com": true, "gmx.com": true, "gmx.de": true, "web.de": true, "mail.com": true,
	"yandex.com": true, "zoho.com": true, "fastmail.com": true, "hey.com": true, "msn.com": true,
}

// FreeMailDomain reports whether d is a public mail provider's domain.
func FreeMailDomain(d string) bool { return freeMail[strings.ToLower(d)] }

// nicknames maps common short forms of English first names to the name
// they stand for. Both sides are compared through CanonicalFirstName, so
// Bob and Rob match Robert, and Bob matches Rob.
var nicknames = map[string]string{
	"bob": "robert", "bobby": "robert", "rob": "robert", "robbie": "robert", "bert": "robert",
	"bill": "william", "billy": "william", "will": "william", "willy": "william", "liam": "william",
	"liz": "elizabeth", "lizzie": "elizabeth", "beth": "elizabeth", "betty": "elizabeth", "eliza": "elizabeth", "elisabeth": "elizabeth", "libby": "elizabeth",
	"jim": "james", "jimmy": "james", "jamie": "james",
	"mike": "michael", "mick": "michael", "mikey": "michael",
	"dick": "richard", "rick": "richard", "rich": "richard", "richie": "richard",
	"tom": "thomas", "tommy": "thomas",
	"tony": "anthony", "ant": "anthony",
	"dave": "david", "davy": "david",
	"dan": "daniel", "danny": "daniel",
	"joe": "joseph", "joey": "joseph",
	"chris": "christopher", "kit": "christopher",
	"matt":  "matthew",
	"steve": "stephen", "steven": "stephen",
	"alex": "alexander", "sandy": "alexander",
	"andy": "andrew", "drew": "andrew",
	"ben": "benjamin", "benny": "benjamin",
	"sam": "samuel", "sammy": "samuel",
	"nick": "nicholas", "nico": "nicholas",
	"ed": "edward", "eddie": "edward", "ted": "edward", "ned": "edward",
	"greg": "gregory",
	"jack": "john", "johnny": "john", "jon": "john",
	"kate": "katherine", "katie": "katherine", "kathy": "katherine", "cathy": "katherine", "catherine": "katherine", "kathryn": "katherine",
	"jen": "jennifer", "jenny": "jennifer",
	"meg": "margaret", "maggie": "margaret", "peggy": "margaret",
	"sue": "susan", "susie": "susan",
	"pat": "patricia", "patty": "patricia", "trish": "patricia",
	"becky": "rebecca",
	"vicky": "victoria", "tori": "victoria",
	"debbie": "deborah", "deb": "deborah",
	"jess": "jessica", "jessie": "jessica",
	"abby":  "abigail",
	"mandy": "amanda",
	"chuck": "charles", "charlie": "charles",
	"hank": "henry", "harry": "henry",
	"larry": "lawrence",
	"pete":  "peter",
	"ron":   "ronald", "ronnie": "ronald",
	"don": "donald", "donny": "donald",
	"ken": "kenneth", "kenny": "kenneth",
	"fred": "frederick", "freddie": "frederick",
	"gerry": "gerald", "jerry": "gerald",
	"frank": "francis",
	"ray":   "raymond",
	"walt":  "walter",
	"al":    "albert",
	"tim":   "timothy",
	"phil":  "philip",
	"nate":  "nathan",
}

// CanonicalFirstName is the full first name a (lower-case) nickname stands
// for, or the name itself.
func CanonicalFirstName(first string) string {
	if full, ok := nicknames[first]; ok {
		return full
	}
	return first
}

// accentFolds maps the accented Latin letters names are written with to
// their plain letters.
var accentFolds = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'æ': "ae", 'ç': "c",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ì': "i", 'í': "i", 'î': "i", 'ï': "i",
	'ñ': "n", 'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'ù': "u",
	'ú': "u", 'û': "u", 'ü': "u", 'ý': "y", 'ÿ': "y", 'ß': "ss", 'ł': "l", 'ś': "s",
	'š': "s", 'ž': "z", 'ź': "z", 'ż': "z", 'č': "c", 'ć': "c", 'ř': "r", 'ě': "e",
	'ę': "e", 'ą': "a", 'ő': "o", 'ű': "u", 'ğ': "g", 'ı': "i", 'ş': "s",
	'À': "a", 'Á': "a", 'Â': "a", 'Ä': "a", 'Å': "a", 'Ç': "c", 'È': "e", 'É': "e",
	'Ê': "e", 'Í': "i", 'Ñ': "n", 'Ó': "o", 'Ö': "o", 'Ø': "o", 'Ú': "u", 'Ü': "u",
	'Š': "s", 'Ž': "z", 'Ł': "l", 'Č': "c", 'Ś': "s",
}

// foldAccents writes accented letters as plain ones: José is Jose.
func foldAccents(s string) string {
	plain := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if f, ok := accentFolds[r]; ok {
			b.WriteString(f)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}
