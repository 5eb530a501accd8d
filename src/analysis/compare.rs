//! Year-over-year comparison: two reports aligned sentence by sentence.
//!
//! Chinese sentences end in 。！？；. The sentence lists are aligned with the
//! `similar` crate (patience diff, which keeps long unchanged runs whole);
//! within a replaced stretch, sentences that are still mostly alike are
//! paired as *changed* and diffed character by character, the rest are
//! removed or added. Long unchanged runs are folded by the template.

use serde::Serialize;
use similar::{Algorithm, ChangeTag, DiffOp, TextDiff, capture_diff_slices};

use crate::content::sentences::hash;

/// Two sentences at least this alike (by `similar`'s ratio) are one changed
/// sentence; less alike, one was removed and another added.
const CHANGED_RATIO: f32 = 0.5;

/// A piece of a changed sentence: `kind` is `same`, `removed` or `added`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Piece {
    pub kind: &'static str,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Row {
    /// A run of sentences both reports share.
    Same {
        sentences: Vec<String>,
    },
    Removed {
        sentence: String,
    },
    Added {
        sentence: String,
    },
    /// One sentence, reworded: the old and new text in pieces.
    Changed {
        old: Vec<Piece>,
        new: Vec<Piece>,
    },
}

/// Counts of what changed, for the page's summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub same: usize,
    pub changed: usize,
    pub removed: usize,
    pub added: usize,
}

/// Replaced stretches longer than this (on either side) are not searched
/// for reworded sentences: they are rewritten passages, shown as removed and
/// added, and pairing them would cost a comparison per pair.
const MAX_PAIRED_STRETCH: usize = 40;

/// Aligns `old` and `new`, sentence by sentence.
pub fn compare(old: &[&str], new: &[&str]) -> Vec<Row> {
    // Diffing hashes is much faster than diffing strings.
    let (old_hashes, new_hashes): (Vec<u64>, Vec<u64>) =
        (old.iter().map(|s| hash(s)).collect(), new.iter().map(|s| hash(s)).collect());
    let mut rows = Vec::new();
    for op in capture_diff_slices(Algorithm::Patience, &old_hashes, &new_hashes) {
        match op {
            DiffOp::Equal { old_index, len, .. } => {
                let run = &old[old_index..old_index + len];
                rows.push(Row::Same { sentences: run.iter().map(|s| s.to_string()).collect() })
            }
            DiffOp::Delete { old_index, old_len, .. } => rows
                .extend(old[old_index..old_index + old_len].iter().map(|s| Row::Removed { sentence: s.to_string() })),
            DiffOp::Insert { new_index, new_len, .. } => {
                rows.extend(new[new_index..new_index + new_len].iter().map(|s| Row::Added { sentence: s.to_string() }))
            }
            DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                let (old, new) = (&old[old_index..old_index + old_len], &new[new_index..new_index + new_len]);
                if old_len.max(new_len) > MAX_PAIRED_STRETCH {
                    rows.extend(old.iter().map(|s| Row::Removed { sentence: s.to_string() }));
                    rows.extend(new.iter().map(|s| Row::Added { sentence: s.to_string() }));
                } else {
                    rows.extend(pair_up(old, new));
                }
            }
        }
    }
    rows
}

/// How far ahead a reworded sentence is looked for. Rewording keeps a
/// sentence where it was; the bound keeps two unrelated reports (thousands
/// of sentences replaced) from costing a comparison of every pair.
const LOOK_AHEAD: usize = 3;

/// Within a replaced stretch: each old sentence is paired with the first of
/// the next few unpaired new sentences it is alike enough to; the others
/// are removed or added where they stand.
fn pair_up(old: &[&str], new: &[&str]) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut next_new = 0;
    for sentence in old {
        let window = next_new..new.len().min(next_new + LOOK_AHEAD);
        let partner =
            window.into_iter().find(|&j| could_be_alike(sentence, new[j]) && ratio(sentence, new[j]) >= CHANGED_RATIO);
        match partner {
            Some(j) => {
                rows.extend(new[next_new..j].iter().map(|s| Row::Added { sentence: s.to_string() }));
                rows.push(changed(sentence, new[j]));
                next_new = j + 1;
            }
            None => rows.push(Row::Removed { sentence: sentence.to_string() }),
        }
    }
    rows.extend(new[next_new..].iter().map(|s| Row::Added { sentence: s.to_string() }));
    rows
}

/// The ratio can reach `CHANGED_RATIO` only if the lengths are close enough.
fn could_be_alike(a: &str, b: &str) -> bool {
    let (a, b) = (a.chars().count(), b.chars().count());
    2.0 * a.min(b) as f32 / (a + b).max(1) as f32 >= CHANGED_RATIO
}

fn ratio(a: &str, b: &str) -> f32 {
    TextDiff::from_chars(a, b).ratio()
}

