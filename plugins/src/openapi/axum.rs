//! A static scanner of axum routers in Rust source (parsed with `syn`, never compiled or
//! run). It understands method chains on a router:
//!
//! - `.route("/path", get(h).post(h2))`: `get`/`post`/`put`/`delete`/`patch`/`head`/
//!   `options`/`trace` as functions (any path, e.g. `routing::get`) or chained methods,
//!   their `*_service` forms, and `on(MethodFilter::GET, h)`;
//! - `.nest("/prefix", r)` and `.merge(r)` where `r` is a router chain written inline, a
//!   call of a function defined in the scanned sources (resolved by module path: file
//!   layout and inline `mod`s, `crate`/`self`/`super`; an ambiguous name is not followed) or
//!   a `let` variable of the same function;
//! - `.layer(..)`, `.with_state(..)` and other calls on the chain are passed through.
//!
//! Every chain is a root unless it was reached through `nest`/`merge`. Not seen: routes
//! built in macros, routers returned through traits or generics, `any(..)`,
//! `route_service` (methods unknown), paths that are not string literals.

pub use super::axum_exprs::METHODS;
use super::axum_exprs::{methods, string_lit};
use std::collections::BTreeSet;
use syn::visit::Visit;
use syn::{Block, Expr, Pat, Stmt};

/// One operation found.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Route {
    /// OpenAPI form: `{param}` placeholders.
    pub path: String,
    pub method: String,
    /// The handler's name when it is a path (`users::list` → `list`).
    pub handler: Option<String>,
}

/// A parsed source file and its module path (`src/api/users.rs` → `["api", "users"]`).
pub struct SourceFile {
    pub module: Vec<String>,
    pub file: syn::File,
}

/// Routes of the parsed files, sorted and without duplicates.
pub fn scan(files: &[SourceFile]) -> Vec<Route> {
    let mut fns = FnIndex::default();
    for f in files {
        fns.module = f.module.clone();
        fns.visit_file(&f.file);
    }
    let mut consumed = Consumed::default();
    let mut roots: Vec<(usize, Option<String>, Vec<Route>)> = Vec::new();
    for id in 0..fns.entries.len() {
        for (binding, chain) in chains(fns.entries[id].body) {
            let mut ctx = Ctx {
                fns: &fns,
                current: id,
                consumed: &mut consumed,
                depth: 0,
            };
            let routes = ctx.eval(chain, "");
            roots.push((id, binding, routes));
        }
    }
    let mut out = BTreeSet::new();
    for (id, binding, routes) in roots {
        let var_used = binding.is_some_and(|b| consumed.vars.contains(&(id, b)));
        if var_used || consumed.fns.contains(&id) {
            continue;
        }
        out.extend(routes);
    }
    out.into_iter().collect()
}

/// One function (free or method) with the module it is defined in.
struct FnEntry<'a> {
    module: Vec<String>,
    name: String,
    body: &'a Block,
}

#[derive(Default)]
struct FnIndex<'a> {
    entries: Vec<FnEntry<'a>>,
    /// Module of the item being visited.
    module: Vec<String>,
}

impl<'a> FnIndex<'a> {
    fn add(&mut self, name: &syn::Ident, body: &'a Block) {
        self.entries.push(FnEntry {
            module: self.module.clone(),
            name: name.to_string(),
            body,
        });
    }

    /// The function a call path names, seen from function `from`: `a::b::f` matches an `f`
    /// whose module ends with `a::b` (`crate`/`self`/`super` resolved against the caller's
    /// module); a bare `f` prefers the caller's module. Never the caller itself.
    fn resolve(&self, path: &syn::Path, from: usize) -> Option<usize> {
        let segs: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        let (name, quals) = segs.split_last()?;
        let here = &self.entries[from].module;
        let mut want: Vec<String> = Vec::new();
        let mut absolute = false;
        for (i, q) in quals.iter().enumerate() {
            match q.as_str() {
                "crate" if i == 0 => absolute = true,
                "self" if i == 0 => {
                    want = here.clone();
                    absolute = true;
                }
                "super" => {
                    if !absolute {
                        want = here.clone();
                        absolute = true;
                    }
                    want.pop();
                }
                _ => want.push(q.clone()),
            }
        }
        let candidates: Vec<usize> = (0..self.entries.len())
            .filter(|&i| i != from && self.entries[i].name == *name)
            .collect();
        let pick = |ok: &dyn Fn(&[String]) -> bool| {
            let found: Vec<usize> = candidates
                .iter()
                .copied()
                .filter(|&i| ok(&self.entries[i].module))
                .collect();
            (found.len() == 1).then(|| found[0])
        };
        if absolute {
            return pick(&|m| m == want.as_slice());
        }
        if want.is_empty() {
            return pick(&|m| m == here.as_slice()).or_else(|| pick(&|_| true));
        }
        // `api::router()` from module `m`: `m::api` first, then any module ending in `api`.
        let mut nested = here.clone();
        nested.extend(want.iter().cloned());
        pick(&|m| m == nested.as_slice()).or_else(|| pick(&|m| m.ends_with(&want)))
    }
}

impl<'a> Visit<'a> for FnIndex<'a> {
    fn visit_item_fn(&mut self, f: &'a syn::ItemFn) {
        self.add(&f.sig.ident, &f.block);
        syn::visit::visit_item_fn(self, f);
    }
    fn visit_impl_item_fn(&mut self, f: &'a syn::ImplItemFn) {
        self.add(&f.sig.ident, &f.block);
        syn::visit::visit_impl_item_fn(self, f);
    }
    fn visit_item_mod(&mut self, m: &'a syn::ItemMod) {
        self.module.push(m.ident.to_string());
        syn::visit::visit_item_mod(self, m);
        self.module.pop();
    }
}

