package service

import (
	"context"
	"errors"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/rules"
	"ketnap/internal/store"
)

// The candidates import with their stage facts (issue 6, item 1): a
// chapter's spreadsheet says, per candidate, how far the admission
// procedure went — selected as a source, helper, awareness certificate,
// dossier, verification, opinions, introducers, the chapter's and the
// grassroots committee's resolutions. The import does not write those
// facts into the case tables directly: it replays them through the same
// service calls a secretary makes on the case page, on their dates, so
// the rules judge them (a chapter resolution on a dossier without two
// introducers is refused with the rule and its source), the deadlines
// (decision within 45 working days of the resolution, verification
// replies) are computed, and every step has its audit record. Each row is
// replayed inside a savepoint of the import's single transaction: a row
// the rules refuse is undone alone, and the transaction commits only when
// the caller's policy allows (nothing wrong, or "the valid rows only").

// VoteFacts are the figures of a resolution as the file gives them.
type VoteFacts struct {
	Date     time.Time
	Number   string
	Members  int // official members of the chapter, or members of the committee
	Excluded int // not counted in the denominator (QĐ294 §9.3.2)
	Present  int
	Yes      int
}

// CaseHistory are the facts of an admission case so far, each optional;
// a later fact needs the earlier ones the procedure requires (the rules
// say which).
type CaseHistory struct {
	OpenedOn     time.Time // selected into the list of sources; zero: the earliest date given
	HardshipArea bool
	HelperID     int64

	CertificateNo   string
	CertificateDate *time.Time

	DossierOpened *time.Time // the application and the personal history are dated on it

	VerificationSent      *time.Time
	VerificationAddressee string
	VerificationReplied   *time.Time
	VerificationResult    string

	Opinions        *time.Time // opinions of the mass organizations and of the place of residence
	YouthResolution *time.Time // the Youth Union's resolution introducing the candidate
	Introducers     []int64
	MonthsTogether  int

	Chapter   *VoteFacts
	Committee *VoteFacts
}

// Facts of a history, named in a FactError.
const (
	FactOpened       = "opened"
	FactHelper       = "helper"
	FactCertificate  = "certificate"
	FactDossier      = "dossier"
	FactVerification = "verification"
	FactReply        = "verification_reply"
	FactOpinions     = "opinions"
	FactYouth        = "youth_resolution"
	FactIntroducer   = "introducer"
	FactChapter      = "chapter_vote"
	FactCommittee    = "committee_vote"
)

// FactError is a fact of a row that could not be recorded, and why.
type FactError struct {
	Row  int    // index in the rows given
	Fact string // one of the Fact constants
	Err  error
}

func (e *FactError) Error() string { return domain.ErrorMessage(e.Err) }
func (e *FactError) Unwrap() error { return e.Err }

// CandidateImport is one row of a candidates file: a new person, or the
// ID of one already in the store (ExistingID), with the facts of their
// case (nil: none).
type CandidateImport struct {
	Person     *domain.Person
	ExistingID int64
	History    *CaseHistory
}

// CandidatesResult is what ImportCandidates did.
type CandidatesResult struct {
	Created   int         // people written
	Advanced  int         // people already in the store whose case gained steps
	Unchanged int         // people already in the store whose case had every fact
	Steps     int         // procedure steps recorded
	Failures  []FactError // rows refused (undone), in row order
	Committed bool
}

// errNoCommit rolls the import's transaction back on purpose.
var errNoCommit = errors.New("import: not committed")

// ImportCandidates writes new people already validated (CheckPerson) and
// replays the case facts of the rows that have them, in one transaction.
// commit is asked, once every row is done, whether to keep the work given
// the number of rows refused; progress, when set, is told how many rows
// are done.
func (s *Service) ImportCandidates(ctx context.Context, rows []CandidateImport, commit func(refused int) bool, progress func(int)) (*CandidatesResult, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !me.CanWrite("people") {
		return nil, cannotWrite(me)
	}
	now := s.Now()
	var res CandidatesResult
	err = s.store.Tx(ctx, func(tx *store.Store) error {
		res = CandidatesResult{}
		ts := s.in(tx)
		ts.ladders = map[ladderKey]ladder{}
		replayed, reported := 0, 0
		for i, r := range rows {
			// every 5,000 rows, and every 200 replayed rows (a replay
			// takes some 15 steps, so those rows are slow)
			if progress != nil && i > 0 && (i%5000 == 0 || (replayed > 0 && replayed%200 == 0 && reported < replayed)) {
				progress(i)
				reported = replayed
			}
			if r.History != nil {
				replayed++
			}
			if r.History == nil {
				if r.Person == nil {
					res.Unchanged++
					continue
				}
				if err := tx.CreatePerson(ctx, r.Person, now); err != nil {
					return err
				}
				res.Created++
				continue
			}
			steps := 0
			err := tx.Savepoint(ctx, func() error {
				id := r.ExistingID
				if r.Person != nil {
					if err := tx.CreatePerson(ctx, r.Person, now); err != nil {
						return err
					}
					id = r.Person.ID
				}
				n, err := ts.replayCase(ctx, id, r.History)
				steps = n
				return err
			})
			if fe, ok := errors.AsType[*FactError](err); ok {
				fe.Row = i
				res.Failures = append(res.Failures, *fe)
				continue
			} else if err != nil {
				return err
			}
			res.Steps += steps
			switch {
			case r.Person != nil:
				res.Created++
			case steps > 0:
				res.Advanced++
			default:
				res.Unchanged++
			}
		}
		if !commit(len(res.Failures)) {
			return errNoCommit
		}
		if res.Created == 0 && res.Advanced == 0 {
			return nil
		}
		return s.audit(ctx, tx, me, "import", "person", 0, map[string]any{"kind": "candidates", "created": res.Created,
			"advanced": res.Advanced, "steps": res.Steps})
	})
	if errors.Is(err, errNoCommit) {
		return &res, nil
	}
	if err != nil {
		return nil, err
	}
	res.Committed = true
	return &res, nil
}

