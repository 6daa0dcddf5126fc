package web

import (
	"fmt"
	"reflect"
	"testing"
	"text/template/parse"
)

// pageData is the type each page template is executed with (view.Data).
var pageData = map[string]any{
	"login":       loginView{},
	"error":       errorView{},
	"offline":     struct{}{},
	"dashboard":   dashboardView{},
	"org_show":    orgShowView{},
	"org_form":    orgFormView{},
	"people_list": peopleListView{},
	"person_show": personView{},
	"person_form": personFormView{},
	"targets":     &targetsView{},
	"calendar":    &calendarView{},
}

// TestTemplatesTypeCheck walks every page template with the Go types it
// is executed with and reports fields, methods and functions that do not
// exist or get the wrong number or kind of arguments, including in
// branches that no other test reaches (pkgsite checks its templates the
// same way).
func TestTemplatesTypeCheck(t *testing.T) {
	pages, err := parseTemplates()
	if err != nil {
		t.Fatal(err)
	}
	for name, tmpl := range pages {
		data, ok := pageData[name]
		if !ok {
			t.Errorf("template %s has no entry in pageData", name)
			continue
		}
		c := &checker{t: t, page: name, data: reflect.TypeOf(data), lookup: func(n string) *parse.Tree {
			if x := tmpl.Lookup(n); x != nil {
				return x.Tree
			}
			return nil
		}, done: map[string]bool{}}
		c.call("layout", reflect.TypeOf(view{}))
	}
	for name := range pageData {
		if pages[name] == nil {
			t.Errorf("pageData names %s, which has no template", name)
		}
	}
}

type checker struct {
	t      *testing.T
	page   string
	data   reflect.Type // the page's view.Data
	lookup func(string) *parse.Tree
	done   map[string]bool
	where  string
}

var (
	boolType   = reflect.TypeOf(true)
	intType    = reflect.TypeOf(0)
	stringType = reflect.TypeOf("")
	floatType  = reflect.TypeOf(0.0)
)

func (c *checker) errorf(n parse.Node, format string, args ...any) {
	c.t.Helper()
	c.t.Errorf("%s: %s: %s: %s", c.page, c.where, n, fmt.Sprintf(format, args...))
}

// call checks the named template executed with dot of type dot.
func (c *checker) call(name string, dot reflect.Type) {
	key := name + "\x00" + fmt.Sprint(dot)
	if c.done[key] {
		return
	}
	c.done[key] = true
	tree := c.lookup(name)
	if tree == nil {
		c.t.Errorf("%s: no template %q", c.page, name)
		return
	}
	saved := c.where
	c.where = name
	c.list(tree.Root, dot, map[string]reflect.Type{"$": dot})
	c.where = saved
}

func copyVars(v map[string]reflect.Type) map[string]reflect.Type {
	out := make(map[string]reflect.Type, len(v))
	for k, x := range v {
		out[k] = x
	}
	return out
}

func (c *checker) list(l *parse.ListNode, dot reflect.Type, vars map[string]reflect.Type) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		c.node(n, dot, vars)
	}
}

func (c *checker) node(n parse.Node, dot reflect.Type, vars map[string]reflect.Type) {
	switch n := n.(type) {
	case *parse.ActionNode:
		c.pipe(n.Pipe, dot, vars)
	case *parse.IfNode:
		c.pipe(n.Pipe, dot, vars)
		c.list(n.List, dot, copyVars(vars))
		c.list(n.ElseList, dot, copyVars(vars))
	case *parse.WithNode:
		inner := copyVars(vars)
		typ := c.pipe(n.Pipe, dot, inner)
		c.list(n.List, typ, inner)
		c.list(n.ElseList, dot, copyVars(vars))
	case *parse.RangeNode:
		inner := copyVars(vars)
		typ := c.pipeNoDecl(n.Pipe, dot, inner)
		key, elem := rangeTypes(typ)
		if typ != nil && typ.Kind() != reflect.Interface && elem == nil {
			c.errorf(n, "cannot range over %s", typ)
		}
		switch len(n.Pipe.Decl) {
		case 1:
			inner[n.Pipe.Decl[0].Ident[0]] = elem
		case 2:
			inner[n.Pipe.Decl[0].Ident[0]] = key
			inner[n.Pipe.Decl[1].Ident[0]] = elem
		}
		c.list(n.List, elem, inner)
		c.list(n.ElseList, dot, copyVars(vars))
	case *parse.TemplateNode:
		arg := dot
		if n.Pipe != nil {
			arg = c.pipe(n.Pipe, dot, vars)
		} else {
			arg = nil
		}
		if arg != nil {
			c.call(n.Name, arg)
		}
	case *parse.ListNode:
		c.list(n, dot, vars)
	}
}

