package intake

import (
	"context"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/emersion/go-imap/v2"

	"arendestod/app"
	"arendestod/app/notice"
)

var (
	// bodySection is BODY.PEEK[]: the whole message, without setting \Seen.
	bodySection = &imap.FetchItemBodySection{Peek: true}
	// idSection is BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)], enough for the
	// ledger key of a message that has a Message-ID.
	idSection = &imap.FetchItemBodySection{Peek: true, Specifier: imap.PartSpecifierHeader, HeaderFields: []string{"Message-ID"}}
	// headerSection is BODY.PEEK[HEADER]: all a message larger than
	// app.MaxMessageBytes is judged by.
	headerSection = &imap.FetchItemBodySection{Peek: true, Specifier: imap.PartSpecifierHeader}
)

// batch is one fetched batch, parsed and ready to commit.
type batch struct {
	uids     []imap.UID    // every UID asked for; the sync state moves past the last
	items    []app.Inbound // the messages fetched, in UID order
	itemUIDs []imap.UID    // the UID of each item
	raws     [][]byte      // the bytes of each item
	skipped  int           // already in the ledger, not fetched (after a UIDVALIDITY change)
}

// catchUp brings in every message after the stored sync state, in batches.
// Each batch's cases, ledger rows and new sync state commit in one
// transaction, so a failure at any point loses nothing and duplicates
// nothing: the next catch-up starts after the last committed batch.
//
// While the mailbox is open read-only the next batch is fetched and parsed
// while the current one is stored. stored reports whether any batch was
// committed.
func (in *Intake) catchUp(ctx context.Context, k *conn, cur *cursor, sum *app.IngestSummary) (stored bool, err error) {
	k.drainPush()
	key := in.acc.Key()
	validity := k.sel.UIDValidity
	from, keyFirst := uint32(1), false
	var prev app.SyncState
	if cur.started {
		from = cur.last + 1
	} else {
		if prev, err = in.opt.Store.SyncState(ctx, key); err != nil {
			return false, err
		}
		switch {
		case validity == 0:
			// A server without stable UIDs: read everything again and let
			// the ledger tell what is new.
			keyFirst = true
		case prev.UIDValidity == validity:
			from = prev.LastUID + 1
		case prev.UIDValidity == 0 && prev.LastUID == 0:
			// First sync of this mailbox.
		default:
			// UIDVALIDITY changed: the old UIDs mean nothing now. Start
			// again from the first message; the ledger, keyed by
			// Message-ID, makes every message seen before a duplicate.
			keyFirst = true
		}
	}
	uids, err := k.searchFrom(from)
	if err != nil {
		return false, err
	}
	if len(uids) == 0 {
		if !cur.started && prev.UIDValidity != validity {
			st := &app.SyncState{Account: key, UIDValidity: validity, LastUID: from - 1}
			if _, err := in.opt.Store.IngestBatch(ctx, nil, st); err != nil {
				return false, err
			}
		}
		cur.started, cur.last = true, from-1
		return false, nil
	}

	total, done := len(uids), 0
	in.progress(done, total)
	// Sizes first (RFC822.SIZE): a message too large is never fetched
	// whole, and a batch is bounded by bytes as well as by count.
	sizes, err := k.sizes(uids)
	if err != nil {
		return false, err
	}
	batches := splitBatches(uids, sizes, in.opt.BatchSize, in.opt.BatchBytes)
	type fetched struct {
		b   *batch
		err error
	}
	start := func(uids []imap.UID) <-chan fetched {
		ch := make(chan fetched, 1)
		go func() {
			b, err := in.fetchBatch(ctx, k, uids, sizes, keyFirst)
			ch <- fetched{b, err}
		}()
		return ch
	}
	// Pipelining would let a STORE or MOVE run beside a FETCH; with the
	// mailbox read-only there are none.
	pipeline := in.acc.ReadOnly()
	next := start(batches[0])
	pending := true
	defer func() {
		if pending {
			// End the fetch in flight before returning: it uses k and the
			// store, which the caller is about to close.
			k.close()
			<-next
		}
	}()
	for i := range batches {
		f := <-next
		pending = false
		if f.err != nil {
			return stored, f.err
		}
		if pipeline && i+1 < len(batches) {
			next, pending = start(batches[i+1]), true
		}
		if err := in.commit(ctx, k, f.b, validity, sum); err != nil {
			return stored, err
		}
		stored = true
		cur.started, cur.last = true, uint32(f.b.uids[len(f.b.uids)-1])
		done += len(f.b.uids)
		in.progress(done, total)
		if !pipeline && i+1 < len(batches) {
			next, pending = start(batches[i+1]), true
		}
	}
	return stored, nil
}

