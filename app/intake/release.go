package intake

import (
	"context"
	"time"

	"arendestod/app"
	"arendestod/app/notice"
)

// ReleaseStore is what releasing a quarantined message needs.
type ReleaseStore interface {
	app.QuarantineStore
	app.SettingsStore
	app.QuarantineReleaser
}

// Release takes quarantined message id into cases, for `quarantine
// release` and the quarantine view: the message is read again and must
// now be a notice the rules accept (its sender allowed, its times sane).
// Otherwise nothing changes and the error (ECONFLICT) says why in
// Swedish. It returns the result and the notice.
func Release(ctx context.Context, s ReleaseStore, id int64, now time.Time) (app.IngestResult, *app.Notice, error) {
	list, err := s.Quarantine(ctx)
	if err != nil {
		return app.IngestResult{}, nil, err
	}
	var q *app.Quarantined
	for i := range list {
		if list[i].ID == id {
			q = &list[i]
			break
		}
	}
	if q == nil {
		return app.IngestResult{}, nil, app.Errorf(app.ENOTFOUND, "Meddelande nr %d finns inte i karantänen.", id)
	}
	in := notice.Parse(q.Raw, time.Time{}, q.Source)
	if in.Key != q.Key {
		// Quarantined by its header only (too large), or keyed apart.
		return app.IngestResult{}, nil, app.Errorf(app.ECONFLICT, "Meddelande nr %d kan inte släppas: det finns inte kvar helt.", id)
	}
	domains, err := app.SenderDomains(ctx, s)
	if err != nil {
		return app.IngestResult{}, nil, err
	}
	app.ScreenSender(&in, domains, now)
	switch {
	case in.Quarantine != nil:
		return app.IngestResult{}, nil, app.Errorf(app.ECONFLICT, "Meddelande nr %d kan inte släppas: %s", id, in.Quarantine.Reason)
	case in.Notice == nil:
		return app.IngestResult{}, nil, app.Errorf(app.ECONFLICT, "Meddelande nr %d kan inte släppas: det är ingen notis från 1177.", id)
	}
	if err := app.CheckNoticeTime(in.Notice.ReceivedAt, in.MailDate); err != nil {
		return app.IngestResult{}, nil, app.Errorf(app.ECONFLICT, "Meddelande nr %d kan inte släppas: %s", id, app.ErrorMessage(err))
	}
	res, err := s.ReleaseQuarantined(ctx, id, in)
	if err != nil {
		return res, nil, err
	}
	return res, in.Notice, nil
}
