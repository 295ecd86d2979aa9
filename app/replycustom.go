package app

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
)

// The clinic's own standard replies: administrators add them beside the
// shipped ones. Each is a key ("egen-1"), a name and what sending it
// records, kept as JSON under SettingCustomReplies; its text is under
// "svar.<key>" like an override of a shipped one.

// SettingCustomReplies holds the clinic's own replies: JSON
// [{"key","name","action"}], in the order they were added.
const SettingCustomReplies = "standardsvar.egna"

// customReplyPrefix starts the key of the clinic's own reply.
const customReplyPrefix = "egen-"

type customRecord struct {
	Key    string `json:"key"`
	Name   string `json:"name"`
	Action string `json:"action"`
}

// ReplyActionChoice is one thing sending a reply can record, as the
// settings screen offers it.
type ReplyActionChoice struct {
	Action string // ReplyAction*
	Sv     string
}

// ReplyActionChoices are the actions a clinic's own reply may have.
func ReplyActionChoices() []ReplyActionChoice {
	return []ReplyActionChoice{
		{ReplyActionNone, "Inget mer (svaret registreras bara som skickat)"},
		{ReplyActionDelsvar, "Delsvar (stoppar klockan)"},
		{ReplyActionMotfraga, "Motfråga (ärendet väntar på invånaren)"},
		{ReplyActionSvar, "Slutligt svar (ärendet avslutas)"},
	}
}

func validReplyAction(a string) bool {
	for _, c := range ReplyActionChoices() {
		if c.Action == a {
			return true
		}
	}
	return false
}

// customReplies reads the clinic's own replies from s.
func customReplies(ctx context.Context, s SettingsStore) ([]Reply, error) {
	raw, err := s.Setting(ctx, SettingCustomReplies)
	if err != nil || strings.TrimSpace(raw) == "" {
		return nil, err
	}
	var recs []customRecord
	if err := json.Unmarshal([]byte(raw), &recs); err != nil {
		return nil, Errorf(EINTERNAL, "Mottagningens egna standardsvar kunde inte läsas: %v", err)
	}
	var out []Reply
	for _, r := range recs {
		out = append(out, Reply{Key: r.Key, Name: r.Name, Action: r.Action, Custom: true})
	}
	return out, nil
}

func saveCustomReplies(ctx context.Context, s SettingsStore, rs []Reply) error {
	recs := []customRecord{}
	for _, r := range rs {
		recs = append(recs, customRecord{Key: r.Key, Name: r.Name, Action: r.Action})
	}
	raw, err := json.Marshal(recs)
	if err != nil {
		return err
	}
	return s.SetSetting(ctx, SettingCustomReplies, string(raw))
}

// WithCustom returns a book of the shipped replies and, after them, the
// clinic's own from s.
func (b *ReplyBook) WithCustom(ctx context.Context, s SettingsStore) (*ReplyBook, error) {
	own, err := customReplies(ctx, s)
	if err != nil {
		return nil, err
	}
	out := &ReplyBook{replies: b.All()}
	for _, r := range own {
		if _, shipped := b.Reply(r.Key); !shipped {
			out.replies = append(out.replies, r)
		}
	}
	return out, nil
}

// AddReply adds the clinic's own reply: a name no other reply has, what
// sending it records (ReplyAction*) and its text, whose placeholders must
// be ones we fill. It returns the new reply.
func (b *ReplyBook) AddReply(ctx context.Context, s SettingsStore, name, action, text string) (Reply, error) {
	name = strings.Join(strings.Fields(name), " ")
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	var errs ValidationErrors
	switch {
	case name == "":
		errs = append(errs, FieldErrorf("name", "skriv ett namn på svaret"))
	case len(name) > 80:
		errs = append(errs, FieldErrorf("name", "namnet är för långt (högst 80 tecken)"))
	default:
		if err := CheckText("name", name); err != nil {
			errs = append(errs, err.(*Error))
		}
	}
	if !validReplyAction(action) {
		errs = append(errs, FieldErrorf("action", "välj vad svaret registrerar"))
	}
	switch {
	case text == "":
		errs = append(errs, FieldErrorf("text", "skriv svarets text"))
	case len(text) > 8000:
		errs = append(errs, FieldErrorf("text", "texten är för lång (högst 8000 tecken)"))
	default:
		if err := CheckReplyTemplate(text); err != nil {
			errs = append(errs, err.(*Error))
		}
	}
	all, err := b.WithCustom(ctx, s)
	if err != nil {
		return Reply{}, err
	}
	for _, r := range all.replies {
		if name != "" && strings.EqualFold(r.Name, name) {
			errs = append(errs, FieldErrorf("name", "det finns redan ett svar som heter %q", r.Name))
		}
	}
	if len(errs) > 0 {
		return Reply{}, errs
	}
	own, _ := customReplies(ctx, s)
	n := 0
	for _, r := range own {
		if k, err := strconv.Atoi(strings.TrimPrefix(r.Key, customReplyPrefix)); err == nil && k > n {
			n = k
		}
	}
	r := Reply{Key: customReplyPrefix + strconv.Itoa(n+1), Name: name, Action: action, Custom: true}
	// The text first: a reply never exists without one.
	if err := s.SetSetting(ctx, ReplySettingPrefix+r.Key, text); err != nil {
		return Reply{}, err
	}
	if err := saveCustomReplies(ctx, s, append(own, r)); err != nil {
		return Reply{}, err
	}
	return r, nil
}

// RemoveReply removes the clinic's own reply key. The shipped ones cannot
// be removed (ECONFLICT). Cases keep the record of it having been sent.
func (b *ReplyBook) RemoveReply(ctx context.Context, s SettingsStore, key string) error {
	if _, shipped := b.Reply(key); shipped {
		return Errorf(ECONFLICT, "Standardsvaren som följer med programmet kan inte tas bort, bara ändras.")
	}
	own, err := customReplies(ctx, s)
	if err != nil {
		return err
	}
	var keep []Reply
	for _, r := range own {
		if r.Key != key {
			keep = append(keep, r)
		}
	}
	if len(keep) == len(own) {
		return Errorf(ENOTFOUND, "Standardsvaret %q finns inte.", key)
	}
	if err := saveCustomReplies(ctx, s, keep); err != nil {
		return err
	}
	return s.SetSetting(ctx, ReplySettingPrefix+key, "")
}
