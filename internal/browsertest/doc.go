// Package browsertest drives the real Vouch web interface in headless
// Chromium: signing in and out, error messages, CSRF refusal across sites,
// login throttling and the phone layout. It has tests only.
//
// The tests run on every engine that testutil.Engines returns. Without
// Chromium they are skipped, except in CI (CI=true), where they fail.
// Screenshots of failures (and of a few pages, for review) are written to
// $VOUCH_SCREENSHOTS, or vouch-screenshots in the temporary directory.
package browsertest
