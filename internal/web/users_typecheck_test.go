package web

// The accounts and audit pages' data types, for TestTemplatesTypeCheck.
func init() {
	pageData["password"] = passwordView{}
	pageData["user_list"] = userListView{}
	pageData["user_form"] = userFormView{}
	pageData["user_show"] = userShowView{}
	pageData["audit"] = auditView{}
}
