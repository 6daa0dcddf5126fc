package service

import (
	"context"
	"time"

	"ketnap/internal/domain"
)

// MeetingInput is one chapter meeting that votes on several candidates
// (each separately, HD06 §3.6a): the meeting's date, resolution number
// prefix and attendance, and each candidate's votes.
type MeetingInput struct {
	Purpose  string // domain.PurposeAdmission, PurposeRecognition or PurposeStrikeOff
	Date     time.Time
	Number   string // the resolution's number (one per candidate in practice: the page may suffix it)
	Members  int
	Excluded int
	Present  int
	Votes    []MeetingVote
}

// MeetingVote is the vote on one candidate at the meeting.
type MeetingVote struct {
	CaseID  int64
	Version int64
	Number  string // overrides the meeting's number when set
	Yes     int
	No      int
}

// MeetingResult is what became of one candidate's vote: the case after
// it, or the error (a refusal with its checks, a conflict, …).
type MeetingResult struct {
	CaseID int64
	Case   *CaseView
	Err    error
}

// ChapterMeeting records the chapter's votes on several candidates at
// one meeting. Each candidate's vote is its own step (one transaction,
// refused or conflicting alone), so that one candidate's missing document
// does not hold back the others; the results come back in order.
func (s *Service) ChapterMeeting(ctx context.Context, in MeetingInput) ([]MeetingResult, error) {
	if _, err := actor(ctx); err != nil {
		return nil, err
	}
	if err := checkPurpose(in.Purpose); err != nil {
		return nil, err
	}
	if len(in.Votes) == 0 {
		return nil, domain.FieldError("votes", "Chưa chọn người nào để biểu quyết")
	}
	out := make([]MeetingResult, len(in.Votes))
	for i, v := range in.Votes {
		number := in.Number
		if v.Number != "" {
			number = v.Number
		}
		c, err := s.Vote(ctx, v.CaseID, in.Purpose, VoteInput{Level: domain.LevelChapter, Date: in.Date, Number: number, Members: in.Members,
			Excluded: in.Excluded, Present: in.Present, Yes: v.Yes, No: v.No, Version: v.Version})
		out[i] = MeetingResult{CaseID: v.CaseID, Case: c, Err: err}
	}
	return out, nil
}