func (in *Intake) progress(done, total int) {
	if in.opt.OnProgress != nil && total > 0 {
		in.opt.OnProgress(Progress{Done: done, Total: total})
	}
}

// splitBatches cuts uids into batches of at most count messages and at
// most maxBytes bytes (each message counted at most app.MaxMessageBytes,
// which is all of it that is fetched); a batch has at least one message.
func splitBatches(uids []imap.UID, sizes map[imap.UID]int64, count int, maxBytes int64) [][]imap.UID {
	var batches [][]imap.UID
	for len(uids) > 0 {
		n, bytes := 0, int64(0)
		for n < len(uids) && n < count {
			b := min(sizes[uids[n]], app.MaxMessageBytes)
			if n > 0 && bytes+b > maxBytes {
				break
			}
			bytes += b
			n++
		}
		batches = append(batches, uids[:n])
		uids = uids[n:]
	}
	return batches
}

// fetchBatch fetches and parses the messages of uids. With keyFirst it
// first fetches only the Message-IDs and skips the messages the ledger
// already has. A message larger than app.MaxMessageBytes (by its
// RFC822.SIZE in sizes) is fetched by its header only.
func (in *Intake) fetchBatch(ctx context.Context, k *conn, uids []imap.UID, sizes map[imap.UID]int64, keyFirst bool) (*batch, error) {
	b := &batch{uids: uids}
	want := uids
	if keyFirst {
		var err error
		if want, b.skipped, err = in.unknown(ctx, k, uids); err != nil {
			return nil, err
		}
	}
	if len(want) == 0 {
		return b, nil
	}
	var whole, large []imap.UID
	for _, uid := range want {
		if sizes[uid] > app.MaxMessageBytes {
			large = append(large, uid)
		} else {
			whole = append(whole, uid)
		}
	}
	// A UID missing from the reply was expunged after the SEARCH: there is
	// nothing left to take in.
	var msgs []message
	if len(whole) > 0 {
		m, err := k.fetch(whole, &imap.FetchOptions{UID: true, InternalDate: true, BodySection: []*imap.FetchItemBodySection{bodySection}})
		if err != nil {
			return nil, err
		}
		msgs = m
	}
	if len(large) > 0 {
		m, err := k.fetch(large, &imap.FetchOptions{UID: true, InternalDate: true, RFC822Size: true, BodySection: []*imap.FetchItemBodySection{headerSection}})
		if err != nil {
			return nil, err
		}
		for i := range m {
			m[i].large = true
		}
		msgs = append(msgs, m...)
		sort.Slice(msgs, func(i, j int) bool { return msgs[i].uid < msgs[j].uid })
	}
	domains, err := in.opt.Senders(ctx)
	if err != nil {
		return nil, err
	}
	b.items = in.parseAll(msgs, domains)
	b.itemUIDs = make([]imap.UID, len(msgs))
	b.raws = make([][]byte, len(msgs))
	for i, m := range msgs {
		b.itemUIDs[i] = m.uid
		b.raws[i] = m.body
	}
	return b, nil
}

// unknown returns the uids whose Message-ID is not in the ledger (or that
// have none), and how many were skipped.
func (in *Intake) unknown(ctx context.Context, k *conn, uids []imap.UID) ([]imap.UID, int, error) {
	msgs, err := k.fetch(uids, &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{idSection}})
	if err != nil {
		return nil, 0, err
	}
	keyOf := make(map[imap.UID]string, len(msgs))
	keys := make([]string, 0, len(msgs))
	for _, m := range msgs {
		// notice.MessageKey of the header field alone is the key of the
		// whole message when it has a Message-ID; without one the key is a
		// hash of all the bytes and the message must be fetched.
		key := notice.MessageKey(m.body)
		if strings.HasPrefix(key, "sha256:") {
			key = ""
		} else {
			keys = append(keys, key)
		}
		keyOf[m.uid] = key
	}
	known, err := in.opt.Store.KnownKeys(ctx, keys)
	if err != nil {
		return nil, 0, err
	}
	var want []imap.UID
	skipped := 0
	for _, m := range msgs {
		if key := keyOf[m.uid]; key != "" && known[key] {
			skipped++
		} else {
			want = append(want, m.uid)
		}
	}
	return want, skipped, nil
}

