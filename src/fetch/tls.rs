//! TLS trust: the built-in Mozilla roots, plus the CA certificates of `SSL_CERT_FILE` when it is
//! set, so an air-gapped mirror signed by a corporate CA works without giving up the public
//! roots. ureq can only take extra roots as a complete list of certificates, so the Mozilla
//! roots come from `webpki-root-certs` (the same set as ureq's default, as full certificates).

use std::path::Path;

use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig};

use super::error::FetchError;

/// The TLS settings for an agent: default roots, or default roots plus those in `ca_file`.
pub(crate) fn tls_config(ca_file: Option<&Path>) -> Result<TlsConfig, FetchError> {
    let Some(path) = ca_file else {
        return Ok(TlsConfig::builder().build());
    };
    let extra = read_pem_certificates(path)?;
    let roots = webpki_root_certs::TLS_SERVER_ROOT_CERTS
        .iter()
        .map(|der| Certificate::from_der(der.as_ref()))
        .chain(extra);
    Ok(TlsConfig::builder()
        .root_certs(RootCerts::from(roots))
        .build())
}

/// What to do about any of them: the variable names one PEM file (not a folder, which
/// OpenSSL's `SSL_CERT_DIR` would be).
const FIX: &str = "set SSL_CERT_FILE to a PEM file of CA certificates, or unset it";

/// Far more than any CA bundle (the whole Mozilla set is about 200 KiB).
const CA_FILE_LIMIT: u64 = 64 << 20;

fn read_pem_certificates(path: &Path) -> Result<Vec<Certificate<'static>>, FetchError> {
    let bad = |problem: String| FetchError::BadCaFile {
        path: path.to_path_buf(),
        cause: format!("{problem}; {FIX}"),
    };
    // Without waiting and bounded (`regular_file`): a fifo blocked a plain read for ever,
    // Ctrl-C included, and `/dev/zero` filled memory.
    let pem = crate::regular_file::read_limited(path, CA_FILE_LIMIT)
        .map_err(|e| bad(crate::output::read_problem(&e)))?;
    let mut certs = Vec::new();
    for item in ureq::tls::parse_pem(&pem) {
        match item {
            // ureq's TLS layer skips a root it cannot parse without a word, so a certificate
            // cut short or altered in a paste left the mirror "untrusted" (UnknownIssuer) with
            // SSL_CERT_FILE looking right: its shape is checked here.
            Ok(PemItem::Certificate(cert)) if !is_certificate_shaped(cert.der()) => {
                return Err(bad(format!(
                    "its certificate {} (counting from 1) is not an X.509 certificate: the base64 between its BEGIN and END lines is cut short or altered; copy it again from its source",
                    certs.len() + 1
                )));
            }
            Ok(PemItem::Certificate(cert)) => certs.push(cert),
            // A bundle may also hold keys; they are not roots, and not our business.
            Ok(_) => {}
            Err(e) => return Err(bad(format!("it is not valid PEM ({e})"))),
        }
    }
    if certs.is_empty() {
        return Err(bad(
            "it holds no PEM certificate (-----BEGIN CERTIFICATE-----)".into(),
        ));
    }
    Ok(certs)
}

/// Whether `der` has an X.509 certificate's outer shape (RFC 5280 §4.1): one DER `SEQUENCE`
/// spanning all of it, holding a `SEQUENCE` (the signed part), a `SEQUENCE` (the signature
/// algorithm) and a `BIT STRING` (the signature), and nothing else. Not a full parse, which
/// the TLS layer does; enough to tell a certificate from one that was cut short or altered.
fn is_certificate_shaped(der: &[u8]) -> bool {
    const SEQUENCE: u8 = 0x30;
    const BIT_STRING: u8 = 0x03;
    let Some((SEQUENCE, body, [])) = der_item(der) else {
        return false;
    };
    let Some((SEQUENCE, _, rest)) = der_item(body) else {
        return false;
    };
    let Some((SEQUENCE, _, rest)) = der_item(rest) else {
        return false;
    };
    matches!(der_item(rest), Some((BIT_STRING, _, [])))
}

