//! Test helpers: a site in a temp dir that tests write files into, build, and
//! read back, as mdBook's test suite does.

pub mod server;
pub mod site_test;
pub mod static_server;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The `wenku` binary, speaking English (tests of Chinese output set
/// `WENKU_LANG=zh` after this).
pub fn wenku_command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_wenku"));
    command.env("WENKU_LANG", "en");
    command
}

pub struct TestSite {
    pub dir: tempfile::TempDir,
}

impl TestSite {
    /// An empty site folder.
    pub fn new() -> TestSite {
        TestSite { dir: tempfile::tempdir().expect("temp dir") }
    }

    /// A copy of `tests/fixtures/<name>/`.
    pub fn fixture(name: &str) -> TestSite {
        let site = TestSite::new();
        copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name), site.root());
        site
    }

    /// A built site with static search whose every report holds 坚持 and
    /// 发展: one more than the static engine checks in texts unasked
    /// (`坚*展`), and that count.
    pub fn too_many_for_a_gap_query_unasked() -> (TestSite, usize) {
        let site = TestSite::new();
        site.write("wenku.yaml", "static_search: true\n");
        let reports = wenku_engine::static_index::search::MAX_GAP_CANDIDATES + 1;
        for n in 0..reports {
            site.report(&format!("r{n}.md"), &format!("报告{n}"), "甲局", 2000 + (n % 20) as i32, "坚持高质量发展。");
        }
        site.build();
        (site, reports)
    }

    /// A copy of the bundled sample archive (`content/` and `wenku.yaml`).
    pub fn sample() -> TestSite {
        let site = TestSite::new();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        copy_dir(&repo.join("content"), &site.root().join("content"));
        std::fs::copy(repo.join("wenku.yaml"), site.root().join("wenku.yaml")).expect("copy wenku.yaml");
        site
    }

    /// Every report of `../shared/corpus` imported into a new site whose
    /// `wenku.yaml` is `config`, then built. Tests that use it are ignored
    /// with the reason (a fresh clone lacks `../shared`); CI runs them.
    pub fn real_archive(config: &str) -> TestSite {
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
        assert!(corpus.is_dir(), "this test needs ../shared/corpus");
        let site = TestSite::new();
        site.write("wenku.yaml", config);
        let run = site.run(&["import", corpus.to_str().unwrap()]);
        assert!(run.stdout.contains("imported"), "{}", run.stdout);
        site.build();
        site
    }

    /// The real reports of `../shared/corpus` as Markdown reports, made by
    /// the benchmark script (`make_corpus.py`), not built yet (tests that
    /// use it are ignored with the reason; CI runs them).
    pub fn generated_corpus() -> TestSite {
        TestSite::generated_corpus_of(None)
    }

    /// [`TestSite::generated_corpus`] with `count` reports (`--count`):
    /// the real reports' paragraphs mixed into an archive of that size.
    pub fn generated_corpus_of(count: Option<usize>) -> TestSite {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let script = repo.join("../shared/bench/make_corpus.py");
        assert!(
            repo.join("../shared/corpus").is_dir() && script.is_file(),
            "this test needs ../shared/corpus and ../shared/bench"
        );
        let site = TestSite::new();
        let mut command = Command::new("python3");
        command.arg(&script).arg(site.root().join("content"));
        if let Some(count) = count {
            command.args(["--count", &count.to_string()]);
        }
        let status = command.stdout(std::process::Stdio::null()).status().expect("python3 runs make_corpus.py");
        assert!(status.success(), "make_corpus.py failed");
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) -> &Self {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    /// Writes a valid annual report of a city-level body.
    pub fn report(&self, rel: &str, title: &str, body: &str, year: i32, text: &str) -> &Self {
        self.write(
            &format!("content/{rel}"),
            format!("---\ntitle: {title}\nbody: {body}\nlevel: 市级\nyear: {year}\nperiod: 年度\n---\n\n{text}\n"),
        )
    }

    /// `count` reports numbered from 0 (`content/<year>/r<n>.md`, years
    /// 2000–2019), each about 1.6 KB of text carrying `marker` once.
    pub fn numbered_reports(&self, count: usize, marker: &str) -> &Self {
        let paragraph =
            "围绕中心工作，统筹推进各项任务，坚持问题导向，狠抓工作落实，推动高质量发展取得新成效。".repeat(6);
        for i in 0..count {
            let year = 2000 + (i % 20) as i32;
            let text = format!("{paragraph}\n\n第{i}号报告{marker}。\n\n{paragraph}\n");
            self.report(&format!("{year}/r{i:05}.md"), &format!("报告{i}"), "某市", year, &text);
        }
        self
    }

    /// Runs the real binary in the site folder.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_env(args, &[])
    }

    /// Runs the real binary with extra environment variables (e.g. a `PATH`
    /// without a converter).
    pub fn run_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let output =
            wenku_command().args(args).envs(env.iter().copied()).current_dir(self.root()).output().expect("run wenku");
        Run {
            success: output.status.success(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    pub fn build(&self) -> Run {
        let run = self.run(&["build"]);
        assert!(run.success, "build failed:\n{}", run.stderr);
        run
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// A built page, by the URL path links use (percent-encoded or not).
    pub fn page(&self, url: &str) -> String {
        let path = page_file(&self.public(), url);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("no page at {url} ({}): {e}", path.display()))
    }
}

pub struct Run {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

/// The file a static server would serve for a site-relative URL path.
pub fn page_file(public: &Path, url: &str) -> PathBuf {
    let path = url.split(['#', '?']).next().unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8().expect("URL paths are UTF-8");
    let mut file = public.join(decoded.trim_start_matches('/'));
    if decoded.ends_with('/') || decoded.is_empty() {
        file = file.join("index.html");
    }
    file
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every `href="…"` (or `src`) in a page, attribute-decoded.
pub fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap();
            out.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    out
}

/// Every file under `dir` with its bytes, in a stable order.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().display().to_string(), std::fs::read(e.path()).unwrap()))
        .collect()
}

/// A tmpfs of a few megabytes, unmounted when dropped: a disk that fills
/// up. `None` (said on stderr) where this process may not mount one.
pub struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    /// A tmpfs of `megabytes`; the tests that use one are ignored with the
    /// reason (mounting needs root or CAP_SYS_ADMIN); CI runs them as root.
    pub fn mount(megabytes: u32) -> SmallDisk {
        let dir = tempfile::tempdir().unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        assert!(mounted, "this test needs permission to mount a tmpfs (root or CAP_SYS_ADMIN)");
        SmallDisk { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}
