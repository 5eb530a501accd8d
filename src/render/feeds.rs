//! The Atom feed of the newest reports, and the sitemap.

use super::*;

impl<'a> Site<'a> {
    /// The newest reports as Atom 1.0.
    pub(super) fn atom_feed(&self) -> String {
        let base = self.config.absolute_base();
        let order: Vec<&Report> =
            self.library.newest(self.config.feed_limit).into_iter().map(|i| &self.library.reports[i]).collect();
        let stamp = |r: &Report| match (&r.meta.date, r.meta.year) {
            (Some(date), _) => format!("{date}T00:00:00Z"),
            (None, Some(year)) => format!("{year}-12-31T00:00:00Z"),
            // Atom needs a time; a report of unknown date is dated at the epoch.
            (None, None) => "1970-01-01T00:00:00Z".to_owned(),
        };
        let updated = order.iter().map(|r| stamp(r)).max().unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
        let mut xml =
            String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"");
        xml.push_str(&format!(" xml:lang=\"{}\">\n", escaped(&self.config.language)));
        xml.push_str(&format!("  <title>{}</title>\n", escaped(&self.config.title)));
        xml.push_str(&format!("  <link href=\"{}\" rel=\"self\"/>\n", escaped(&self.absolute("atom.xml"))));
        xml.push_str(&format!("  <link href=\"{}/\"/>\n", escaped(&base)));
        xml.push_str(&format!("  <id>{}/</id>\n  <updated>{updated}</updated>\n", escaped(&base)));
        for report in order {
            let link = self.absolute(&report.path);
            xml.push_str("  <entry>\n");
            xml.push_str(&format!("    <title>{}</title>\n", escaped(&report.meta.title)));
            xml.push_str(&format!("    <link href=\"{}\"/>\n    <id>{}</id>\n", escaped(&link), escaped(&link)));
            xml.push_str(&format!("    <updated>{}</updated>\n", stamp(report)));
            xml.push_str(&format!("    <author><name>{}</name></author>\n", escaped(report.meta.body_label())));
            let summary = report.meta.summary.clone().unwrap_or_else(|| {
                let rendered = report.rendered();
                let first_paragraph = rendered.blocks.iter().find(|b| b.anchor.starts_with("p-"));
                first_paragraph.map(|b| b.text.chars().take(120).collect()).unwrap_or_default()
            });
            xml.push_str(&format!("    <summary>{}</summary>\n  </entry>\n", escaped(&summary)));
        }
        xml.push_str("</feed>\n");
        xml
    }

    /// An absolute URL for feeds and sitemaps: the base URL, then the path.
    pub(super) fn absolute(&self, path: &str) -> String {
        format!("{}/{}", self.config.absolute_base(), utf8_percent_encode(path, PATH))
    }

    pub(super) fn sitemap(&self) -> String {
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for page in self.plan() {
            // A passage's page is a list behind a marker, not a page to find.
            // The review list is the editors', not the readers'; the draft
            // check is a tool, with nothing to find.
            if matches!(
                page,
                Page::NotFound
                    | Page::Feed
                    | Page::Sitemap
                    | Page::Static(_)
                    | Page::Passage(_)
                    | Page::Review
                    | Page::Draft
            ) {
                continue;
            }
            xml.push_str(&format!("  <url><loc>{}</loc></url>\n", escaped(&self.absolute(&self.page_path(&page)))));
        }
        xml.push_str("</urlset>\n");
        xml
    }
}
