//! `wenku init DIR`: a new site with a commented config and one report.

use std::path::Path;

use anyhow::{Context, Result, bail};

const CONFIG: &str = r#"# wenku.yaml: settings of this archive. Every key is optional.

# Shown in the header of every page and in the feed.
title: 某区机关工作报告文库
description: 本区各机关历年工作总结、半年报告与工作要点

# Where the site is published: a full URL or a path prefix such as /archive/.
base_url: /

# <html lang>; zh-CN unless the reports are in another language.
language: zh-CN

# Reports per list page.
paginate: 50

# Raw HTML inside Markdown is shown as text unless this is true.
allow_html: false

# The allowed values of the front-matter fields, in display order. Once
# the archive's bodies are settled, uncomment a list: a report with any
# other value is then an error that names the closest one. (Values that
# `wenku import` could only guess are listed under `review:` and wait for a
# person instead.)
# levels: [国家级, 省级, 市级, 区县级]
# periods: [年度, 上半年, 下半年, 第一季度, 第二季度, 第三季度, 第四季度, 工作要点]
# bodies:
#   - 某区人大常委会党组
#   - 区委直属机关工委

# Reports must fall in this range of years.
# years: {from: 1949, to: 2030}
"#;

const REPORT: &str = r#"---
title: 某区人大常委会党组2024年度工作总结
body: 某区人大常委会党组
level: 区县级
year: 2024
period: 年度
date: 2024-12-20
summary: 一年来党组工作的主要做法与下一步打算。
---

## 一、主要工作

### （一）坚持党的领导

一是加强理论学习，全年组织党组理论学习中心组学习十二次。二是落实重大事项请示报告制度。

## 二、存在的问题

调查研究还不够深入，监督实效有待提升。

## 三、下一步打算

围绕全区中心工作，依法履职，持续提升监督质效。
"#;

/// Where `init` puts the example report, under the site.
const EXAMPLE_PATH: &str = "content/2024/人大常委会党组-年度总结.md";

/// The example report, if it is still there as `init` wrote it: the first
/// import removes it, so that it never stands in a real archive.
pub fn untouched_example(root: &Path) -> Option<std::path::PathBuf> {
    let path = root.join(EXAMPLE_PATH);
    let text = std::fs::read_to_string(&path).ok()?;
    (text == REPORT).then_some(path)
}

/// Removes the folders left empty between `file` and `top` (not `top`).
pub fn remove_empty_parents(file: &Path, top: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == top || !d.starts_with(top) || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

pub fn init(dir: &Path) -> Result<()> {
    let config = dir.join(crate::content::config::CONFIG_FILE);
    if config.exists() {
        bail!("{} already exists; wenku init does not overwrite a site", config.display());
    }
    let report = dir.join(EXAMPLE_PATH);
    let report_dir = report.parent().expect("the example has a folder");
    std::fs::create_dir_all(report_dir).with_context(|| format!("cannot create {}", report_dir.display()))?;
    std::fs::write(&config, CONFIG).with_context(|| format!("cannot write {}", config.display()))?;
    std::fs::write(&report, REPORT).with_context(|| format!("cannot write {}", report.display()))?;
    Ok(())
}
