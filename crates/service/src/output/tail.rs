//! Reading the end of a log, and following it.

use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;
use std::time::Duration;

use crate::protocol::methods::Stream;

/// Most bytes read back from the end to find the last lines.
const MAX_TAIL_BYTES: u64 = 8 * 1024 * 1024;
/// How often a followed log's size is checked, only while someone follows it.
pub const FOLLOW_EVERY: Duration = Duration::from_millis(250);

/// The last `n` lines of `path` (fewer if the file is shorter), oldest first.
pub fn last_lines(path: &Path, n: usize) -> io::Result<Vec<String>> {
    let mut file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    let mut start = len;
    let mut buf: Vec<u8> = Vec::new();
    // Read backwards in blocks until enough newlines are in hand.
    while start > 0 && len - start < MAX_TAIL_BYTES {
        let block = start.min(64 * 1024);
        start -= block;
        file.seek(SeekFrom::Start(start))?;
        let mut chunk = vec![0; usize::try_from(block).unwrap_or(0)];
        file.read_exact(&mut chunk)?;
        chunk.extend_from_slice(&buf);
        buf = chunk;
        if buf.iter().filter(|b| **b == b'\n').count() > n {
            break;
        }
    }
    Ok(split(&buf, n))
}

fn split(buf: &[u8], n: usize) -> Vec<String> {
    let text = String::from_utf8_lossy(buf);
    let lines: Vec<&str> = text.lines().collect();
    let skip = lines.len().saturating_sub(n);
    lines[skip..].iter().map(|l| (*l).to_owned()).collect()
}

/// Most bytes of log lines one answer or `log` notification carries, counted as they are
/// sent (JSON-escaped: a control character takes six).
pub const MAX_ANSWER_BYTES: usize = 1024 * 1024;

/// What a line's entry in `streams` costs on the wire: `"stdout",`.
const STREAM_COST: usize = 9;

/// The newest of `lines` that fit in `max` bytes once JSON-escaped (with their streams),
/// oldest first, and how many older lines were left out. When not even the newest fits,
/// it is cut to fit.
pub fn cap(mut lines: Vec<(Stream, String)>, max: usize) -> (Vec<(Stream, String)>, usize) {
    let mut used = 0;
    let mut keep = 0;
    for (_, line) in lines.iter().rev() {
        // The line's quotes and escapes, and its comma.
        let cost = cost(line);
        if used + cost > max {
            break;
        }
        used += cost;
        keep += 1;
    }
    let omitted = lines.len() - keep;
    if keep == 0 {
        if let Some((stream, mut newest)) = lines.pop() {
            // Worst case a char escapes to 6 bytes (`\u0000`): a sixth always fits.
            let mut end = (max.saturating_sub(STREAM_COST) / 6).min(newest.len());
            while !newest.is_char_boundary(end) {
                end -= 1;
            }
            newest.truncate(end);
            return (vec![(stream, newest)], omitted - 1);
        }
        return (Vec::new(), 0);
    }
    (lines.split_off(omitted), omitted)
}

/// What one line costs on the wire: its quotes and escapes, its comma, its stream.
fn cost(line: &str) -> usize {
    serde_json::to_string(line).map_or(usize::MAX, |j| j.len() + 1 + STREAM_COST)
}

/// The two tails of an answer, stdout's then stderr's, within `max` bytes: a stream that
/// needs less than half leaves the rest to the other, so a flood on one never pushes the
/// other out of the answer. Also returns how many older lines were left out of both.
pub fn cap_tails(out: Vec<String>, err: Vec<String>, max: usize) -> (Vec<(Stream, String)>, usize) {
    let total = |lines: &[String]| {
        lines
            .iter()
            .map(|l| cost(l))
            .fold(0usize, usize::saturating_add)
    };
    let half = max / 2;
    let out_budget = max - total(&err).min(half);
    let tag = |s: Stream, lines: Vec<String>| lines.into_iter().map(move |l| (s, l)).collect();
    let (mut kept, omitted_out) = cap(tag(Stream::Stdout, out), out_budget);
    let used: usize = kept
        .iter()
        .map(|(_, l)| cost(l))
        .fold(0, usize::saturating_add);
    let (kept_err, omitted_err) = cap(tag(Stream::Stderr, err), max.saturating_sub(used));
    kept.extend(kept_err);
    (kept, omitted_out + omitted_err)
}

