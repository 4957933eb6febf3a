//! Reading newline-delimited messages with a cap on their length, so a client that never
//! sends a newline cannot make the daemon buffer without bound.

use tokio::io::{AsyncBufRead, AsyncBufReadExt};

/// One read's outcome.
#[derive(Debug, PartialEq, Eq)]
pub enum Line {
    /// A complete line, newline excluded (also a last line without one, before EOF).
    Text(Vec<u8>),
    /// A line longer than the cap; its bytes were discarded up to and including its newline.
    TooLong,
    /// The peer closed its side.
    Eof,
}

/// Reads the next line, never holding more than `cap` bytes of it.
pub async fn read_line<R: AsyncBufRead + Unpin>(r: &mut R, cap: usize) -> std::io::Result<Line> {
    let mut buf = Vec::new();
    let mut too_long = false;
    loop {
        let chunk = r.fill_buf().await?;
        if chunk.is_empty() {
            return Ok(match (too_long, buf.is_empty()) {
                (true, _) => Line::TooLong,
                (false, true) => Line::Eof,
                (false, false) => Line::Text(buf),
            });
        }
        let (part, found) = match chunk.iter().position(|b| *b == b'\n') {
            Some(i) => (&chunk[..i], Some(i + 1)),
            None => (chunk, None),
        };
        if !too_long {
            if buf.len() + part.len() > cap {
                too_long = true;
                buf = Vec::new(); // give the memory back at once
            } else {
                buf.extend_from_slice(part);
            }
        }
        let used = found.unwrap_or(chunk.len());
        r.consume(used);
        if found.is_some() {
            return Ok(if too_long {
                Line::TooLong
            } else {
                Line::Text(buf)
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn splits_caps_and_recovers() {
        let input: &[u8] = b"ab\n0123456789\ncd\nlast";
        let mut r = tokio::io::BufReader::with_capacity(4, input);
        assert_eq!(
            read_line(&mut r, 5).await.ok(),
            Some(Line::Text(b"ab".to_vec()))
        );
        assert_eq!(read_line(&mut r, 5).await.ok(), Some(Line::TooLong));
        assert_eq!(
            read_line(&mut r, 5).await.ok(),
            Some(Line::Text(b"cd".to_vec()))
        );
        assert_eq!(
            read_line(&mut r, 5).await.ok(),
            Some(Line::Text(b"last".to_vec()))
        );
        assert_eq!(read_line(&mut r, 5).await.ok(), Some(Line::Eof));
    }
}
