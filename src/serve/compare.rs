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
use crate::content::config::Config;
use crate::content::theme::Theme;
use crate::content::{self, Library};
use crate::render::Site;

pub async fn compare(State(state): State<Arc<AppState>>, Query(params): Query<HashMap<String, String>>) -> Response {
    let root = state.root.clone();
    let (Some(a), Some(b)) = (params.get("a"), params.get("b")) else {
        let text = "请给出要对比的两篇报告：/compare/?a=较早报告的地址&b=较晚报告的地址";
        return message(root, StatusCode::BAD_REQUEST, text).await;
    };
    if !state.knows_sources() {
        let text = "对比需要 wenku serve 自己构建站点：去掉 --no-build 再启动";
        return message(root, StatusCode::SERVICE_UNAVAILABLE, text).await;
    }
    let (a, b) = (state.source_of(a), state.source_of(b));
    let (Some(a), Some(b)) = (a, b) else {
        let text = "没有找到这篇报告：a 和 b 应是报告页面的地址，例如 2021/总结/";
        return message(root, StatusCode::NOT_FOUND, text).await;
    };
    let site_root = root.clone();
    match tokio::task::spawn_blocking(move || render(site_root, a, b)).await {
        Ok(Ok(html)) => Html(html).into_response(),
        Ok(Err(e)) => message(root, StatusCode::INTERNAL_SERVER_ERROR, &format!("无法对比：{e:#}")).await,
        Err(_) => message(root, StatusCode::INTERNAL_SERVER_ERROR, "无法对比").await,
    }
}

/// `text` in a page of the site's theme (plain HTML if even the theme
/// cannot be loaded).
async fn message(root: PathBuf, status: StatusCode, text: &str) -> Response {
    let owned = text.to_owned();
    let themed = tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<u8>> {
        let config = Config::load(&root)?;
        let theme = Theme::load(&root, &config)?;
        let library = Library::new(Vec::new(), &config);
        let passages = crate::analysis::passages::Passages::default();
        Site::new(&library, &theme, &config, &passages).render_message("无法对比", &owned)
    })
    .await;
    let html = match themed {
        Ok(Ok(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
        _ => {
            format!("<!DOCTYPE html><meta charset=\"utf-8\"><title>对比</title><p>{}</p>", crate::escape::escaped(text))
        }
    };
    (status, Html(html)).into_response()
}

/// Reads both reports and renders their comparison with the site's theme.
fn render(root: PathBuf, old: PathBuf, new: PathBuf) -> anyhow::Result<String> {
    let config = Config::load(&root)?;
    let theme = Theme::load(&root, &config)?;
    let content_dir = root.join("content");
    let load = |source: &PathBuf| {
        content::load_report(&content_dir, &content_dir.join(source), &config)
            .map_err(crate::shared::diagnostics::Diagnostics)
    };
    let reports = vec![load(&old)?, load(&new)?];
    let library = Library::new(reports, &config);
    let index_of = |source: &PathBuf| library.reports.iter().position(|r| &r.source == source).expect("loaded above");
    let (old, new) = (index_of(&old), index_of(&new));
    let passages = crate::analysis::passages::Passages::default();
    let site = Site::new(&library, &theme, &config, &passages);
    Ok(String::from_utf8(site.render_comparison(old, new)?)?)
}
