package fulfillment

import (
	"time"

	"github.com/vouchhq/vouch/internal/vouch"
)

// The request loop's links are signed links (internal/signedlink); the
// letter in front of the nonce says what a link is for.
var purposeLetters = map[string]byte{
	vouch.LinkAnswer:           'a',
	vouch.LinkSellerFeedback:   's',
	vouch.LinkAdvocateFeedback: 'v',
}

// ErrBadLink is the answer to a link that was altered or never issued.
var ErrBadLink = vouch.Errorf(vouch.ENOTFOUND, "This link is not valid. Check that it was copied whole from the email.")

func (s *Service) newLink(purpose string, ttl time.Duration) (token string, l vouch.NewLink) {
	token, hash := s.links.Issue(purposeLetters[purpose])
	if s.onLink != nil {
		s.onLink(purpose, token)
	}
	return token, vouch.NewLink{Purpose: purpose, NonceHash: hash, ExpiresAt: s.now().Add(ttl)}
}

// checkLink verifies a token's signature and returns its purpose and the
// hash to look it up by.
func (s *Service) checkLink(token string) (purpose, hash string, err error) {
	letter, hash, ok := s.links.Check(token)
	if !ok {
		return "", "", ErrBadLink
	}
	for p, l := range purposeLetters {
		if letter == l {
			return p, hash, nil
		}
	}
	return "", "", ErrBadLink
}

// OnLink registers fn to be told every link the service issues. Only the
// hash of a link is stored, so this is how the demo loader plays the
// advocate; nothing else should need it.
func (s *Service) OnLink(fn func(purpose, token string)) { s.onLink = fn }
