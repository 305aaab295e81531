//! Reading axum method routers out of `syn` expressions: `get(h).post(h2)`, `on(MethodFilter::GET, h)`,
//! handler names and string literals.

use syn::{Expr, Lit};

/// The HTTP methods axum routes by name.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// `(method, handler)` pairs of a method router expression.
pub(super) fn methods(e: &Expr) -> Vec<(String, Option<String>)> {
    match e {
        Expr::Call(c) => {
            let Expr::Path(p) = &*c.func else {
                return Vec::new();
            };
            let Some(name) = p.path.segments.last().map(|s| s.ident.to_string()) else {
                return Vec::new();
            };
            let args: Vec<&Expr> = c.args.iter().collect();
            if name == "on" {
                if let [filter, handler] = args.as_slice()
                    && let Some(m) = method_filter(filter)
                {
                    return vec![(m, handler_name(handler))];
                }
                return Vec::new();
            }
            match method_name(&name) {
                Some(m) => vec![(m, args.first().and_then(|h| handler_name(h)))],
                None => Vec::new(),
            }
        }
        Expr::MethodCall(m) => {
            let mut out = methods(&m.receiver);
            let name = m.method.to_string();
            let args: Vec<&Expr> = m.args.iter().collect();
            if name == "on" {
                if let [filter, handler] = args.as_slice()
                    && let Some(f) = method_filter(filter)
                {
                    out.push((f, handler_name(handler)));
                }
            } else if let Some(method) = method_name(&name) {
                out.push((method, args.first().and_then(|h| handler_name(h))));
            }
            out
        }
        Expr::Paren(p) => methods(&p.expr),
        _ => Vec::new(),
    }
}

/// `get` or `get_service` → `get`.
fn method_name(name: &str) -> Option<String> {
    let base = name.strip_suffix("_service").unwrap_or(name);
    METHODS.contains(&base).then(|| base.to_string())
}

/// `MethodFilter::GET` → `get`.
fn method_filter(e: &Expr) -> Option<String> {
    let Expr::Path(p) = e else { return None };
    let last = p
        .path
        .segments
        .last()?
        .ident
        .to_string()
        .to_ascii_lowercase();
    METHODS.contains(&last.as_str()).then_some(last)
}

fn handler_name(e: &Expr) -> Option<String> {
    match e {
        Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        Expr::Reference(r) => handler_name(&r.expr),
        _ => None,
    }
}

pub(super) fn string_lit(e: &Expr) -> Option<String> {
    match e {
        Expr::Lit(l) => match &l.lit {
            Lit::Str(s) => Some(s.value()),
            _ => None,
        },
        Expr::Reference(r) => string_lit(&r.expr),
        _ => None,
    }
}
