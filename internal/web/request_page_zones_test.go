package web

import (
	"fmt"
	"testing"
)

// The picker offers the advocate's zone first, then the scheduler's, the
// program's and UTC, each once, saying whose each is.
func TestScheduleZones(t *testing.T) {
	for _, c := range []struct {
		advocate, mine, program string
		want                    string
	}{
		{"America/Denver", "Europe/Berlin", "UTC",
			"[{America/Denver America/Denver (Maya's)} {Europe/Berlin Europe/Berlin (yours)} {UTC UTC (the program's)}]"},
		{"America/Denver", "America/Denver", "Europe/London",
			"[{America/Denver America/Denver (Maya's, yours)} {Europe/London Europe/London (the program's)} {UTC UTC}]"},
		{"UTC", "UTC", "UTC", "[{UTC UTC (Maya's, yours, the program's)}]"},
	} {
		if got := fmt.Sprint(scheduleZones(c.advocate, "Maya", c.mine, c.program)); got != c.want {
			t.Errorf("scheduleZones(%s, %s, %s) = %s, want %s", c.advocate, c.mine, c.program, got, c.want)
		}
	}
}
