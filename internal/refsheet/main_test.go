package refsheet_test

import (
	"os"
	"testing"

	"github.com/vouchhq/vouch/internal/password"
)

func TestMain(m *testing.M) {
	// Users are made in many tests; their passwords need no real protection.
	password.Default = password.Params{Memory: 64, Time: 1, Threads: 1}
	os.Exit(m.Run())
}
