//! Templates and static files, layered one file at a time:
//! the built-in default theme, then `themes/<name>/` on disk, then the site's
//! own `templates/` and `static/`. A site with only `content/` still builds.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use include_dir::{Dir, include_dir};

use crate::content::config::Config;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

pub struct Theme {
    pub tera: tera::Tera,
    /// Static files by output path (`static/style.css`), last layer wins.
    pub static_files: BTreeMap<String, StaticFile>,
    /// A digest of the templates and the static files on disk: whether a
    /// build state's pages were rendered with this theme.
    pub digest: u64,
}

/// A static file is either built into the binary or read from disk when written.
#[derive(Debug, Clone)]
pub enum StaticFile {
    Embedded(&'static [u8]),
    Disk(PathBuf),
    /// Another static file, DEFLATE-compressed: the search engine's
    /// WebAssembly as `.wasm.deflate`, which the page inflates itself
    /// (static hosts rarely compress `.wasm`; it shrinks to two fifths).
    Packed(Box<StaticFile>),
}

impl StaticFile {
    pub fn bytes(&self) -> Result<Vec<u8>> {
        match self {
            StaticFile::Embedded(bytes) => Ok(bytes.to_vec()),
            StaticFile::Disk(path) => std::fs::read(path).with_context(|| format!("cannot read {}", path.display())),
            StaticFile::Packed(source) => {
                let bytes = source.bytes()?;
                let level = libdeflater::CompressionLvl::new(9).expect("a valid level");
                let mut compressor = libdeflater::Compressor::new(level);
                let mut out = vec![0; compressor.deflate_compress_bound(bytes.len())];
                let written = compressor.deflate_compress(&bytes, &mut out).expect("the bound leaves room");
                out.truncate(written);
                Ok(out)
            }
        }
    }
}

impl Theme {
    pub fn load(root: &Path, config: &Config) -> Result<Theme> {
        let mut templates: BTreeMap<String, String> = BTreeMap::new();
        let mut static_files = BTreeMap::new();

        if let Some(dir) = DEFAULT_THEME.get_dir("templates") {
            for file in all_files(dir) {
                let name = relative(file.path(), "templates");
                let text = file.contents_utf8().with_context(|| format!("built-in template {name} is not UTF-8"))?;
                templates.insert(name, text.to_owned());
            }
        }
        if let Some(dir) = DEFAULT_THEME.get_dir("static") {
            for file in all_files(dir) {
                static_files.insert(relative(file.path(), ""), StaticFile::Embedded(file.contents()));
            }
        }

        let theme_dir = root.join("themes").join(&config.theme);
        if theme_dir.is_dir() {
            read_templates(&theme_dir.join("templates"), &mut templates)?;
            read_static(&theme_dir.join("static"), &mut static_files)?;
        } else if config.theme != "default" {
            bail!(
                "theme `{}` not found: expected a folder {}\n  = help: set `theme: default` in wenku.yaml, or create the theme folder",
                config.theme,
                theme_dir.display()
            );
        }
        read_templates(&root.join("templates"), &mut templates)?;
        read_static(&root.join("static"), &mut static_files)?;
        let engines: Vec<String> = static_files.keys().filter(|name| name.ends_with(".wasm")).cloned().collect();
        for name in engines {
            let packed = StaticFile::Packed(Box::new(static_files[&name].clone()));
            static_files.insert(format!("{name}.deflate"), packed);
        }

        let mut tera = tera::Tera::default();
        tera.set_escape_fn(crate::escape::escaped);
        tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| anyhow::anyhow!(tera_chain(&e)))
            .context("a template has an error")?;
        let disk_files = static_files.values().filter_map(|file| match file {
            StaticFile::Disk(path) => Some(path.as_path()),
            _ => None,
        });
        let digest = digest(&templates, disk_files);
        Ok(Theme { tera, static_files, digest })
    }
}

/// A digest of a theme's inputs: its templates' text and its static
/// files' names, sizes and modification times (the built-in ones are the
/// executable's, which the build state tells apart by itself).
fn digest<'a>(templates: &BTreeMap<String, String>, disk_files: impl Iterator<Item = &'a Path>) -> u64 {
    use crate::shared::hash::{hash_bytes, mix};
    let mut digest = 0;
    for (name, text) in templates {
        digest = mix(digest ^ hash_bytes(name.as_bytes())) ^ hash_bytes(text.as_bytes());
    }
    for path in disk_files {
        let metadata = std::fs::metadata(path).ok();
        let modified = metadata.as_ref().and_then(|m| m.modified().ok());
        let since = modified.and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).unwrap_or_default();
        digest = mix(digest ^ hash_bytes(path.as_os_str().as_encoded_bytes()));
        digest = mix(digest ^ metadata.map_or(0, |m| m.len()) ^ (since.as_nanos() as u64).rotate_left(17));
    }
    digest
}

fn all_files<'a>(dir: &'a Dir<'a>) -> Vec<&'a include_dir::File<'a>> {
    let mut out: Vec<_> = dir.files().collect();
    for sub in dir.dirs() {
        out.extend(all_files(sub));
    }
    out
}

/// `templates/report.html` → `report.html`; `static/a.css` kept whole.
fn relative(path: &Path, strip: &str) -> String {
    let path = if strip.is_empty() { path } else { path.strip_prefix(strip).unwrap_or(path) };
    path.to_string_lossy().replace('\\', "/")
}

fn read_templates(dir: &Path, templates: &mut BTreeMap<String, String>) -> Result<()> {
    for path in files_under(dir)? {
        let name = path.strip_prefix(dir).unwrap_or(&path).to_string_lossy().replace('\\', "/");
        let text =
            std::fs::read_to_string(&path).with_context(|| format!("cannot read template {}", path.display()))?;
        templates.insert(name, text);
    }
    Ok(())
}

fn read_static(dir: &Path, files: &mut BTreeMap<String, StaticFile>) -> Result<()> {
    let parent = dir.parent().unwrap_or(dir);
    for path in files_under(dir)? {
        let name = path.strip_prefix(parent).unwrap_or(&path).to_string_lossy().replace('\\', "/");
        files.insert(name, StaticFile::Disk(path));
    }
    Ok(())
}

fn files_under(dir: &Path) -> Result<Vec<PathBuf>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if entry.file_type().is_file() && !hidden {
            out.push(entry.into_path());
        }
    }
    Ok(out)
}

/// Tera hides the useful part of its errors in `source()`: show them all.
pub fn tera_chain(error: &tera::Error) -> String {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        source = inner.source();
    }
    message
}
