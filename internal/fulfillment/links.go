package fulfillment

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/vouch"
)

// A link token is <purpose letter><nonce>.<signature>: the nonce is random
// and only its hash is stored; the signature (HMAC-SHA256 with the
// installation's secret) lets a tampered or made-up link be refused before
// the database is asked, and ties the nonce to its purpose.
var purposeLetters = map[string]byte{
	vouch.LinkAnswer:           'a',
	vouch.LinkSellerFeedback:   's',
	vouch.LinkAdvocateFeedback: 'v',
}

// ErrBadLink is the answer to a link that was altered or never issued.
var ErrBadLink = vouch.Errorf(vouch.ENOTFOUND, "This link is not valid. Check that it was copied whole from the email.")

func (s *Service) newLink(purpose string, ttl time.Duration) (token string, l vouch.NewLink) {
	nonce := make([]byte, 18)
	rand.Read(nonce)
	n := base64.RawURLEncoding.EncodeToString(nonce)
	body := string(purposeLetters[purpose]) + n
	token = body + "." + s.sign(body)
	if s.onLink != nil {
		s.onLink(purpose, token)
	}
	return token, vouch.NewLink{Purpose: purpose, NonceHash: hashNonce(n), ExpiresAt: s.now().Add(ttl)}
}

func (s *Service) sign(body string) string {
	m := hmac.New(sha256.New, s.secret)
	m.Write([]byte(body))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

func hashNonce(n string) string {
	h := sha256.Sum256([]byte(n))
	return hex.EncodeToString(h[:])
}

// checkLink verifies a token's signature and returns its purpose and the
// hash to look it up by.
func (s *Service) checkLink(token string) (purpose, hash string, err error) {
	body, sig, ok := strings.Cut(token, ".")
	if !ok || len(body) < 2 {
		return "", "", ErrBadLink
	}
	if subtle.ConstantTimeCompare([]byte(sig), []byte(s.sign(body))) != 1 {
		return "", "", ErrBadLink
	}
	for p, letter := range purposeLetters {
		if body[0] == letter {
			return p, hashNonce(body[1:]), nil
		}
	}
	return "", "", ErrBadLink
}

// OnLink registers fn to be told every link the service issues. Only the
// hash of a link is stored, so this is how the demo loader plays the
// advocate; nothing else should need it.
func (s *Service) OnLink(fn func(purpose, token string)) { s.onLink = fn }
