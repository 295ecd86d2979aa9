//go:build !unix

package pdf_test

import "time"

func processCPU() (time.Duration, bool) { return 0, false }