func rangeTypes(t reflect.Type) (key, elem reflect.Type) {
	if t == nil {
		return nil, nil
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return intType, t.Elem()
	case reflect.Map:
		return t.Key(), t.Elem()
	case reflect.Int:
		return intType, intType
	case reflect.Interface:
		return nil, nil
	}
	return nil, nil
}

// pipe returns the type of a pipeline (nil when unknown) and declares its variables.
func (c *checker) pipe(p *parse.PipeNode, dot reflect.Type, vars map[string]reflect.Type) reflect.Type {
	typ := c.pipeNoDecl(p, dot, vars)
	for _, d := range p.Decl {
		vars[d.Ident[0]] = typ
	}
	return typ
}

func (c *checker) pipeNoDecl(p *parse.PipeNode, dot reflect.Type, vars map[string]reflect.Type) reflect.Type {
	var prev reflect.Type
	hasPrev := false
	for _, cmd := range p.Cmds {
		prev = c.cmd(cmd, dot, vars, prev, hasPrev)
		hasPrev = true
	}
	return prev
}

// unknown marks an argument of unknown type.
var unknown = reflect.TypeOf((*any)(nil)).Elem()

func (c *checker) cmd(cmd *parse.CommandNode, dot reflect.Type, vars map[string]reflect.Type, final reflect.Type, hasFinal bool) reflect.Type {
	args := cmd.Args[1:]
	argTypes := make([]reflect.Type, 0, len(args)+1)
	for _, a := range args {
		argTypes = append(argTypes, c.arg(a, dot, vars))
	}
	if hasFinal {
		if final == nil {
			final = unknown
		}
		argTypes = append(argTypes, final)
	}
	switch first := cmd.Args[0].(type) {
	case *parse.IdentifierNode:
		return c.function(cmd, first.Ident, argTypes)
	case *parse.FieldNode:
		return c.fields(first, dot, first.Ident, argTypes)
	case *parse.ChainNode:
		return c.fields(first, c.arg(first.Node, dot, vars), first.Field, argTypes)
	case *parse.VariableNode:
		v, ok := vars[first.Ident[0]]
		if !ok {
			c.errorf(first, "undefined variable")
			return nil
		}
		if len(first.Ident) == 1 {
			return v
		}
		return c.fields(first, v, first.Ident[1:], argTypes)
	}
	return c.arg(cmd.Args[0], dot, vars)
}

func (c *checker) arg(n parse.Node, dot reflect.Type, vars map[string]reflect.Type) reflect.Type {
	switch n := n.(type) {
	case *parse.DotNode:
		return dot
	case *parse.StringNode:
		return stringType
	case *parse.NumberNode:
		if n.IsInt {
			return intType
		}
		return floatType
	case *parse.BoolNode:
		return boolType
	case *parse.NilNode:
		return nil
	case *parse.FieldNode:
		return c.fields(n, dot, n.Ident, nil)
	case *parse.VariableNode:
		v, ok := vars[n.Ident[0]]
		if !ok {
			c.errorf(n, "undefined variable")
			return nil
		}
		return c.fields(n, v, n.Ident[1:], nil)
	case *parse.ChainNode:
		return c.fields(n, c.arg(n.Node, dot, vars), n.Field, nil)
	case *parse.PipeNode:
		return c.pipe(n, dot, copyVars(vars))
	case *parse.IdentifierNode:
		return c.function(n, n.Ident, nil)
	}
	return nil
}

