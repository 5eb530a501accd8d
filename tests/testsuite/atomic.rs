//! A build stopped part-way (at a fail point, as a kill would stop it, or
//! by a full disk) leaves the previous site exactly as it was, and the next
//! build cleans up after it.

use std::path::Path;

use crate::common::{SmallDisk, TestSite, snapshot};

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
fn a_build_stopped_part_way_leaves_the_previous_site_intact() {
    let site = TestSite::fixture("two-bodies");
    site.build();
    let before = snapshot(&site.public());

    for i in 0..40 {
        site.report(
            &format!("bulk/{i}.md"),
            &format!("批量报告{i}"),
            &format!("机关{}", i % 4),
            2000 + i % 25,
            "正文。",
        );
    }

    // Stopped as a kill would stop it (no clean-up runs), after 30 files of
    // the new site are written: the fail point makes the moment exact.
    let stopped = crate::common::wenku_command()
        .arg("build")
        .current_dir(site.root())
        .env("FAILPOINTS", "site-write=30*off->return")
        .output()
        .unwrap();
    assert_eq!(
        stopped.status.code(),
        Some(wenku::STOPPED_AT_FAIL_POINT),
        "{}",
        String::from_utf8_lossy(&stopped.stderr)
    );

    assert_eq!(snapshot(&site.public()), before, "the old site must be untouched");
    let staged = staging_dirs(site.root());
    assert_eq!(staged.len(), 1, "the stopped build left its staging folder");
    let written = walkdir::WalkDir::new(&staged[0]).into_iter().flatten().filter(|e| e.file_type().is_file()).count();
    assert!(written >= 30, "it was stopped part-way through writing ({written} files)");

    // The next build succeeds, replaces the site and cleans up after it.
    site.build();
    assert!(site.public().join("bulk/39/index.html").exists());
    assert!(staging_dirs(site.root()).is_empty(), "stale staging folders are cleaned up");
}

#[test]
#[ignore = "needs permission to mount a tmpfs (root or CAP_SYS_ADMIN; CI runs it with --include-ignored)"]
fn a_full_disk_stops_the_build_with_a_clear_message_and_loses_nothing() {
    let disk = SmallDisk::mount(4);
    let site = TestSite::new();
    site.write("wenku.yaml", "static_search: false\n");
    site.numbered_reports(20, "");
    let output = disk.path().join("public");
    let build_into_disk = || site.run(&["build", "--output", output.to_str().unwrap()]);
    let run = build_into_disk();
    assert!(run.success, "20 reports fit: {}", run.stderr);
    let before = snapshot(&output);

    // 400 reports do not: the site in place stays as it was.
    site.numbered_reports(400, "");
    let run = build_into_disk();
    assert!(!run.success);
    assert!(run.stderr.contains("No space left on device"), "{}", run.stderr);
    assert!(run.stderr.contains("help: the disk is full: free some space"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(snapshot(&output), before, "the site in place is untouched");

    // The site fits elsewhere, its search index does not (the disk filled
    // up to its last byte): Tantivy says only that its writer was killed,
    // wenku says why.
    let filler = disk.path().join("filler");
    {
        use std::io::Write;
        let mut file = std::fs::File::create(&filler).unwrap();
        while file.write_all(&[0u8; 16 * 1024]).is_ok() {}
    }
    site.write("wenku.yaml", format!("static_search: false\nindex_dir: {}\n", disk.path().join("index").display()));
    let run = site.run(&["build"]);
    assert!(!run.success);
    assert!(run.stderr.contains("cannot write the search index in"), "{}", run.stderr);
    assert!(run.stderr.contains("the disk is full") && run.stderr.contains("free some space"), "{}", run.stderr);
    assert!(site.public().join("2019/r00399/index.html").exists(), "the site was built before the index");

    // With room again, the next build completes.
    std::fs::remove_file(&filler).unwrap();
    std::fs::remove_dir_all(&output).unwrap();
    for entry in std::fs::read_dir(disk.path()).unwrap().flatten() {
        if entry.file_name().to_string_lossy().starts_with(".public.wenku-") {
            std::fs::remove_dir_all(entry.path()).unwrap();
        }
    }
    let run = site.run(&["build"]);
    assert!(run.success, "{}", run.stderr);
    assert!(run.stderr.contains("indexed 400 reports"), "{}", run.stderr);
}
