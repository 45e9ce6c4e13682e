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

    #[test]
    fn adds_to_the_default_roots() {
        assert!(matches!(
            tls_config(None).unwrap().root_certs(),
            RootCerts::WebPki
        ));
    }
}
