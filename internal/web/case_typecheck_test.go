package web

// The admission procedure's pages' data types, for TestTemplatesTypeCheck.
func init() {
	pageData["case_list"] = caseListView{}
	pageData["case_show"] = &caseShowView{}
	pageData["todo"] = todoView{}
	pageData["case_meeting"] = &meetingView{}
	pageData["case_board"] = boardView{}
	pageData["case_open"] = &caseOpenView{}
}
