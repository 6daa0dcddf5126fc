package web

// The class pages' data types, for TestTemplatesTypeCheck.
func init() {
	pageData["class_list"] = classListView{}
	pageData["class_form"] = classFormView{}
	pageData["class_show"] = &classShowView{}
	pageData["class_enrol"] = classEnrolView{}
	pageData["class_attendance"] = &classAttendanceView{}
	pageData["class_results"] = &classResultsView{}
	pageData["class_report"] = classReportView{}
	pageData["class_people"] = classPeopleView{}
}
