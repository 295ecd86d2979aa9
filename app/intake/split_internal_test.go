package intake

import (
	"testing"

	"github.com/emersion/go-imap/v2"

	"arendestod/app"
)

// TestSplitBatchesByBytes: batches end at the count or at the byte bound,
// whichever comes first; a message counts at most the cap (only its
// header is fetched beyond it); a batch always takes one message.
func TestSplitBatchesByBytes(t *testing.T) {
	uids := []imap.UID{1, 2, 3, 4, 5, 6}
	sizes := map[imap.UID]int64{1: 10 << 20, 2: 1 << 20, 3: 1 << 20, 4: 1 << 20, 5: 100, 6: 100}
	got := splitBatches(uids, sizes, 4, 3<<20)
	want := [][]imap.UID{{1, 2}, {3, 4, 5, 6}}
	if len(got) != len(want) {
		t.Fatalf("batches %v, want %v", got, want)
	}
	for i := range want {
		if len(got[i]) != len(want[i]) || got[i][0] != want[i][0] {
			t.Fatalf("batches %v, want %v", got, want)
		}
	}
	if got := splitBatches(uids, sizes, 200, 1); len(got) != 6 {
		t.Errorf("one message per batch when each exceeds the bound: %v", got)
	}
	if app.MaxMessageBytes != 2<<20 {
		t.Errorf("cap %d", app.MaxMessageBytes)
	}
}
