//! `wenku import` of every format an office's shared drive holds, with the
//! real converters (LibreOffice, poppler, tesseract; `.ci/run` installs
//! them). The fixtures are made at test time: a Word document written here
//! is converted by LibreOffice to .doc, .rtf, .odt and .pdf; a page of that
//! PDF is rasterised and wrapped as an image-only PDF for OCR.

use std::io::Write;
use std::path::Path;
use std::process::Command;

use crate::common::TestSite;

const TITLE: &str = "2023年度某县农业农村局工作总结";
const DATELINE: &str = "——2023年12月28日在某县农业农村工作会议上";
const PARAGRAPHS: &[&str] = &[
    "2023年，我局认真贯彻落实县委县政府决策部署，全面推进乡村振兴，各项工作取得明显成效。",
    "全年粮食播种面积32.5万亩，总产量14.2万吨，实现稳中有增。",
    "新建高标准农田2.1万亩，完成农村人居环境整治村庄86个。",
];
const SECOND_HEADING: &str = "二、下一步打算";
const LAST: &str = "持续抓好粮食生产，确保全年目标任务圆满完成。";

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// A Word document as Word writes one: heading styles, paragraphs, a table.
fn write_docx(path: &Path) {
    let paragraph = |style: Option<&str>, text: &str| {
        let style = style.map(|s| format!("<w:pPr><w:pStyle w:val=\"{s}\"/></w:pPr>")).unwrap_or_default();
        format!("<w:p>{style}<w:r><w:t>{}</w:t></w:r></w:p>", xml_escape(text))
    };
    let cell = |text: &str| format!("<w:tc><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>");
    let mut body = paragraph(Some("Title"), TITLE);
    body += &paragraph(None, DATELINE);
    body += &paragraph(Some("Heading1"), "一、主要工作");
    for p in PARAGRAPHS {
        body += &paragraph(None, p);
    }
    body += &format!(
        "<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>",
        cell("指标"),
        cell("数值"),
        cell("粮食总产量"),
        cell("14.2万吨")
    );
    body += &paragraph(Some("Heading1"), SECOND_HEADING);
    body += &paragraph(None, LAST);
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let styles = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
        <w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
        <w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/><w:rPr><w:sz w:val=\"44\"/></w:rPr></w:style>\
        <w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/><w:pPr><w:outlineLvl w:val=\"0\"/></w:pPr></w:style>\
        </w:styles>";
    let content_types = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
        <Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
        <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
        <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
        <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
        <Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
        </Types>";
    let rels = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
        <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
        <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
        </Relationships>";
    let document_rels = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
        <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
        <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
        </Relationships>";
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in [
        ("[Content_Types].xml", content_types),
        ("_rels/.rels", rels),
        ("word/_rels/document.xml.rels", document_rels),
        ("word/document.xml", &document),
        ("word/styles.xml", styles),
    ] {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

/// Runs an outside tool; the test fails (it does not skip) when it is missing:
/// CI installs every converter. A failure is tried once more: LibreOffice's
/// first start after installing can fail while other tests start it too.
fn tool(program: &str, args: &[&str], dir: &Path) {
    let run = || {
        Command::new(program)
            .args(args)
            .current_dir(dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap_or_else(|e| panic!("`{program}` is needed by this test (.ci/run installs it): {e}"))
    };
    let status = run();
    assert!(status.success() || run().success(), "{program} {args:?} failed twice");
}

/// LibreOffice converts `src.docx` in `dir` to `format`, with its own profile.
fn libreoffice(dir: &Path, format: &str) {
    let profile = format!("-env:UserInstallation=file://{}/profile", dir.display());
    tool("soffice", &[&profile, "--headless", "--convert-to", format, "src.docx"], dir);
}

/// An image-only PDF holding one JPEG page, as a scanner writes it.
fn image_pdf(jpeg: &[u8], dpi: f64) -> Vec<u8> {
    // The JPEG's size and colour components, from its start-of-frame segment.
    let mut at = 2;
    let (height, width, components) = loop {
        let marker = jpeg[at + 1];
        let length = u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]) as usize;
        if matches!(marker, 0xC0..=0xC2) {
            let h = u16::from_be_bytes([jpeg[at + 5], jpeg[at + 6]]);
            let w = u16::from_be_bytes([jpeg[at + 7], jpeg[at + 8]]);
            break (h as f64, w as f64, jpeg[at + 9]);
        }
        at += 2 + length;
    };
    let (page_w, page_h) = (width * 72.0 / dpi, height * 72.0 / dpi);
    let colours = if components == 1 { "/DeviceGray" } else { "/DeviceRGB" };
    let content = format!("q {page_w:.2} 0 0 {page_h:.2} 0 0 cm /Im0 Do Q");
    let mut image = format!(
        "<< /Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace {colours} \
         /BitsPerComponent 8 /Filter /DCTDecode /Length {} >>\nstream\n",
        jpeg.len()
    )
    .into_bytes();
    image.extend_from_slice(jpeg);
    image.extend_from_slice(b"\nendstream");
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {page_w:.2} {page_h:.2}] \
             /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>"
        )
        .into_bytes(),
        image,
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()).into_bytes(),
    ];
    assemble_pdf(&objects)
}

