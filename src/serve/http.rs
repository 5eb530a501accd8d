//! The router: the built site as static files, the search API and, while
//! watching, the live-reload endpoints, all under the site's base path.
//!
//! Static files come from tower-http's `ServeDir`, which decodes
//! percent-encoded paths, refuses `..`, serves `index.html` for folders and
//! answers `If-Modified-Since`. Around it: UTF-8 content types, the theme's
//! 404 page, compression, and the live-reload script in HTML while watching.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};

use super::{AppState, api, compare, kwic, live, statistics};
use crate::search::messages::Problem;

/// Largest HTML page the live-reload script is added to.
const MAX_INJECTED_PAGE: usize = 64 * 1024 * 1024;

pub fn router(state: Arc<AppState>) -> Router {
    let files = ServeDir::new(&state.output)
        .append_index_html_on_directories(true)
        .not_found_service(ServeFile::new(state.output.join("404.html")));
    let mut site = Router::new()
        .route("/api/search", get(api::search))
        .route("/api/kwic", get(kwic::lines))
        .route("/api/kwic/next", get(kwic::next))
        .route("/api/kwic/before", get(kwic::before))
        .route("/api/kwic/variants", get(kwic::variants))
        .route("/api/kwic/collocates", get(kwic::collocates))
        .route("/api/kwic/years", get(kwic::years))
        .route("/api/kwic/bodies", get(kwic::bodies))
        .route("/api/keywords", get(statistics::keywords))
        .route("/api/clusters", get(statistics::clusters))
        .route(
            "/api/draft",
            axum::routing::post(statistics::draft)
                .layer(axum::extract::DefaultBodyLimit::max(crate::shared::limits::MAX_DRAFT_BYTES)),
        )
        .route("/api/kwic/export", get(kwic::export))
        .route("/compare/", get(compare::compare));
    if state.live.is_some() {
        site = site
            .route("/__wenku/events", get(live::events))
            .route("/__wenku/status", get(live::status))
            .route("/__wenku/live.js", get(live::script));
    }
    let site: Router = site
        .fallback_service(files)
        .layer(middleware::from_fn_with_state(state.clone(), inject_live_reload))
        .layer(middleware::map_response(utf8_content_types))
        .with_state(state.clone());

    let base = state.base.trim_end_matches('/').to_owned();
    let app = if base.is_empty() {
        site
    } else {
        // Outside the base path there is nothing but a way in.
        let target = state.base.clone();
        Router::new().nest_service(&base, site).fallback(move || async move { Redirect::temporary(&target) })
    };
    app.layer(CompressionLayer::new()).layer(middleware::from_fn_with_state(state, guard_request_target))
}

/// Only origin-form targets (`/path`) reach the site. `GET secret.txt` (no
/// slash) is a 400, not a 500. `//evil.example` is read as
/// `/evil.example`: a folder of that name would otherwise be redirected to
/// `//evil.example/`, which browsers take for another host. And no redirect
/// ever leaves the site, whatever answered it.
async fn guard_request_target(State(state): State<Arc<AppState>>, mut request: Request, next: Next) -> Response {
    let uri = request.uri();
    if uri.scheme().is_none() && (uri.authority().is_some() || !uri.path().starts_with('/')) {
        return with_nosniff(plain_problem(&state, StatusCode::BAD_REQUEST, Problem::BadTarget));
    }
    let path = uri.path();
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    if decoded.split(['/', '\\']).any(|segment| segment.len() > MAX_SEGMENT_BYTES || is_internal(segment)) {
        return with_nosniff(not_found(&state).await);
    }
    if path.starts_with("//") || path.starts_with("/\\") {
        let trimmed = format!("/{}", path.trim_start_matches(['/', '\\']));
        let with_query = match uri.query() {
            Some(query) => format!("{trimmed}?{query}"),
            None => trimmed,
        };
        match with_query.parse() {
            Ok(uri) => *request.uri_mut() = uri,
            Err(_) => return with_nosniff(plain_problem(&state, StatusCode::BAD_REQUEST, Problem::BadTarget)),
        }
    }
    let mut response = next.run(request).await;
    let leaves_site = response.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).is_some_and(|location| {
        let location = location.replace('\\', "/");
        location.starts_with("//") || location.contains("://")
    });
    if leaves_site {
        response.headers_mut().insert(header::LOCATION, HeaderValue::from_static("/"));
    }
    with_nosniff(response)
}

