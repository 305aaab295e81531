use super::axum::{Route, SourceFile, join, openapi_path, path_params, scan};
use super::*;

fn routes(src: &str) -> Vec<(String, String)> {
    routes_of(&[("", src)])
}

/// Files given as (module path `a::b`, source).
fn routes_of(files: &[(&str, &str)]) -> Vec<(String, String)> {
    let files: Vec<SourceFile> = files
        .iter()
        .map(|(m, src)| SourceFile {
            module: m
                .split("::")
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            file: syn::parse_file(src).unwrap_or_else(|e| panic!("{e}")),
        })
        .collect();
    scan(&files)
        .into_iter()
        .map(|r: Route| (r.method, r.path))
        .collect()
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = items
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    v.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
    v
}

fn sorted(mut v: Vec<(String, String)>) -> Vec<(String, String)> {
    v.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
    v
}

#[test]
fn paths_join_and_placeholders_convert() {
    assert_eq!(join("", "/users/:id"), "/users/{id}");
    assert_eq!(join("/api", "/"), "/api");
    assert_eq!(join("/api/", "/x"), "/api/x");
    assert_eq!(join("", "/"), "/");
    assert_eq!(openapi_path("/files/{*rest}"), "/files/{rest}");
    assert_eq!(openapi_path("/files/*rest"), "/files/{rest}");
    assert_eq!(path_params("/a/{x}/b/{y}"), vec!["x", "y"]);
}

#[test]
fn chains_nests_merges_and_variables() {
    let src = r#"
        use axum::{Router, routing::{get, post}};
        fn app() -> Router {
            let admin = Router::new().route("/stats", get(stats));
            Router::new()
                .route("/health", get(health))
                .route("/users", get(list_users).post(create_user))
                .route("/users/:id", axum::routing::get(get_user).delete(delete_user))
                .nest("/api/v1", api())
                .nest("/admin", admin)
                .merge(extra())
                .route("/m", on(MethodFilter::PUT, put_m))
                .layer(TraceLayer::new())
                .with_state(state)
        }
        fn api() -> Router { Router::new().route("/items/{id}", get(item).patch(patch_item)) }
        fn extra() -> Router { Router::new().route("/x", post(x)) }
        fn unrelated() { let v = vec![1].iter().map(|x| x + 1); }
    "#;
    assert_eq!(
        sorted(routes(src)),
        pairs(&[
            ("get", "/admin/stats"),
            ("get", "/api/v1/items/{id}"),
            ("patch", "/api/v1/items/{id}"),
            ("get", "/health"),
            ("put", "/m"),
            ("get", "/users"),
            ("post", "/users"),
            ("delete", "/users/{id}"),
            ("get", "/users/{id}"),
            ("post", "/x"),
        ])
    );
}

#[test]
fn same_named_router_functions_resolve_by_module() {
    let main = r#"
        mod health { pub fn router() -> Router { Router::new().route("/healthz", get(ok)) } }
        pub fn router(state: S) -> Router {
            Router::new()
                .route("/", get(index))
                .nest("/api", api::router())
                .nest("/users", crate::api::users::router())
                .merge(health::router())
                .with_state(state)
        }
    "#;
    let api = r#"pub fn router() -> Router { Router::new().route("/items", get(items)) }"#;
    let users = r#"pub fn router() -> Router { Router::new().route("/{id}", get(user)) }"#;
    assert_eq!(
        sorted(routes_of(&[
            ("", main),
            ("api", api),
            ("api::users", users)
        ])),
        pairs(&[
            ("get", "/"),
            ("get", "/api/items"),
            ("get", "/healthz"),
            ("get", "/users/{id}"),
        ])
    );
    assert_eq!(
        module_path(Path::new("/s"), Path::new("/s/src/api/users.rs")),
        vec!["api", "users"]
    );
    assert_eq!(
        module_path(Path::new("/s"), Path::new("/s/crates/x/src/api/mod.rs")),
        vec!["api"]
    );
    assert!(module_path(Path::new("/s"), Path::new("/s/src/main.rs")).is_empty());
}

#[test]
fn documents_have_parameters_and_unique_operation_ids() {
    let rs = vec![
        Route {
            path: "/a/{id}".into(),
            method: "get".into(),
            handler: Some("h".into()),
        },
        Route {
            path: "/b".into(),
            method: "post".into(),
            handler: Some("h".into()),
        },
        Route {
            path: "/c".into(),
            method: "get".into(),
            handler: None,
        },
    ];
    let doc = document("T", "1", &rs);
    assert_eq!(doc["openapi"], json!("3.1.0"));
    assert_eq!(
        doc["paths"]["/a/{id}"]["get"]["parameters"][0]["name"],
        json!("id")
    );
    assert_eq!(doc["paths"]["/b"]["post"]["operationId"], json!("h_2"));
    assert_eq!(doc["paths"]["/c"]["get"]["operationId"], json!("get_c"));
}

#[test]
fn nothing_detected_is_the_reference_error() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(tmp.path().join("main.py"), "print(1)").unwrap_or_else(|e| panic!("{e}"));
    let req = Request {
        bundle_dir: tmp.path().display().to_string(),
        ..Request::default()
    };
    let err = generate(&req).err().map(|e| e.0).unwrap_or_default();
    assert_eq!(err, "no supported framework detected\nsupported: axum");
}
