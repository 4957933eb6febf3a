//! Turning a field path (`program[1].backoff.initial`) into a line and column of the
//! file, through the spans of a `toml_edit` parse of the same text.

use std::ops::Range;

use toml_edit::{Document, Item, Table, Value};

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

/// Parses `a.b[2].c` into segments.
pub(crate) fn parse_field(path: &str) -> Vec<Seg> {
    let mut segs = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let mut rest = part;
        if let Some(open) = rest.find('[') {
            if open > 0 {
                segs.push(Seg::Key(rest[..open].to_owned()));
            }
            rest = &rest[open..];
            while let Some(stripped) = rest.strip_prefix('[') {
                let Some(close) = stripped.find(']') else {
                    break;
                };
                if let Ok(i) = stripped[..close].parse() {
                    segs.push(Seg::Index(i));
                }
                rest = &stripped[close + 1..];
            }
        } else {
            segs.push(Seg::Key(rest.to_owned()));
        }
    }
    segs
}

/// Renders segments back to `a.b[2].c`.
pub(crate) fn render(segs: &[Seg]) -> String {
    let mut out = String::new();
    for seg in segs {
        match seg {
            Seg::Key(k) if out.is_empty() => out.push_str(k),
            Seg::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

#[derive(Clone, Copy)]
enum Node<'a> {
    Item(&'a Item),
    Table(&'a Table),
    Value(&'a Value),
}

impl<'a> Node<'a> {
    fn span(self) -> Option<Range<usize>> {
        match self {
            Node::Item(i) => i.span(),
            Node::Table(t) => t.span(),
            Node::Value(v) => v.span(),
        }
    }

    /// The child under `key`, with the key's own span.
    fn key(self, key: &str) -> Option<(Option<Range<usize>>, Node<'a>)> {
        match self {
            Node::Item(Item::Table(t)) | Node::Table(t) => {
                let span = t.key(key).and_then(|k| k.span());
                t.get(key).map(|i| (span, Node::Item(i)))
            }
            Node::Item(Item::Value(Value::InlineTable(t))) | Node::Value(Value::InlineTable(t)) => {
                let span = t.key(key).and_then(|k| k.span());
                t.get(key).map(|v| (span, Node::Value(v)))
            }
            _ => None,
        }
    }

    fn index(self, i: usize) -> Option<Node<'a>> {
        match self {
            Node::Item(Item::ArrayOfTables(a)) => a.get(i).map(Node::Table),
            Node::Item(Item::Value(Value::Array(a))) | Node::Value(Value::Array(a)) => {
                a.get(i).map(Node::Value)
            }
            _ => None,
        }
    }
}

/// The span best describing `segs`: the value's (or, with `at_key`, the key's) when the
/// whole path exists, else the deepest part that does (a missing field points at its
/// table).
pub(crate) fn span_of(doc: &Document<&str>, segs: &[Seg], at_key: bool) -> Option<Range<usize>> {
    let mut node = Node::Item(doc.as_item());
    let mut best = None;
    for (n, seg) in segs.iter().enumerate() {
        let last = n + 1 == segs.len();
        match seg {
            Seg::Key(k) => match node.key(k) {
                Some((key_span, child)) => {
                    best = if last && at_key {
                        key_span
                    } else {
                        child.span()
                    }
                    .or(best);
                    node = child;
                }
                None => break,
            },
            Seg::Index(i) => match node.index(*i) {
                Some(child) => {
                    best = child.span().or(best);
                    node = child;
                }
                None => break,
            },
        }
    }
    best
}

/// 1-based (line, column) of a byte offset; the column counts characters.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_round_trip() {
        let segs = parse_field("program[1].argv[0]");
        assert_eq!(
            segs,
            vec![
                Seg::Key("program".into()),
                Seg::Index(1),
                Seg::Key("argv".into()),
                Seg::Index(0)
            ]
        );
        assert_eq!(render(&segs), "program[1].argv[0]");
    }

    #[test]
    fn finds_nested_values_and_counts_lines() {
        let text = "[settings]\nnotifications = true\n\n[[program]]\nid = \"a\"\n\n[[program]]\nid = \"b\"\nbackoff = { initial = \"1x\" }\n";
        let doc = Document::parse(text).unwrap();
        let span = span_of(&doc, &parse_field("program[1].backoff.initial"), false).unwrap();
        assert_eq!(&text[span.clone()], "\"1x\"");
        assert_eq!(line_col(text, span.start), (9, 23));
        let key = span_of(&doc, &parse_field("settings.notifications"), true).unwrap();
        assert_eq!(line_col(text, key.start), (2, 1));
    }
}
