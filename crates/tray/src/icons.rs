//! The tray's images as StatusNotifierItem pixmaps: `icons/tray-*.png` decoded once into
//! ARGB32 in network byte order, the form `IconPixmap` carries.

use crate::model::TrayIcon;

/// One pixmap: width, height and ARGB32 bytes (big-endian), as `(iiay)`.
pub type Pixmap = (i32, i32, Vec<u8>);

/// The image of one overall state; an empty list if the built-in PNG cannot be read.
pub fn pixmap(state: TrayIcon) -> Vec<Pixmap> {
    let png = match state {
        TrayIcon::Ok => include_bytes!("../../../icons/tray-ok.png").as_slice(),
        TrayIcon::Restarting => include_bytes!("../../../icons/tray-restarting.png").as_slice(),
        TrayIcon::GaveUp => include_bytes!("../../../icons/tray-gave-up.png").as_slice(),
        TrayIcon::Paused => include_bytes!("../../../icons/tray-paused.png").as_slice(),
    };
    match decode(png) {
        Ok(pixmap) => vec![pixmap],
        Err(error) => {
            tracing::warn!("the tray icon cannot be decoded: {error}");
            Vec::new()
        }
    }
}

fn decode(bytes: &[u8]) -> Result<Pixmap, png::DecodingError> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    // Palette, low bit depths and 16-bit samples all become 8-bit RGB(A).
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info()?;
    let mut buf = vec![0; reader.output_buffer_size().unwrap_or(0)];
    let info = reader.next_frame(&mut buf)?;
    let channels = info.color_type.samples();
    let mut argb = Vec::with_capacity(info.width as usize * info.height as usize * 4);
    for px in buf[..info.buffer_size()].chunks_exact(channels) {
        let (rgb, alpha) = match channels {
            4 => ([px[0], px[1], px[2]], px[3]),
            3 => ([px[0], px[1], px[2]], 255),
            2 => ([px[0], px[0], px[0]], px[1]),
            _ => ([px[0], px[0], px[0]], 255),
        };
        argb.extend_from_slice(&[alpha, rgb[0], rgb[1], rgb[2]]);
    }
    Ok((info.width as i32, info.height as i32, argb))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_has_a_64_pixel_square_image() {
        for state in [
            TrayIcon::Ok,
            TrayIcon::Restarting,
            TrayIcon::GaveUp,
            TrayIcon::Paused,
        ] {
            let images = pixmap(state);
            let (w, h, bytes) = &images[0];
            assert_eq!((*w, *h), (64, 64), "{state:?}");
            assert_eq!(bytes.len(), 64 * 64 * 4);
            assert!(
                bytes.chunks(4).any(|p| p[0] == 255),
                "{state:?} is not all clear"
            );
        }
    }
}