/// The first DER item of `bytes`: its tag, its contents and what follows it; `None` when the
/// bytes end before it does.
fn der_item(bytes: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = bytes.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let (len, rest) = rest.split_at(count);
        let len = len.iter().fold(0usize, |n, b| (n << 8) | usize::from(*b));
        (len, rest)
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_or_empty_files_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("none.pem");
        let err = tls_config(Some(&missing)).unwrap_err().to_string();
        assert_eq!(
            err,
            format!(
                "Could not load extra CA certificates from SSL_CERT_FILE={}: no such file; {FIX}.",
                missing.display()
            )
        );
        // A folder: said so, not `Is a directory (os error 21)`.
        let err = tls_config(Some(dir.path())).unwrap_err().to_string();
        assert_eq!(
            err,
            format!(
                "Could not load extra CA certificates from SSL_CERT_FILE={}: it is a folder, not a file; {FIX}.",
                dir.path().display()
            )
        );
        // A fifo: refused at once, not waited on (a device likewise).
        let fifo = dir.path().join("fifo.pem");
        if crate::regular_file::make_fifo(&fifo) {
            let given = fifo.clone();
            let err = crate::regular_file::without_waiting_on(&fifo, move || {
                tls_config(Some(&given)).unwrap_err().to_string()
            });
            assert_eq!(
                err,
                format!(
                    "Could not load extra CA certificates from SSL_CERT_FILE={}: it is a fifo, not a file; {FIX}.",
                    fifo.display()
                )
            );
        }
        let err = tls_config(Some(Path::new("/dev/zero")))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(": it is a character device, not a file; "),
            "{err}"
        );
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").unwrap();
        let err = tls_config(Some(&empty)).unwrap_err().to_string();
        assert!(
            err.ends_with("it holds no PEM certificate (-----BEGIN CERTIFICATE-----); set SSL_CERT_FILE to a PEM file of CA certificates, or unset it."),
            "{err}"
        );
    }

    /// A PEM block whose base64 is no certificate (cut short in a paste, or another line put
    /// in) is refused naming which, where the TLS layer dropped it without a word and every
    /// download from the mirror it signs failed as untrusted.
    #[test]
    fn a_certificate_cut_short_or_altered_is_refused() {
        let pem = |der: &[u8]| {
            format!(
                "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
                base64(der)
            )
        };
        let real = webpki_root_certs::TLS_SERVER_ROOT_CERTS[0].as_ref();
        assert!(is_certificate_shaped(real));
        assert!(
            webpki_root_certs::TLS_SERVER_ROOT_CERTS
                .iter()
                .all(|c| is_certificate_shaped(c.as_ref()))
        );
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("ca.pem");
        for bad in [
            &real[..real.len() - 10],
            &[0, 0, 0][..],
            &[real, &[0][..]].concat()[..],
        ] {
            std::fs::write(&file, pem(real) + &pem(bad)).unwrap();
            assert_eq!(
                tls_config(Some(&file)).unwrap_err().to_string(),
                format!(
                    "Could not load extra CA certificates from SSL_CERT_FILE={}: its certificate 2 (counting from 1) is not an X.509 certificate: the base64 between its BEGIN and END lines is cut short or altered; copy it again from its source; {FIX}.",
                    file.display()
                )
            );
        }
        std::fs::write(&file, pem(real) + &pem(real)).unwrap();
        assert!(tls_config(Some(&file)).is_ok());
    }

    /// DER lengths: short form below 0x80, else 1 to 4 length bytes; the indefinite form
    /// (0x80, BER only), more than 4 length bytes, and lengths or contents cut short are no item.
    #[test]
    fn der_items_are_read_by_their_length() {
        let content = |len: usize| vec![7u8; len];
        assert_eq!(
            der_item(&[0x04, 2, 1, 2, 9]),
            Some((0x04, &[1, 2][..], &[9][..]))
        );
        assert_eq!(der_item(&[0x04, 0]), Some((0x04, &[][..], &[][..])));
        let long = [&[0x04, 0x81, 0x80][..], &content(0x80)].concat();
        assert_eq!(der_item(&long), Some((0x04, &content(0x80)[..], &[][..])));
        let longer = [&[0x04, 0x82, 0x01, 0x00][..], &content(0x100), &[1]].concat();
        assert_eq!(
            der_item(&longer),
            Some((0x04, &content(0x100)[..], &[1][..]))
        );
        let four = [&[0x04, 0x84, 0, 0, 0, 3][..], &[1, 2, 3]].concat();
        assert_eq!(der_item(&four), Some((0x04, &[1, 2, 3][..], &[][..])));
        // Long form with the length bytes ending the input: an empty item.
        assert_eq!(der_item(&[0x04, 0x81, 0]), Some((0x04, &[][..], &[][..])));
        for bad in [
            &[][..],
            &[0x04],
            &[0x04, 3, 1, 2],
            &[0x04, 0x80, 1, 2, 0, 0],
            &[0x04, 0x85, 0, 0, 0, 0, 1, 9],
            &[0x04, 0x82, 0x01],
            &[0x04, 0x81],
        ] {
            assert_eq!(der_item(bad), None, "{bad:?}");
        }
        // 0x80 bytes of content under a short form that cannot say 0x80.
        let indefinite = [&[0x04, 0x80][..], &content(0x80)].concat();
        assert_eq!(der_item(&indefinite), None);
    }

    /// Standard base64 with padding, for the test's PEM files.
    fn base64(bytes: &[u8]) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    #[test]
    fn adds_to_the_default_roots() {
        assert!(matches!(
            tls_config(None).unwrap().root_certs(),
            RootCerts::WebPki
        ));
    }
}
