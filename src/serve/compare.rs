//! `GET /compare/?a=2020/总结/&b=2021/总结/`: any two reports compared, as
//! the built comparison pages compare a report with its predecessor.
//!
//! The two reports are read from their Markdown files when asked for, so the
//! page always shows what is on disk; the theme is the site's own.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::AppState;
use crate::config::Config;
use crate::content::{self, Library};
use crate::render::Site;
use crate::theme::Theme;

pub async fn compare(State(state): State<Arc<AppState>>, Query(params): Query<HashMap<String, String>>) -> Response {
    let (Some(a), Some(b)) = (params.get("a"), params.get("b")) else {
        return message(StatusCode::BAD_REQUEST, "请给出要对比的两篇报告：/compare/?a=较早报告的地址&b=较晚报告的地址");
    };
    if !state.knows_sources() {
        return message(StatusCode::SERVICE_UNAVAILABLE, "对比需要 wenku serve 自己构建站点：去掉 --no-build 再启动");
    }
    let (a, b) = (state.source_of(a), state.source_of(b));
    let (Some(a), Some(b)) = (a, b) else {
        return message(StatusCode::NOT_FOUND, "没有找到这篇报告：a 和 b 应是报告页面的地址，例如 2021/总结/");
    };
    let root = state.root.clone();
    match tokio::task::spawn_blocking(move || render(root, a, b)).await {
        Ok(Ok(html)) => Html(html).into_response(),
        Ok(Err(e)) => message(StatusCode::INTERNAL_SERVER_ERROR, &format!("无法对比：{e:#}")),
        Err(_) => message(StatusCode::INTERNAL_SERVER_ERROR, "无法对比"),
    }
}

fn message(status: StatusCode, text: &str) -> Response {
    let html =
        format!("<!DOCTYPE html><meta charset=\"utf-8\"><title>对比</title><p>{}</p>", crate::render::xml_escape(text));
    (status, Html(html)).into_response()
}

/// Reads both reports and renders their comparison with the site's theme.
fn render(root: PathBuf, old: PathBuf, new: PathBuf) -> anyhow::Result<String> {
    let config = Config::load(&root).map_err(|d| crate::diagnostics::Diagnostics(vec![d]))?;
    let theme = Theme::load(&root, &config)?;
    let content_dir = root.join("content");
    let load = |source: &PathBuf| {
        content::load_report(&content_dir, &content_dir.join(source), &config).map_err(crate::diagnostics::Diagnostics)
    };
    let reports = vec![load(&old)?, load(&new)?];
    let library = Library::new(reports, &config);
    let index_of = |source: &PathBuf| library.reports.iter().position(|r| &r.source == source).expect("loaded above");
    let (old, new) = (index_of(&old), index_of(&new));
    let passages = crate::passages::Passages::default();
    let site = Site::new(&library, &theme, &config, &passages);
    Ok(String::from_utf8(site.render_comparison(old, new)?)?)
}