/// Follows a file from `offset`: complete new lines, with the new offset. A file that
/// shrank was rotated (copy-truncate), so reading starts again from its beginning.
#[derive(Debug)]
pub struct Follower {
    offset: u64,
    partial: Vec<u8>,
}

impl Follower {
    /// Starts at the file's current end.
    pub fn at_end(path: &Path) -> Self {
        let offset = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        Self {
            offset,
            partial: Vec::new(),
        }
    }

    /// The complete lines written since the last call (at most ~1 MiB per call).
    pub fn poll(&mut self, path: &Path) -> io::Result<Vec<String>> {
        let len = match std::fs::metadata(path) {
            Ok(m) => m.len(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        if len < self.offset {
            self.offset = 0;
            self.partial.clear();
        }
        if len == self.offset {
            return Ok(Vec::new());
        }
        let mut file = std::fs::File::open(path)?;
        file.seek(SeekFrom::Start(self.offset))?;
        let mut chunk = Vec::new();
        file.take(1024 * 1024).read_to_end(&mut chunk)?;
        self.offset += chunk.len() as u64;
        self.partial.extend_from_slice(&chunk);
        let Some(last_nl) = self.partial.iter().rposition(|b| *b == b'\n') else {
            return Ok(Vec::new());
        };
        let rest = self.partial.split_off(last_nl + 1);
        let done = std::mem::replace(&mut self.partial, rest);
        Ok(split(&done, usize::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_lines_and_follow() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let log = dir.path().join("a.log");
        let text: String = (0..100_000).map(|i| format!("line {i}\n")).collect();
        std::fs::write(&log, &text)?;
        assert_eq!(last_lines(&log, 2)?, vec!["line 99998", "line 99999"]);
        let mut f = Follower::at_end(&log);
        assert!(f.poll(&log)?.is_empty());
        std::fs::write(&log, "new 1\nnew")?; // shrank: rotated
        assert_eq!(f.poll(&log)?, vec!["new 1"]);
        Ok(())
    }

    #[test]
    fn answers_keep_the_newest_lines_that_fit_escaped() {
        let out = |l: &str| (Stream::Stdout, l.to_owned());
        let lines: Vec<(Stream, String)> = (0..10).map(|i| out(&format!("line {i}"))).collect();
        assert_eq!(cap(lines.clone(), 1 << 20), (lines.clone(), 0));
        // "line 9" is 8 bytes quoted, 9 with its comma, 18 with its stream: three fit in 54.
        let (kept, omitted) = cap(lines, 54);
        assert_eq!(
            (kept, omitted),
            (vec![out("line 7"), out("line 8"), out("line 9")], 7)
        );
        // Control characters escape to six bytes each: counted as sent.
        let (kept, omitted) = cap(vec![out("a"), out(&"\u{1}".repeat(10))], 49);
        assert_eq!(omitted, 1);
        assert_eq!(kept.len(), 1);
        let (kept, omitted) = cap(vec![(Stream::Stderr, "é".repeat(100))], 39);
        assert_eq!(omitted, 0);
        assert_eq!(kept[0].0, Stream::Stderr);
        assert!(kept[0].1.len() <= 5 && kept[0].1.chars().all(|c| c == 'é'));
        assert_eq!(cap(Vec::new(), 10), (Vec::new(), 0));
    }

    #[test]
    fn a_flood_on_one_stream_leaves_the_other_its_half() {
        let many = |tag: &str| {
            (0..1000)
                .map(|i| format!("{tag} {i:03}"))
                .collect::<Vec<_>>()
        };
        // Each line costs 7 + 2 + 1 + 9 = 19 bytes: 10 of each fit in 380.
        let (kept, omitted) = cap_tails(many("out"), many("err"), 380);
        assert_eq!(omitted, 1980);
        let streams: Vec<Stream> = kept.iter().map(|(s, _)| *s).collect();
        assert_eq!(streams.iter().filter(|s| **s == Stream::Stdout).count(), 10);
        assert_eq!(streams.iter().filter(|s| **s == Stream::Stderr).count(), 10);
        assert_eq!(kept[9].1, "out 999");
        assert_eq!(kept[19].1, "err 999");
        // A quiet stream leaves the rest of the room to the other.
        let (kept, omitted) = cap_tails(vec!["out 001".into()], many("err"), 380);
        assert_eq!((kept.len(), omitted), (20, 981));
        assert_eq!(kept[0], (Stream::Stdout, "out 001".to_owned()));
    }
}
