//! Byte-level mutations of an input, with a target's dictionary of tokens.

/// Applies 1–4 random mutations to `input`, drawing tokens from `dict` and splicing from
/// `other`.
pub fn mutate(rng: &mut fastrand::Rng, input: &[u8], other: &[u8], dict: &[&str]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..rng.usize(1..=4) {
        let len = out.len();
        match rng.u8(0..8) {
            0 if len > 0 => {
                let i = rng.usize(0..len);
                out[i] ^= 1 << rng.u8(0..8);
            }
            1 => {
                let i = rng.usize(0..=len);
                out.insert(i, rng.u8(..));
            }
            2 if len > 0 => {
                let a = rng.usize(0..len);
                let b = rng.usize(a..=len.min(a + 16));
                out.drain(a..b);
            }
            3 if len > 0 => {
                let a = rng.usize(0..len);
                let b = rng.usize(a..=len.min(a + 32));
                let piece = out[a..b].to_vec();
                let at = rng.usize(0..=out.len());
                out.splice(at..at, piece);
            }
            4 | 5 if !dict.is_empty() => {
                let token = dict[rng.usize(0..dict.len())].as_bytes();
                let at = rng.usize(0..=len);
                if rng.bool() && at < len {
                    // Replace a run of the same length, to keep the shape.
                    let end = (at + token.len()).min(len);
                    out.splice(at..end, token.iter().copied());
                } else {
                    out.splice(at..at, token.iter().copied());
                }
            }
            6 if !other.is_empty() => {
                let cut = rng.usize(0..=len);
                let from = rng.usize(0..other.len());
                out.truncate(cut);
                out.extend_from_slice(&other[from..]);
            }
            _ if len > 0 => {
                // An interesting number where a digit was.
                if let Some(i) = out.iter().position(u8::is_ascii_digit) {
                    let n = [
                        "0",
                        "18446744073709551615",
                        "4294967296",
                        "-1",
                        "1e308",
                        "99999999999999999999999",
                    ];
                    let token = n[rng.usize(0..n.len())].as_bytes();
                    out.splice(i..=i, token.iter().copied());
                }
            }
            _ => out.push(rng.u8(..)),
        }
    }
    out.truncate(1 << 16);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn mutations_change_inputs_and_stay_bounded() {
        let mut rng = fastrand::Rng::with_seed(7);
        let mut changed = 0;
        for _ in 0..1000 {
            let m = super::mutate(&mut rng, b"{\"a\":1}", b"[2]", &["null"]);
            assert!(m.len() <= 1 << 16);
            changed += usize::from(m != b"{\"a\":1}");
        }
        assert!(changed > 900, "{changed}");
    }
}