/// The character-level difference of two versions of a sentence.
fn changed(old: &str, new: &str) -> Row {
    let diff = TextDiff::from_chars(old, new);
    let (mut old_pieces, mut new_pieces): (Vec<Piece>, Vec<Piece>) = (Vec::new(), Vec::new());
    let push = |pieces: &mut Vec<Piece>, kind: &'static str, text: &str| match pieces.last_mut() {
        Some(last) if last.kind == kind => last.text.push_str(text),
        _ => pieces.push(Piece { kind, text: text.to_owned() }),
    };
    for change in diff.iter_all_changes() {
        let text = change.to_string_lossy();
        match change.tag() {
            ChangeTag::Equal => {
                push(&mut old_pieces, "same", &text);
                push(&mut new_pieces, "same", &text);
            }
            ChangeTag::Delete => push(&mut old_pieces, "removed", &text),
            ChangeTag::Insert => push(&mut new_pieces, "added", &text),
        }
    }
    Row::Changed { old: old_pieces, new: new_pieces }
}

/// Unchanged runs longer than this show their first and last sentence and
/// fold the rest.
const FOLD_AFTER: usize = 4;

/// The rows as the list items of an `<ol class="diff">`. Written here rather
/// than in a template: a comparison page has a row per sentence, and a
/// template loop over thousands of rows would cost more than the diff.
pub fn to_html(rows: &[Row]) -> String {
    use crate::escape::escaped;
    let mut html = String::new();
    let same = |html: &mut String, s: &str| html.push_str(&format!("<li class=\"same\">{}</li>\n", escaped(s)));
    let pieces = |pieces: &[Piece], tag: &str, kind: &str| -> String {
        pieces
            .iter()
            .map(|p| if p.kind == kind { format!("<{tag}>{}</{tag}>", escaped(&p.text)) } else { escaped(&p.text) })
            .collect()
    };
    for row in rows {
        match row {
            Row::Same { sentences } if sentences.len() > FOLD_AFTER => {
                let (first, rest) = sentences.split_first().expect("a run is never empty");
                let (last, middle) = rest.split_last().expect("a long run has a last sentence");
                same(&mut html, first);
                html.push_str(&format!("<li class=\"fold\"><details><summary>未改动的 {} 句</summary>", middle.len()));
                for s in middle {
                    html.push_str(&format!("<p class=\"same\">{}</p>", escaped(s)));
                }
                html.push_str("</details></li>\n");
                same(&mut html, last);
            }
            Row::Same { sentences } => sentences.iter().for_each(|s| same(&mut html, s)),
            Row::Removed { sentence } => html.push_str(&format!(
                "<li class=\"removed\"><span class=\"sign\" aria-label=\"删除\">−</span><del>{}</del></li>\n",
                escaped(sentence)
            )),
            Row::Added { sentence } => html.push_str(&format!(
                "<li class=\"added\"><span class=\"sign\" aria-label=\"新增\">+</span><ins>{}</ins></li>\n",
                escaped(sentence)
            )),
            Row::Changed { old, new } => html.push_str(&format!(
                "<li class=\"changed\"><p class=\"old\"><span class=\"sign\" aria-label=\"原文\">−</span>{}</p>\
                 <p class=\"new\"><span class=\"sign\" aria-label=\"改为\">+</span>{}</p></li>\n",
                pieces(old, "del", "removed"),
                pieces(new, "ins", "added")
            )),
        }
    }
    html
}

pub fn summarize(rows: &[Row]) -> Summary {
    let mut summary = Summary::default();
    for row in rows {
        match row {
            Row::Same { sentences } => summary.same += sentences.len(),
            Row::Removed { .. } => summary.removed += 1,
            Row::Added { .. } => summary.added += 1,
            Row::Changed { .. } => summary.changed += 1,
        }
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::sentences::sentences;

    fn split(text: &str) -> Vec<&str> {
        sentences([text])
    }

    #[test]
    fn added_removed_and_changed_sentences() {
        let old = split("开头不变。第二句被删。第三句改了一个字。结尾不变。");
        let new = split("开头不变。第三句改了两个字。新增一句话。结尾不变。");
        let rows = compare(&old, &new);
        assert_eq!(rows[0], Row::Same { sentences: vec!["开头不变。".into()] });
        assert_eq!(rows[1], Row::Removed { sentence: "第二句被删。".into() });
        let Row::Changed { old, new } = &rows[2] else { panic!("{:?}", rows[2]) };
        assert!(old.contains(&Piece { kind: "removed", text: "一".into() }), "{old:?}");
        assert!(new.contains(&Piece { kind: "added", text: "两".into() }), "{new:?}");
        assert_eq!(rows[3], Row::Added { sentence: "新增一句话。".into() });
        assert_eq!(rows[4], Row::Same { sentences: vec!["结尾不变。".into()] });
        assert_eq!(summarize(&rows), Summary { same: 2, changed: 1, removed: 1, added: 1 });
    }
}
