//! A build killed part-way leaves the previous site exactly as it was, and the
//! next build cleans up after it.

mod common;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{TestSite, snapshot};

fn staging_dirs(root: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(".public.wenku-"))
        // The site before last, kept for the next build to write over.
        .filter(|p| !p.ends_with(".public.wenku-previous"))
        .collect()
}

#[test]
fn killing_a_build_part_way_leaves_the_previous_site_intact() {
    let site = TestSite::sample();
    site.build();
    let before = snapshot(&site.public());

    // The bulk reports use bodies outside the sample's vocabulary.
    site.write("wenku.yaml", "title: 文库\n");
    // Enough reports that rendering takes a while, so the kill lands mid-write.
    let paragraph =
        "坚持以习近平新时代中国特色社会主义思想为指导，统筹推进疫情防控和经济社会发展，打通供应链堵点卡点。".repeat(20);
    for i in 0..6000 {
        site.report(
            &format!("bulk/{i}.md"),
            &format!("批量报告{i}"),
            &format!("机关{}", i % 40),
            2000 + i % 25,
            &format!("## 一、情况\n\n{paragraph}\n\n## 二、打算\n\n{paragraph}"),
        );
    }

    let mut child = Command::new(env!("CARGO_BIN_EXE_wenku"))
        .arg("build")
        .current_dir(site.root())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    // Wait until the build is writing its staging folder.
    loop {
        let writing = staging_dirs(site.root())
            .iter()
            .any(|d| d.join("bodies").exists() || d.join("bulk").exists() || d.join("index.html").exists());
        if writing {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the build finished before it could be killed; the fixture is too small"
        );
        assert!(Instant::now() < deadline, "the build never started writing");
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();

    assert_eq!(snapshot(&site.public()), before, "the old site must be untouched");
    assert!(!staging_dirs(site.root()).is_empty(), "the killed build left its staging folder (sanity check)");

    // The next build succeeds, replaces the site and removes the leftovers.
    site.build();
    assert!(site.public().join("bulk/5999/index.html").exists());
    assert!(staging_dirs(site.root()).is_empty(), "stale staging folders are cleaned up");
}