/// What a file system allows in one name: a longer segment names no file.
const MAX_SEGMENT_BYTES: usize = 255;

/// wenku's own files in the output folder (`.wenku-build`, the staged
/// `.public.wenku-…`, temporary files) and any other hidden name are never
/// served; `.well-known` is the one hidden folder sites publish.
fn is_internal(segment: &str) -> bool {
    segment.starts_with('.') && segment != ".well-known" && segment != "." && segment != ".."
}

/// Browsers take each response for the type it says it is.
fn with_nosniff(mut response: Response) -> Response {
    response.headers_mut().insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

/// The site's own 404 page (in its language), or a plain one.
async fn not_found(state: &AppState) -> Response {
    match tokio::fs::read(state.output.join("404.html")).await {
        Ok(page) => (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response(),
        Err(_) => plain_problem(state, StatusCode::NOT_FOUND, Problem::NotFound),
    }
}

/// Text types without a charset are read as Latin-1 by some clients.
async fn utf8_content_types(mut response: Response) -> Response {
    let Some(value) = response.headers().get(header::CONTENT_TYPE) else { return response };
    let Ok(value) = value.to_str() else { return response };
    let textual = value.starts_with("text/")
        || value.starts_with("application/xml")
        || value.starts_with("application/atom+xml")
        || value.starts_with("application/javascript")
        || value.starts_with("image/svg+xml");
    if textual && !value.contains("charset") {
        let with_charset = format!("{value}; charset=utf-8");
        if let Ok(v) = HeaderValue::from_str(&with_charset) {
            response.headers_mut().insert(header::CONTENT_TYPE, v);
        }
    }
    response
}

/// A refusal of the server itself, as plain text in the site's language.
fn plain_problem(state: &AppState, status: StatusCode, problem: Problem) -> Response {
    let (message, help) = crate::search::messages::text(&problem, state.language);
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], format!("{message}\n{help}\n")).into_response()
}

/// While watching, every HTML page loads the live-reload script; the search
/// page always says it is served by `wenku serve` (`<meta name="wenku-serve">`),
/// so that it asks the API, and a page on plain static hosting goes straight
/// to the static index without a failed request. The page on disk stays as
/// a build writes it; both are added on the way out.
async fn inject_live_reload(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let is_head = request.method() == axum::http::Method::HEAD;
    let path = request.uri().path().to_owned();
    let search_page = path.ends_with("/search/") || path.ends_with("/search/index.html");
    let response = next.run(request).await;
    let has_page = matches!(response.status(), StatusCode::OK | StatusCode::NOT_FOUND);
    if (state.live.is_none() && !search_page) || is_head || !has_page {
        return response;
    }
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_INJECTED_PAGE).await else {
        return plain_problem(&state, StatusCode::INTERNAL_SERVER_ERROR, Problem::PageUnreadable);
    };
    let mut html = String::from_utf8_lossy(&bytes).into_owned();
    if search_page && let Some(at) = html.find("</head>") {
        html.insert_str(at, "<meta name=\"wenku-serve\" content=\"api\">\n");
    }
    if state.live.is_some() {
        let tag = format!("<script src=\"{}__wenku/live.js\"></script>", state.base);
        match html.rfind("</body>") {
            Some(at) => html.insert_str(at, &tag),
            None => html.push_str(&tag),
        }
    }
    let injected = html;
    parts.headers.remove(header::CONTENT_LENGTH);
    // The script changes the bytes: a cached copy must be revalidated.
    parts.headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Response::from_parts(parts, Body::from(injected))
}