/// What `nest`/`merge` reached: whole functions, and `let` variables of a function.
#[derive(Default)]
struct Consumed {
    fns: BTreeSet<usize>,
    vars: BTreeSet<(usize, String)>,
}

/// Router method names that make an expression a chain.
fn is_router_call(m: &str) -> bool {
    matches!(m, "route" | "nest" | "merge")
}

/// The outermost router chains of a body, with the `let` name they are bound to (if any).
fn chains(body: &Block) -> Vec<(Option<String>, &Expr)> {
    struct Finder<'a> {
        found: Vec<(Option<String>, &'a Expr)>,
        binding: Option<String>,
    }
    impl<'a> Visit<'a> for Finder<'a> {
        fn visit_local(&mut self, l: &'a syn::Local) {
            let name = match &l.pat {
                Pat::Ident(p) => Some(p.ident.to_string()),
                Pat::Type(t) => match &*t.pat {
                    Pat::Ident(p) => Some(p.ident.to_string()),
                    _ => None,
                },
                _ => None,
            };
            if let Some(init) = &l.init {
                self.binding = name;
                self.visit_expr(&init.expr);
                self.binding = None;
                if let Some((_, e)) = &init.diverge {
                    self.visit_expr(e);
                }
            }
        }
        fn visit_expr(&mut self, e: &'a Expr) {
            if chain_has_router_call(e) {
                self.found.push((self.binding.take(), e));
                return;
            }
            // Only the expression directly bound by `let` counts as the binding.
            let saved = self.binding.take();
            syn::visit::visit_expr(self, e);
            self.binding = saved;
        }
        fn visit_item(&mut self, _: &'a syn::Item) {
            // Nested items are indexed (and scanned) on their own.
        }
    }
    let mut f = Finder {
        found: Vec::new(),
        binding: None,
    };
    for stmt in &body.stmts {
        f.visit_stmt(stmt);
    }
    f.found
}

fn chain_has_router_call(mut e: &Expr) -> bool {
    while let Expr::MethodCall(m) = e {
        if is_router_call(&m.method.to_string()) {
            return true;
        }
        e = &m.receiver;
    }
    false
}

struct Ctx<'a, 'c> {
    fns: &'a FnIndex<'a>,
    /// The function whose body is being read.
    current: usize,
    consumed: &'c mut Consumed,
    depth: usize,
}

impl<'a> Ctx<'a, '_> {
    /// The routes of a router expression, under `prefix`.
    fn eval(&mut self, e: &'a Expr, prefix: &str) -> Vec<Route> {
        if self.depth > 32 {
            return Vec::new();
        }
        match e {
            Expr::MethodCall(m) => {
                let mut out = self.eval(&m.receiver, prefix);
                let args: Vec<&Expr> = m.args.iter().collect();
                match (m.method.to_string().as_str(), args.as_slice()) {
                    ("route", [path, router]) => {
                        if let Some(p) = string_lit(path) {
                            let full = join(prefix, &p);
                            for (method, handler) in methods(router) {
                                out.push(Route {
                                    path: full.clone(),
                                    method,
                                    handler,
                                });
                            }
                        }
                    }
                    ("nest", [path, inner]) => {
                        if let Some(p) = string_lit(path) {
                            let full = join(prefix, &p);
                            out.extend(self.follow(inner, &full));
                        }
                    }
                    ("merge", [inner]) => out.extend(self.follow(inner, prefix)),
                    _ => {}
                }
                out
            }
            Expr::Paren(p) => self.eval(&p.expr, prefix),
            Expr::Block(b) => match b.block.stmts.last() {
                Some(Stmt::Expr(e, None)) => self.eval(e, prefix),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    /// A router handed to `nest`/`merge`: inline, a known function, or a local variable.
    fn follow(&mut self, e: &'a Expr, prefix: &str) -> Vec<Route> {
        match e {
            Expr::Call(c) => {
                let Expr::Path(p) = &*c.func else {
                    return Vec::new();
                };
                let Some(id) = self.fns.resolve(&p.path, self.current) else {
                    return Vec::new();
                };
                self.consumed.fns.insert(id);
                let mut out = Vec::new();
                for (_, chain) in chains(self.fns.entries[id].body) {
                    let mut sub = Ctx {
                        fns: self.fns,
                        current: id,
                        consumed: &mut *self.consumed,
                        depth: self.depth + 1,
                    };
                    out.extend(sub.eval(chain, prefix));
                }
                out
            }
            Expr::Path(p) if p.path.segments.len() == 1 => {
                let var = p.path.segments[0].ident.to_string();
                let mut out = Vec::new();
                for (binding, chain) in chains(self.fns.entries[self.current].body) {
                    if binding.as_deref() == Some(var.as_str()) {
                        self.consumed.vars.insert((self.current, var.clone()));
                        self.depth += 1;
                        out.extend(self.eval(chain, prefix));
                        self.depth -= 1;
                    }
                }
                out
            }
            Expr::Reference(r) => self.follow(&r.expr, prefix),
            _ => {
                self.depth += 1;
                let out = self.eval(e, prefix);
                self.depth -= 1;
                out
            }
        }
    }
}

pub use super::route_paths::{join, openapi_path, path_params};
