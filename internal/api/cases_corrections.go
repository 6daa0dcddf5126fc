package api

import (
	"context"
	"net/http"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/httpx"
	"ketnap/internal/service"
)

// The steps of issue 11 on a case: the deciding body's conclusion on an
// admission vote below its threshold (HD06 §5.1), the receipts the
// clocks start from (HD06 §3.4, §3.9), and the correction of a recorded
// fact in place.

type (
	caseConclusionIn struct {
		Number     string `json:"number"`
		Date       date   `json:"date"`
		Conclusion string `json:"conclusion"`
		Version    int64  `json:"version"`
	}
	// caseCorrectionIn corrects one recorded fact; a field left out (or
	// null) keeps its value.
	caseCorrectionIn struct {
		Target   string  `json:"target"`
		ID       int64   `json:"id"`
		Kind     string  `json:"kind"`
		Date     *date   `json:"date"`
		Number   *string `json:"number"`
		Received *date   `json:"received"`
		Replied  *date   `json:"replied"`
		Members  *int    `json:"members"`
		Excluded *int    `json:"excluded"`
		Present  *int    `json:"present"`
		Yes      *int    `json:"yes"`
		No       *int    `json:"no"`
		Reason   string  `json:"reason"`
		Version  int64   `json:"version"`
	}
)

func init() {
	caseSteps["conclusion"] = step(func(a *API, ctx context.Context, id int64, in *caseConclusionIn) (*service.CaseView, error) {
		return a.svc.Conclude(ctx, id, service.ConclusionInput{Number: in.Number, Date: in.Date.Time, Conclusion: in.Conclusion, Version: in.Version})
	})
	caseSteps["transfer-received"] = step(func(a *API, ctx context.Context, id int64, in *caseDatedIn) (*service.CaseView, error) {
		return a.svc.RecordTransferReceipt(ctx, id, service.DateInput{Date: in.Date.Time, Version: in.Version})
	})
	caseSteps["corrections"] = step(func(a *API, ctx context.Context, id int64, in *caseCorrectionIn) (*service.CaseView, error) {
		return a.svc.CorrectCase(ctx, id, service.CorrectionInput{Target: in.Target, ID: in.ID, Kind: in.Kind, Date: in.Date.ptr(),
			Number: in.Number, Received: in.Received.ptr(), Replied: in.Replied.ptr(), Members: in.Members, Excluded: in.Excluded,
			Present: in.Present, Yes: in.Yes, No: in.No, Reason: in.Reason, Version: in.Version})
	})
}

// verificationReceived is POST /api/v1/cases/{id}/verifications/{vid}/received
// {"date","version"}: the day the committee asked received the request.
func (a *API) verificationReceived(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	vid, err := casePathInt(r, "vid")
	if err != nil {
		return err
	}
	v, err := step(func(a *API, ctx context.Context, id int64, in *caseDatedIn) (*service.CaseView, error) {
		return a.svc.RecordVerificationReceipt(ctx, id, vid, service.DateInput{Date: in.Date.Time, Version: in.Version})
	})(a, w, r, id)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, a.caseJSON(r, v))
	return nil
}

// caseCorrJSON is a correction with its changes.
type caseCorrJSON struct {
	Target   string               `json:"target"`
	RecordID int64                `json:"record_id,omitempty"`
	What     string               `json:"what"`
	Changes  []domain.FieldChange `json:"changes"`
	Reason   string               `json:"reason"`
	Username string               `json:"username"`
	At       time.Time            `json:"at"`
}

func correctionsJSON(list []*domain.CaseCorrection) []caseCorrJSON {
	out := []caseCorrJSON{}
	for _, x := range list {
		out = append(out, caseCorrJSON{x.Target, x.RecordID, x.What, x.Changes, x.Reason, x.Username, x.At})
	}
	return out
}
