package browsertest

import (
	"os"
	"testing"

	"github.com/vouchhq/vouch/internal/testutil"
)

// One Chromium serves every test here; each test still gets its own
// browser context, so cookies never leak between tests.
func TestMain(m *testing.M) { os.Exit(testutil.RunWithSharedBrowser(m)) }