// parseAll parses msgs on all cores; each result keeps its message's index.
func (in *Intake) parseAll(msgs []message, domains []string) []app.Inbound {
	items := make([]app.Inbound, len(msgs))
	source := "imap:" + in.acc.MailboxName()
	var next atomic.Int64
	var wg sync.WaitGroup
	workers := max(1, min(runtime.GOMAXPROCS(0), len(msgs)/8))
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(msgs) {
					return
				}
				m := msgs[i]
				var it app.Inbound
				if m.large {
					it = notice.ParseTooLarge(m.body, m.size, source)
				} else {
					it = notice.Parse(m.body, m.date, source)
				}
				// The server's arrival time is the mail's own date: a
				// notice cannot have come in a day after it.
				if !m.date.IsZero() {
					it.MailDate = m.date
				}
				app.ScreenSender(&it, domains, in.opt.Now())
				if it.Notice != nil && it.Notice.Kind == app.NoticeTilldelat {
					it.Assignee = in.acc.Assignee
				}
				items[i] = it
			}
		})
	}
	wg.Wait()
	return items
}

// commit stores a batch with the sync state past its last UID, then tells
// the caller about new and updated cases and, when asked, marks the notices
// seen or moves them. Mail that is not a notice is never touched.
// commitEach stores a batch that the store refused as invalid one message
// at a time, and quarantines the message it refuses: one bad message must
// not stop intake for good by failing its batch on every retry. A crash
// in the middle only means the batch is fetched again and the messages
// already stored are duplicates.
func (in *Intake) commitEach(ctx context.Context, b *batch, st *app.SyncState) ([]app.IngestResult, error) {
	var results []app.IngestResult
	for i := range b.items {
		r, err := in.opt.Store.IngestBatch(ctx, b.items[i:i+1], nil)
		if app.ErrorCode(err) == app.EINVALID {
			it := b.items[i]
			b.items[i] = app.Inbound{Key: it.Key, Source: it.Source, Quarantine: &app.Quarantined{
				Key: it.Key, Source: it.Source, Raw: b.raws[i], ReceivedAt: in.opt.Now(),
				Reason: "Notisen kunde inte sparas som ärende: " + app.ErrorMessage(err),
			}}
			r, err = in.opt.Store.IngestBatch(ctx, b.items[i:i+1], nil)
		}
		if err != nil {
			return nil, err
		}
		results = append(results, r...)
	}
	if _, err := in.opt.Store.IngestBatch(ctx, nil, st); err != nil {
		return nil, err
	}
	return results, nil
}

func (in *Intake) commit(ctx context.Context, k *conn, b *batch, validity uint32, sum *app.IngestSummary) error {
	st := &app.SyncState{Account: in.acc.Key(), UIDValidity: validity, LastUID: uint32(b.uids[len(b.uids)-1])}
	results, err := in.opt.Store.IngestBatch(ctx, b.items, st)
	if app.ErrorCode(err) == app.EINVALID {
		results, err = in.commitEach(ctx, b, st)
	}
	if err != nil {
		return err
	}
	sum.Add(results...)
	sum.Duplicates += b.skipped
	var touched []imap.UID
	for i, r := range results {
		if i >= len(b.items) {
			break
		}
		if (r.Outcome == app.OutcomeNew || r.Outcome == app.OutcomeUpdated) && in.opt.OnCase != nil {
			in.opt.OnCase(r, b.items[i].Notice)
		}
		if r.Outcome != app.OutcomeNotNotice {
			touched = append(touched, b.itemUIDs[i])
		}
	}
	if len(touched) == 0 {
		return nil
	}
	if in.acc.MarkSeen {
		if err := k.markSeen(touched); err != nil {
			return err
		}
	}
	if in.acc.MoveTo != "" {
		if err := k.move(touched, in.acc.MoveTo); err != nil {
			return err
		}
	}
	return nil
}
