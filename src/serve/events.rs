//! What a file event means to the site: a report, a template, a static
//! file or the config changed, or nothing the site reads. Beside the
//! watcher, which sorts every event through `classify` into `Changes`.

use std::path::Path;

use crate::content;
use crate::content::config::Config;
use crate::rebuild::Changes;

/// What kind of file of the site a changed path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A report, or a folder under `content/` (moved or removed whole, it
    /// reports only its own path).
    Content,
    Template,
    Static,
    Config,
}

/// The kind of `path` (under `root`), or `None` for what the site does not
/// read: the output, the index, hidden files (editor swap files, the site
/// before last), other files under `content/`, anything outside the site.
pub fn classify(root: &Path, config: &Config, path: &Path) -> Option<Kind> {
    let rel = path.strip_prefix(root).ok()?;
    let hidden = rel.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
    if hidden || rel.starts_with(&config.output_dir) || rel.starts_with(&config.index_dir) {
        return None;
    }
    let first = rel.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned());
    match first.as_deref()? {
        "content" => {
            let folder = path.is_dir() || path.extension().is_none();
            (content::is_report_file(path) || folder).then_some(Kind::Content)
        }
        "templates" => Some(Kind::Template),
        "static" => Some(Kind::Static),
        "themes" if rel.components().nth(2).is_some_and(|c| c.as_os_str() == "static") => Some(Kind::Static),
        "themes" => Some(Kind::Template),
        "wenku.yaml" if rel.components().count() == 1 => Some(Kind::Config),
        _ => None,
    }
}

/// Adds `path` to `changes` under its kind, if the site reads it.
pub fn add(changes: &mut Changes, root: &Path, config: &Config, path: &Path) {
    match classify(root, config, path) {
        Some(Kind::Content) => {
            changes.content.insert(path.to_path_buf());
        }
        Some(Kind::Template) => changes.templates = true,
        Some(Kind::Static) => changes.static_files = true,
        Some(Kind::Config) => changes.config = true,
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Paths under the site root `/site` (none exists: a path without an
    /// extension under `content/` is taken for a folder moved or removed).
    #[test]
    fn each_path_is_sorted_into_its_kind() {
        let config = Config::default();
        use Kind::{Config as Settings, Content, Static, Template};
        let table: &[(&str, Option<Kind>)] = &[
            ("/site/content/2021/a.md", Some(Content)),
            ("/site/content/2021/B.MD", Some(Content)),
            ("/site/content/2019", Some(Content)), // a folder moved or removed whole
            ("/site/templates/report.html", Some(Template)),
            ("/site/themes/default/templates/base.html", Some(Template)),
            ("/site/static/logo.png", Some(Static)),
            ("/site/themes/default/static/style.css", Some(Static)),
            ("/site/wenku.yaml", Some(Settings)),
            ("/site/public/index.html", None),             // the output
            ("/site/search-index/v3/meta.json", None),     // the index
            ("/site/content/2021/.a.md.swp", None),        // an editor's swap file
            ("/site/content/.git/HEAD", None),             // hidden folders
            ("/site/content/2021/notes.txt", None),        // not a report
            ("/site/.public.wenku-previous/x.html", None), // the site before last
            ("/site/other/wenku.yaml", None),              // a config elsewhere
            ("/elsewhere/content/a.md", None),             // outside the site
        ];
        for (path, kind) in table {
            assert_eq!(classify(Path::new("/site"), &config, Path::new(path)), *kind, "{path}");
        }
    }

    #[test]
    fn changes_gather_each_kind() {
        let config = Config::default();
        let mut changes = Changes::default();
        for path in ["/site/content/2021/a.md", "/site/content/2021/B.MD", "/site/wenku.yaml", "/site/public/x.html"] {
            add(&mut changes, Path::new("/site"), &config, Path::new(path));
        }
        let content: Vec<&str> = changes.content.iter().map(|p| p.to_str().unwrap()).collect();
        assert_eq!(content, ["/site/content/2021/B.MD", "/site/content/2021/a.md"]);
        assert!(changes.config && !changes.templates && !changes.static_files);
    }
}
