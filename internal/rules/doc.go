// Package rules holds the legal rules of admission to the Party as
// versioned data and the pure functions that judge the facts of a case
// against them (DOMAIN §5, reference/admission-rules.md §0–§6).
//
// A rule set (Set) is a struct of parameters, each group with the source
// it comes from: the 2021 set (QĐ 24-QĐ/TW, HD 01-HD/TW) and the set in
// force from 1 July 2025 (QĐ 294-QĐ/TW, HD 06-HD/TW). A province's stricter
// limits are an overlay (Overlay), a copy of a set with some parameters
// changed and its own source label. The set in force for a case is the one
// in force on the date of the chapter resolution, or today before it
// (InForce).
//
// Every judging function returns a Verdict: the rule's name, whether the
// case passes, a Vietnamese message that explains the outcome and what to do
// when it fails, and the source. Check runs the dossier check of CONTRACT
// "Dossier check" on a whole case.
//
// The package is pure: it imports only the standard library,
// internal/calendar (working days) and internal/domain (the error type),
// does no I/O, and reads the clock only through the today argument.
package rules
