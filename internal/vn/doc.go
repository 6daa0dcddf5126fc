// Package vn holds the Vietnamese text helpers shared by the whole program:
//
//   - input cleaning (NFC, trimmed, single spaces) and folding for
//     diacritic-insensitive search (đ → d);
//   - ordering of personal names the Vietnamese way (by given name, then the
//     rest, with Vietnamese collation), including a byte sort key that a
//     database can ORDER BY;
//   - display formats for numbers and dates (23,17 %, 1.234.567,
//     04/05/2024, "Krông Pắc, ngày 04 tháng 5 năm 2024");
//   - citizen identity numbers (CCCD / số định danh cá nhân);
//   - the official lists of ethnic groups and recognised religions.
//
// The package is pure: no I/O, no global mutable state visible to callers, and
// every function is safe for concurrent use. Text shown to users is
// Vietnamese; identifiers and comments are English.
package vn