/// A one-page PDF without text, `points` wide and high.
fn blank_pdf(points: u32) -> Vec<u8> {
    assemble_pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {points} {points}] /Contents 4 0 R >>").into_bytes(),
        b"<< /Length 3 >>\nstream\nq Q\nendstream".to_vec(),
    ])
}

/// A PDF of `objects` (numbered from 1, the first the catalog).
fn assemble_pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (n, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", n + 1).as_bytes());
        pdf.extend_from_slice(object);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    pdf
}

fn field<'a>(text: &'a str, name: &str) -> &'a str {
    let prefix = format!("{name}: ");
    let line = text.lines().find(|l| l.starts_with(&prefix)).unwrap_or_else(|| panic!("no {name} in:\n{text}"));
    line[prefix.len()..].trim_matches('"')
}

/// The imported report whose `source:` names `file`.
fn imported_from(site: &TestSite, file: &str) -> String {
    walkdir::WalkDir::new(site.root().join("content"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .find(|text| field(text, "source").starts_with(&format!("{file} ")))
        .unwrap_or_else(|| panic!("nothing imported from {file}"))
}

/// Letters and digits only: what OCR accuracy is measured on.
fn letters(text: &str) -> Vec<char> {
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The share of the original's characters OCR got right (1 − edit distance / length).
fn character_accuracy(original: &str, recognised: &str) -> f64 {
    let (a, b) = (letters(original), letters(recognised));
    1.0 - strsim::generic_levenshtein(&a, &b) as f64 / a.len() as f64
}

#[test]
#[ignore = "slow: LibreOffice, poppler and tesseract (CI runs it with --include-ignored)"]
fn every_format_of_a_shared_drive_is_imported() {
    let site = TestSite::new();
    let inputs = site.root().join("inputs");
    std::fs::create_dir_all(&inputs).unwrap();
    write_docx(&inputs.join("src.docx"));
    for format in ["doc", "rtf", "odt", "pdf"] {
        libreoffice(&inputs, format);
    }
    std::fs::remove_dir_all(inputs.join("profile")).unwrap();
    // A Word binary saved by WPS under its own extension; a web page saved as .doc.
    std::fs::copy(inputs.join("src.doc"), inputs.join("wps.wps")).unwrap();
    let page = format!(
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"><title>门户网站</title></head>\
         <body><div class=nav>首页 &gt; 工作总结</div><h1>{TITLE}</h1><p>{DATELINE}</p><h2>一、主要工作</h2>{}\
         <h2>{SECOND_HEADING}</h2><p>{LAST}</p></body></html>",
        PARAGRAPHS.iter().map(|p| format!("<p>{p}</p>")).collect::<String>()
    );
    let (gbk, _, _) = encoding_rs::GBK.encode(&page);
    std::fs::write(inputs.join("page.doc"), &gbk).unwrap();
    // The same page as a single-file web archive, quoted-printable.
    let mut mht = b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"b1\"\r\n\r\n--b1\r\n\
        Content-Type: text/html; charset=\"gb2312\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
        .to_vec();
    for (i, byte) in gbk.iter().enumerate() {
        mht.extend_from_slice(format!("={byte:02X}").as_bytes());
        if i % 24 == 23 {
            mht.extend_from_slice(b"=\r\n");
        }
    }
    mht.extend_from_slice(b"\r\n--b1--\r\n");
    std::fs::write(inputs.join("archive.mht"), mht).unwrap();
    // The PDF's page as a scan: an image-only PDF, and the image itself.
    tool("pdftoppm", &["-r", "200", "-jpeg", "-singlefile", "src.pdf", "page"], &inputs);
    tool("pdftoppm", &["-r", "200", "-png", "-singlefile", "src.pdf", "photo"], &inputs);
    let jpeg = std::fs::read(inputs.join("page.jpg")).unwrap();
    std::fs::write(inputs.join("scan.pdf"), image_pdf(&jpeg, 200.0)).unwrap();
    std::fs::remove_file(inputs.join("page.jpg")).unwrap();

    let run = site.run(&["import", "inputs", "--force"]);
    assert!(run.success, "{}\n{}", run.stdout, run.stderr);
    for (file, format) in [
        ("src.docx", "Word .docx"),
        ("src.doc", "Word 97–2003, via LibreOffice"),
        ("wps.wps", "WPS, via LibreOffice"),
        ("src.rtf", "RTF, via LibreOffice"),
        ("src.odt", "OpenDocument .odt"),
        ("src.pdf", "PDF, via pdftotext"),
        ("page.doc", "web page, gb18030"),
        ("archive.mht", "web archive .mht"),
        ("scan.pdf", "PDF, 1 scanned page(s) read by OCR (chi_sim)"),
        ("photo.png", "image read by OCR (chi_sim)"),
    ] {
        assert!(run.stdout.contains(&format!("inputs/{file} ({format})")), "{file} as {format}:\n{}", run.stdout);
        let text = imported_from(&site, file);
        assert_eq!(field(&text, "title"), TITLE, "{file}:\n{text}");
        assert_eq!(field(&text, "year"), "2023", "{file}");
        assert_eq!(field(&text, "body"), "某县农业农村局", "{file}");
        assert_eq!(field(&text, "period"), "年度", "{file}");
        let body = text.split("\n---\n").nth(1).unwrap();
        let scanned = file == "scan.pdf" || file == "photo.png";
        if scanned {
            assert!(text.contains("review: [ocr]"), "{file}: OCR text awaits review:\n{text}");
            assert!(field(&text, "source").ends_with(" ocr:chi_sim"), "{file}");
            let original = format!(
                "{DATELINE}一、主要工作{}指标数值粮食总产量14.2万吨{SECOND_HEADING}{LAST}",
                PARAGRAPHS.concat()
            );
            let accuracy = character_accuracy(&original, body);
            eprintln!("OCR character accuracy of {file}: {:.1}%", accuracy * 100.0);
            assert!(accuracy >= 0.9, "{file}: OCR accuracy {accuracy:.2}:\n{body}");
        } else {
            assert_eq!(field(&text, "date"), "2023-12-28", "{file}: the dateline's date");
            assert!(!text.contains("review:"), "{file}:\n{text}");
            for sentence in PARAGRAPHS.iter().chain([&LAST]) {
                assert!(body.contains(sentence), "{file} lost {sentence:?}:\n{body}");
            }
            assert!(body.contains(&format!("## {SECOND_HEADING}")), "{file}: headings stay headings:\n{body}");
            assert!(!body.contains("首页"), "{file}: the page's navigation goes");
        }
        if matches!(file, "src.docx" | "src.doc" | "src.odt" | "src.rtf") {
            assert!(body.contains("| 粮食总产量 | 14.2万吨 |"), "{file}: the table stays a table:\n{body}");
        }
    }
    assert!(site.run(&["build"]).success);
}

#[test]
#[ignore = "slow: LibreOffice, poppler and tesseract (CI runs it with --include-ignored)"]
fn a_missing_converter_is_named_and_the_rest_is_imported() {
    let site = TestSite::new();
    let inputs = site.root().join("inputs");
    std::fs::create_dir_all(&inputs).unwrap();
    write_docx(&inputs.join("src.docx"));
    libreoffice(&inputs, "pdf");
    std::fs::copy(inputs.join("src.pdf"), inputs.join("copy.pdf")).unwrap();
    std::fs::write(inputs.join("old.doc"), [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]).unwrap();
    // A PATH where no converter is found.
    let empty = site.root().join("no-tools");
    std::fs::create_dir_all(&empty).unwrap();
    let run = site.run_with_env(
        &["import", "inputs/src.docx", "inputs/copy.pdf", "inputs/old.doc"],
        &[("PATH", empty.to_str().unwrap())],
    );
    assert!(!run.success, "a file that could not be read makes the exit status 1");
    assert!(
        run.stdout.contains("imported 1, already imported 0, not reports 0, unsupported 0, failed 2"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "failed inputs/copy.pdf: needs `pdftotext` (PDF with text), which is not installed: apt install poppler-utils"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("failed inputs/old.doc: needs `soffice`")
            && run.stdout.contains("apt install libreoffice-writer-nogui"),
        "{}",
        run.stdout
    );
    let doctor = site.run_with_env(&["doctor"], &[("PATH", empty.to_str().unwrap())]);
    assert!(doctor.stdout.contains("missing  soffice"), "{}", doctor.stdout);
    assert!(doctor.stdout.contains("apt install tesseract-ocr tesseract-ocr-chi-sim"), "{}", doctor.stdout);
    let doctor = site.run(&["doctor"]);
    for program in ["soffice", "pdftotext", "pdftoppm", "tesseract", "OCR model"] {
        assert!(doctor.stdout.contains(&format!("found    {program}")), "CI installs {program}:\n{}", doctor.stdout);
    }
}

/// pdftoppm refuses a page of 200 × 200 inches (it exits 0 with a 1×1
/// image): the import says so, not that no sentence was left.
#[test]
#[ignore = "slow: LibreOffice, poppler and tesseract (CI runs it with --include-ignored)"]
fn a_page_pdftoppm_refuses_is_named_as_such() {
    let site = TestSite::new();
    site.write("inputs/huge.pdf", blank_pdf(14_400));
    let run = site.run(&["import", "inputs"]);
    assert!(
        run.stdout.contains("failed inputs/huge.pdf: pdftoppm could not render page 1 as an image"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("no running text"), "{}", run.stdout);
}

#[test]
#[ignore = "slow: LibreOffice, poppler and tesseract (CI runs it with --include-ignored)"]
fn a_damaged_document_fails_alone() {
    let site = TestSite::new();
    site.write("inputs/broken.rtf", "{\\rtf1 this is not a whole document");
    site.write("inputs/broken.pdf", "%PDF-1.4\nnot really");
    site.write("inputs/ok.txt", "2022年某县财政局工作总结\n\n全年财政收入完成预算的102%，支出结构持续优化。\n");
    let run = site.run(&["import", "inputs"]);
    assert!(run.stdout.contains("failed inputs/broken.pdf"), "{}", run.stdout);
    assert!(run.stdout.contains("imported inputs/ok.txt (UTF-8)"), "{}", run.stdout);
}
