package pdfbench

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/extract"
)

func TestProf(t *testing.T) {
	f, _ := os.Open("/tmp/pdfbench/big.pdf")
	st, _ := f.Stat()
	s := time.Now()
	extract.Text(context.Background(), "application/pdf", f, st.Size(), nil)
	t.Log(time.Since(s))
}