// fields resolves a chain of field or method names on t; the arguments
// go to the last one, which must then be a method.
func (c *checker) fields(n parse.Node, t reflect.Type, names []string, args []reflect.Type) reflect.Type {
	for i, name := range names {
		if t == nil || t == unknown {
			return nil
		}
		last := i == len(names)-1
		if t == reflect.TypeOf(view{}) && name == "Data" {
			t = c.data
			continue
		}
		if m, ok := method(t, name); ok {
			var a []reflect.Type
			if last {
				a = args
			}
			t = c.checkCall(n, name, m.Type, a, 1)
			continue
		}
		if last && len(args) > 0 {
			c.errorf(n, "%s is not a method of %s but gets arguments", name, t)
		}
		base := t
		for base.Kind() == reflect.Pointer {
			base = base.Elem()
		}
		switch base.Kind() {
		case reflect.Struct:
			f, ok := base.FieldByName(name)
			if !ok || !f.IsExported() {
				c.errorf(n, "%s has no field or method %s", t, name)
				return nil
			}
			t = f.Type
		case reflect.Map:
			if base.Key().Kind() != reflect.String {
				c.errorf(n, "map %s is not keyed by string", t)
				return nil
			}
			t = base.Elem()
		case reflect.Interface:
			return nil
		default:
			c.errorf(n, "%s (%s) has no field %s", t, base.Kind(), name)
			return nil
		}
	}
	return t
}

func method(t reflect.Type, name string) (reflect.Method, bool) {
	if m, ok := t.MethodByName(name); ok {
		return m, true
	}
	if t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface {
		return reflect.PointerTo(t).MethodByName(name)
	}
	return reflect.Method{}, false
}

var builtins = map[string]reflect.Type{
	"and": nil, "or": nil, "not": boolType, "len": intType, "index": nil, "slice": nil,
	"print": stringType, "printf": stringType, "println": stringType, "urlquery": stringType,
	"html": stringType, "js": stringType, "call": nil,
	"eq": boolType, "ne": boolType, "lt": boolType, "le": boolType, "gt": boolType, "ge": boolType,
}

func (c *checker) function(n parse.Node, name string, args []reflect.Type) reflect.Type {
	if fn, ok := funcs[name]; ok {
		return c.checkCall(n, name, reflect.TypeOf(fn), args, 0)
	}
	res, ok := builtins[name]
	if !ok {
		c.errorf(n, "no function %s", name)
		return nil
	}
	switch name {
	case "index":
		if len(args) == 2 && args[0] != nil && args[0] != unknown {
			b := args[0]
			for b.Kind() == reflect.Pointer {
				b = b.Elem()
			}
			switch b.Kind() {
			case reflect.Map, reflect.Slice, reflect.Array:
				return b.Elem()
			}
			c.errorf(n, "cannot index %s", args[0])
		}
	case "len":
		if len(args) == 1 && args[0] != nil && args[0] != unknown {
			b := args[0]
			for b.Kind() == reflect.Pointer {
				b = b.Elem()
			}
			switch b.Kind() {
			case reflect.Map, reflect.Slice, reflect.Array, reflect.String, reflect.Chan:
			default:
				c.errorf(n, "len of %s", args[0])
			}
		}
	}
	return res
}

// checkCall checks the arguments of a function or method (skip: the
// receiver) and returns its first result.
func (c *checker) checkCall(n parse.Node, name string, ft reflect.Type, args []reflect.Type, skip int) reflect.Type {
	in := ft.NumIn() - skip
	if ft.IsVariadic() {
		if len(args) < in-1 {
			c.errorf(n, "%s needs at least %d arguments, has %d", name, in-1, len(args))
		}
	} else if len(args) != in {
		c.errorf(n, "%s needs %d arguments, has %d", name, in, len(args))
		return result(ft)
	}
	for i, a := range args {
		var p reflect.Type
		if ft.IsVariadic() && i >= in-1 {
			p = ft.In(ft.NumIn() - 1).Elem()
		} else {
			p = ft.In(i + skip)
		}
		if a == nil || a == unknown || p.Kind() == reflect.Interface {
			continue
		}
		// text/template dereferences a pointer argument when it must.
		if a.Kind() == reflect.Pointer && a.Elem().AssignableTo(p) {
			continue
		}
		if a == intType && p.Kind() == reflect.Float64 { // an integer literal
			continue
		}
		if !a.AssignableTo(p) {
			c.errorf(n, "argument %d of %s is %s, want %s", i+1, name, a, p)
		}
	}
	return result(ft)
}

func result(ft reflect.Type) reflect.Type {
	if ft.NumOut() == 0 {
		return nil
	}
	return ft.Out(0)
}