// replayCase records the facts of h on the open admission case of the
// person (opening it when there is none): only the facts the case does not
// have yet, in the procedure's order. It returns the number of steps
// recorded; a refused fact is a *FactError.
func (s *Service) replayCase(ctx context.Context, personID int64, h *CaseHistory) (int, error) {
	p, _, err := s.store.GetPerson(ctx, personID)
	if err != nil {
		return 0, err
	}
	cases, err := s.store.CasesOfPerson(ctx, personID)
	if err != nil {
		return 0, err
	}
	var c *domain.Case
	var lastClosed *time.Time
	for _, x := range cases {
		if !x.Closed() {
			c = x
		} else if lastClosed == nil || x.ClosedOn.After(*lastClosed) {
			lastClosed = x.ClosedOn
		}
	}
	steps := 0
	fail := func(fact string, err error) (int, error) {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return steps, err
		}
		if _, ok := errors.AsType[*domain.Error](err); !ok {
			if _, ok := errors.AsType[*RefusedError](err); !ok {
				return steps, err // not the row's fault
			}
		}
		return steps, &FactError{Fact: fact, Err: err}
	}
	if c == nil {
		if p.Stage != domain.StageSource && p.Stage != domain.StageCandidate {
			return 0, nil // admitted (or gone) since: the file's facts are history
		}
		if lastClosed != nil && !h.OpenedOn.After(*lastClosed) {
			// the case these facts describe was closed since (withdrawn,
			// refused): re-importing the file does not start it again; a
			// new case starts after the closing
			return 0, nil
		}
		opened, err := s.OpenCase(ctx, OpenCaseInput{PersonID: personID, OpenedOn: h.OpenedOn, HelperID: h.HelperID,
			HardshipArea: h.HardshipArea, YouthUnionExists: h.YouthResolution != nil})
		if err != nil {
			if e, ok := errors.AsType[*domain.Error](err); ok && e.Field == "helper_id" {
				return fail(FactHelper, err)
			}
			return fail(FactOpened, err)
		}
		c = opened.Case
		steps++
	}
	if c.Stage != domain.CaseSource && c.Stage != domain.CaseDossier && c.Stage != domain.CaseChapterVoted {
		return steps, nil // past the facts a candidates file can give
	}
	parts, err := s.store.CaseParts(ctx, c.ID)
	if err != nil {
		return steps, err
	}
	step := func(fact string, call func(version int64) (*CaseView, error)) error {
		x, err := call(c.Version)
		if err != nil {
			_, err = fail(fact, err)
			return err
		}
		c = x.Case
		steps++
		return nil
	}
	has := func(kind string) bool {
		for _, d := range parts.Documents {
			if d.Kind == kind {
				return true
			}
		}
		return false
	}
	beforeVote := c.Stage == domain.CaseSource || c.Stage == domain.CaseDossier
	if beforeVote && h.YouthResolution != nil && !c.YouthUnionExists {
		if err := step(FactYouth, func(v int64) (*CaseView, error) {
			return s.SetCaseFacts(ctx, c.ID, CaseFactsInput{HardshipArea: c.HardshipArea, VillageElder: c.VillageElder,
				YouthUnionExists: true, PoliticalIssue: c.PoliticalIssue, Version: v})
		}); err != nil {
			return steps, err
		}
	}
	if c.HelperID == 0 && h.HelperID != 0 {
		if err := step(FactHelper, func(v int64) (*CaseView, error) {
			return s.AssignHelper(ctx, c.ID, HelperInput{PersonID: h.HelperID, Version: v})
		}); err != nil {
			return steps, err
		}
	}
	if beforeVote && c.CertificateDate == nil && h.CertificateDate != nil {
		if err := step(FactCertificate, func(v int64) (*CaseView, error) {
			return s.RecordCertificate(ctx, c.ID, CertificateInput{Number: h.CertificateNo, Date: *h.CertificateDate, Version: v})
		}); err != nil {
			return steps, err
		}
	}
	if beforeVote && c.DossierOpened == nil && h.DossierOpened != nil {
		d := *h.DossierOpened
		if err := step(FactDossier, func(v int64) (*CaseView, error) {
			return s.OpenDossier(ctx, c.ID, DateInput{Date: d, Version: v})
		}); err != nil {
			return steps, err
		}
		for _, kind := range []string{rules.FormApplication, rules.FormPersonalHistory} {
			if !has(kind) {
				if err := step(FactDossier, func(v int64) (*CaseView, error) {
					return s.RecordDocument(ctx, c.ID, DocumentInput{Kind: kind, Date: d, Version: v})
				}); err != nil {
					return steps, err
				}
			}
		}
	}
	// the verification request the file describes: the one sent on its
	// date (others may have been added on the case page)
	fileVerification := func() *domain.CaseVerification {
		for _, x := range parts.Verifications {
			if h.VerificationSent != nil && x.SentOn.Equal(*h.VerificationSent) {
				return x
			}
		}
		return nil
	}
	if beforeVote && h.VerificationSent != nil && fileVerification() == nil {
		if err := step(FactVerification, func(v int64) (*CaseView, error) {
			return s.RequestVerification(ctx, c.ID, VerificationInput{Subject: "candidate", Addressee: h.VerificationAddressee,
				SentOn: *h.VerificationSent, Version: v})
		}); err != nil {
			return steps, err
		}
		if parts, err = s.store.CaseParts(ctx, c.ID); err != nil {
			return steps, err
		}
	}
	if x := fileVerification(); beforeVote && h.VerificationReplied != nil && x != nil && x.RepliedOn == nil {
		if err := step(FactReply, func(v int64) (*CaseView, error) {
			return s.RecordVerificationReply(ctx, c.ID, x.ID, ReplyInput{Date: *h.VerificationReplied, Result: h.VerificationResult, Version: v})
		}); err != nil {
			return steps, err
		}
	}
	if beforeVote && h.Opinions != nil && !has(rules.FormOpinions) {
		if err := step(FactOpinions, func(v int64) (*CaseView, error) {
			return s.RecordDocument(ctx, c.ID, DocumentInput{Kind: rules.FormOpinions, Date: *h.Opinions, Version: v})
		}); err != nil {
			return steps, err
		}
	}
	if beforeVote && h.YouthResolution != nil && !has(rules.FormYouthUnionResolution) {
		if err := step(FactYouth, func(v int64) (*CaseView, error) {
			return s.RecordDocument(ctx, c.ID, DocumentInput{Kind: rules.FormYouthUnionResolution, Date: *h.YouthResolution, Version: v})
		}); err != nil {
			return steps, err
		}
	}
	if beforeVote {
		have := len(parts.Introducers)
		for _, id := range h.Introducers {
			known := false
			for _, x := range parts.Introducers {
				known = known || x.PersonID == id
			}
			if known || have >= 2 {
				continue // on the case already, or the case has its introducers (the page's, which win)
			}
			have++
			if err := step(FactIntroducer, func(v int64) (*CaseView, error) {
				return s.AddIntroducer(ctx, c.ID, IntroducerInput{PersonID: id, MonthsTogether: h.MonthsTogether, LetterDate: h.DossierOpened, Version: v})
			}); err != nil {
				return steps, err
			}
		}
	}
	vote := func(fact, level string, f *VoteFacts) error {
		return step(fact, func(v int64) (*CaseView, error) {
			return s.Vote(ctx, c.ID, domain.PurposeAdmission, VoteInput{Level: level, Date: f.Date, Number: f.Number, Members: f.Members,
				Excluded: f.Excluded, Present: f.Present, Yes: f.Yes, No: max(0, f.Present-f.Yes), Version: v})
		})
	}
	if beforeVote && h.Chapter != nil {
		if err := vote(FactChapter, domain.LevelChapter, h.Chapter); err != nil {
			return steps, err
		}
		if c.Stage == domain.CaseRefused {
			return steps, &FactError{Fact: FactChapter, Err: domain.Errorf(domain.EInvalid,
				"Nghị quyết chi bộ không đạt tỷ lệ tán thành (%s). Kết quả không kết nạp không nhập từ tệp: xóa các cột nghị quyết của dòng này, nhập lại, rồi ghi kết quả biểu quyết trên trang hồ sơ kết nạp", c.CloseReason)}
		}
	}
	if c.Stage == domain.CaseChapterVoted && h.Committee != nil {
		if err := vote(FactCommittee, domain.LevelCommittee, h.Committee); err != nil {
			return steps, err
		}
		if c.Stage == domain.CaseRefused {
			return steps, &FactError{Fact: FactCommittee, Err: domain.Errorf(domain.EInvalid,
				"Nghị quyết đảng ủy không đạt tỷ lệ tán thành (%s). Kết quả không kết nạp không nhập từ tệp: xóa các cột nghị quyết đảng ủy của dòng này, nhập lại, rồi ghi kết quả biểu quyết trên trang hồ sơ kết nạp", c.CloseReason)}
		}
	}
	return steps, nil
}
