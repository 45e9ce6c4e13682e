//! Mirrors for air-gapped sites (manifest.md, "Mirrors"): URI prefixes mapped to replacements,
//! from `BPKIT_MIRRORS="https://a/=https://m/a/,https://b/=file:///srv/b/"` or the manifest's
//! `mirrors:` key. The longest matching prefix wins, among the operator's rules first: the
//! manifest's apply only to URIs no `BPKIT_MIRRORS` rule matches, so a site's broad rule
//! (`https://deps.example/=…`) is not overridden by a buildpack author's narrower one, which
//! points at a mirror the site may not reach. A mirror is untrusted: the manifest's
//! checksums are verified on whatever it serves.

use super::error::FetchError;
use super::uri;

/// The environment variable holding mirrors.
pub const MIRRORS_ENV: &str = "BPKIT_MIRRORS";

/// Prefix → replacement rules, and the rules consulted only when none of these matches.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Mirrors {
    rules: Vec<(String, String)>,
    fallback: Option<Box<Mirrors>>,
}

impl std::fmt::Debug for Mirrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut list = f.debug_list();
        list.entries(
            self.rules
                .iter()
                .map(|(from, to)| format!("{}={}", uri::redact(from), uri::redact(to))),
        );
        if let Some(fallback) = &self.fallback {
            list.entry(&format_args!("then {fallback:?}"));
        }
        list.finish()
    }
}

impl Mirrors {
    /// No mirrors.
    pub fn none() -> Self {
        Mirrors::default()
    }

    /// Rules from `(prefix, replacement)` pairs, as the manifest's `mirrors:` key gives them.
    pub fn from_pairs<I, A, B>(pairs: I) -> Result<Self, FetchError>
    where
        I: IntoIterator<Item = (A, B)>,
        A: Into<String>,
        B: Into<String>,
    {
        let mut rules = Vec::new();
        for (from, to) in pairs {
            let (from, to) = (from.into().trim().to_string(), to.into().trim().to_string());
            if let Some(reason) = rule_problem(&from, &to) {
                return Err(bad_rule(&format!("{from}={to}"), &reason));
            }
            rules.push((from, to));
        }
        Ok(Mirrors {
            rules,
            fallback: None,
        })
    }

    /// Rules from `prefix=replacement` pairs separated by commas (the `BPKIT_MIRRORS` syntax).
    /// Each pair splits at its first `=`, so a replacement may contain `=`; blank pairs are
    /// ignored.
    pub fn parse(text: &str) -> Result<Self, FetchError> {
        if let std::borrow::Cow::Owned(_) = hide_userinfos_with_commas(text) {
            return Err(bad_rule(text, USERINFO_WITH_COMMA));
        }
        let mut pairs = Vec::new();
        for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((from, to)) = pair.split_once('=') else {
                return Err(bad_rule(pair, NO_EQUALS));
            };
            if uri::userinfo_end(pair).is_some_and(|at| at > from.len()) {
                return Err(bad_rule(pair, PREFIX_PASSWORD_WITH_EQUALS));
            }
            if let Some(reason) = rule_problem(from.trim(), to.trim()) {
                return Err(bad_rule(pair, &reason));
            }
            pairs.push((from, to));
        }
        Mirrors::from_pairs(pairs)
    }

    /// Rules from `BPKIT_MIRRORS`; none when it is unset or empty.
    pub fn from_env() -> Result<Self, FetchError> {
        Mirrors::parse(&super::config::env_setting(MIRRORS_ENV)?.unwrap_or_default())
    }

    /// Consult `other` for URIs none of these rules matches: `env.with_fallback(manifest)`
    /// lets an operator's `BPKIT_MIRRORS` override the manifest's `mirrors:` whatever the
    /// prefixes' lengths (the operator knows which servers the site reaches; the buildpack's
    /// author does not).
    pub fn with_fallback(&mut self, other: Mirrors) {
        match &mut self.fallback {
            Some(fallback) => fallback.with_fallback(other),
            None if other.is_empty() => {}
            None => self.fallback = Some(Box::new(other)),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty() && self.fallback.as_ref().is_none_or(|f| f.is_empty())
    }

    /// The URI rewritten by the rule with the longest matching prefix (the earlier of equal
    /// ones), or else by the fallback's, or `None` when no rule matches.
    pub fn apply(&self, uri: &str) -> Option<String> {
        let mut best: Option<&(String, String)> = None;
        for rule in &self.rules {
            if prefix_matches(uri, &rule.0) && best.is_none_or(|b| rule.0.len() > b.0.len()) {
                best = Some(rule);
            }
        }
        match best {
            Some((from, to)) => Some(format!("{to}{}", &uri[from.len()..])),
            None => self.fallback.as_ref().and_then(|f| f.apply(uri)),
        }
    }
}

/// Whether `uri` starts with a rule's `prefix`, its scheme and host compared without regard
/// to case, as RFC 3986 §6.2.2.1 compares them (`HTTPS://Buildpacks.CloudFoundry.org/` is the
/// manifest's `https://buildpacks.cloudfoundry.org/`: the rule was passed over without a word,
/// and an air-gapped site went to the internet); a user, password, path and query compare
/// exactly.
fn prefix_matches(uri: &str, prefix: &str) -> bool {
    let Some(head) = uri.get(..prefix.len()) else {
        return false;
    };
    let Some(scheme_end) = prefix.find("://").map(|i| i + 3) else {
        return head == prefix;
    };
    let authority_end = prefix[scheme_end..]
        .find(['/', '?', '#'])
        .map_or(prefix.len(), |i| scheme_end + i);
    let host_start = prefix[scheme_end..authority_end]
        .rfind('@')
        .map_or(scheme_end, |at| scheme_end + at + 1);
    // Byte offsets in `prefix`; `head` is as long, but may cut a character at one of them.
    let (Some(scheme), Some(userinfo), Some(host), Some(rest)) = (
        head.get(..scheme_end),
        head.get(scheme_end..host_start),
        head.get(host_start..authority_end),
        head.get(authority_end..),
    ) else {
        return false;
    };
    scheme.eq_ignore_ascii_case(&prefix[..scheme_end])
        && userinfo == &prefix[scheme_end..host_start]
        && host.eq_ignore_ascii_case(&prefix[host_start..authority_end])
        && rest == &prefix[authority_end..]
}

/// Why the rule `from` → `to` (each trimmed) cannot be used, or `None`: a side empty
/// ([`empty_side`]), a side holding a space or a line break, a side that is no absolute URI,
/// or a slash mismatch ([`slash_mismatch`]). The one check of `BPKIT_MIRRORS` and of the
/// manifest's `mirrors:`, so `bpkit validate` refuses what a fetch would.
pub fn rule_problem(from: &str, to: &str) -> Option<String> {
    if let Some(reason) = empty_side(from, to) {
        return Some(reason.to_string());
    }
    // Rules written one per line or separated by spaces (`a=b c=d`) read as one rule whose
    // replacement swallowed the next: it never applied, and a download went to the
    // internet the rule was meant to avoid.
    if [from, to]
        .iter()
        .any(|side| side.contains(char::is_whitespace))
    {
        return Some(
            "it holds a space or a line break; separate rules with commas (a=b,c=d), and write a space in a URL as %20".to_string(),
        );
    }
    for side in [from, to] {
        if uri::scheme(side).is_none() {
            return Some(format!(
                "`{}` is not an absolute URI (scheme://…)",
                uri::redact(side)
            ));
        }
    }
    slash_mismatch(from, to)
}

/// Text that may hold mirror rules or URIs anywhere (a rule without `=`, a rule with a space
/// in it) as a message shows it: each word redacted as `redact_rules` redacts rules, since as
/// one string only its first URI's credentials would be found.
pub fn redact_text(text: &str) -> String {
    let mut shown = String::with_capacity(text.len());
    let mut word = String::new();
    for c in text.chars() {
        if c.is_whitespace() {
            shown.push_str(&redact_rules(&std::mem::take(&mut word)));
            shown.push(c);
        } else {
            word.push(c);
        }
    }
    shown.push_str(&redact_rules(&word));
    shown
}

/// Why a rule whose prefix ends with `/` and whose replacement does not is refused, or
/// `None`. A rule replaces text, so `…/hello/=file:///srv/deps` turns `…/hello/x.tgz` into
/// `file:///srv/depsx.tgz`: the commonest slip in a mirror setting, and otherwise found only
/// as a missing file named nowhere in the setting. A replacement with a query
/// (`https://m/get?path=`) is left alone: the rest of the URI is meant to follow it as written.
pub fn slash_mismatch(from: &str, to: &str) -> Option<String> {
    if !from.ends_with('/') || to.ends_with('/') || to.contains('?') {
        return None;
    }
    Some(format!(
        "the prefix ends with `/` and the replacement does not, which joins them without a `/` (`{}NAME`); end the replacement with `/` too",
        uri::redact(to)
    ))
}

/// Why a rule whose prefix has a `=` in its user or password is refused: the rule would split
/// there, and each half, shown redacted on its own, would show the start of the password.
pub const PREFIX_PASSWORD_WITH_EQUALS: &str =
    "the prefix's user or password holds a `=`, which would end the prefix; write it as %3D";

/// Why rules with a `,` in a user or password are refused: the list would split there, and
/// each half, shown redacted on its own, would show a piece of the password.
const USERINFO_WITH_COMMA: &str =
    "a user or password in it holds a `,`, which would end its rule there; write it as %2C";

/// `rules` with every user and password that holds a `,` replaced by `-redacted-`, or as they
/// are (borrowed) when none does: the userinfo of each `scheme://` authority (up to the first
/// `/`, `?` or `#`), which ends at its last `@`. Split at that `,`, neither piece is a URI with a
/// userinfo, so [`uri::redact`] would have hidden nothing of it.
fn hide_userinfos_with_commas(rules: &str) -> std::borrow::Cow<'_, str> {
    let mut hidden = String::new();
    let mut copied = 0;
    let mut from = 0;
    while let Some(found) = rules[from..].find("://") {
        let start = from + found + "://".len();
        let authority_len = rules[start..]
            .find(['/', '?', '#'])
            .unwrap_or(rules.len() - start);
        let authority = &rules[start..start + authority_len];
        if let Some(at) = authority.rfind('@')
            && authority[..at].contains(',')
        {
            hidden.push_str(&rules[copied..start]);
            hidden.push_str("-redacted-");
            copied = start + at;
        }
        from = start;
    }
    if copied == 0 {
        return std::borrow::Cow::Borrowed(rules);
    }
    hidden.push_str(&rules[copied..]);
    std::borrow::Cow::Owned(hidden)
}

/// Mirror rules (`prefix=replacement`, separated by commas) as a message shows them: each side
/// redacted on its own, since as one string the replacement's credentials would look like a
/// path (`https://a/=https://user:pass@m/` is a URI of host `a`). A rule splits at its first
/// `=` after the prefix's userinfo, which may hold one; a user or password holding a `,` is
/// hidden first, as the split at its `,` would show each piece of it.
pub(crate) fn redact_rules(rules: &str) -> String {
    hide_userinfos_with_commas(rules)
        .split(',')
        .map(|rule| {
            let skip = uri::userinfo_end(rule).unwrap_or(0);
            match rule[skip..].find('=') {
                Some(at) => format!(
                    "{}={}",
                    uri::redact(&rule[..skip + at]),
                    uri::redact(&rule[skip + at + 1..])
                ),
                None => uri::redact(rule),
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// A rule without `=`: what one looks like, since the variable's name does not say.
const NO_EQUALS: &str = "expected prefix=replacement, as in https://buildpacks.cloudfoundry.org/=https://mirror.example/ (rules separated by commas)";

fn bad_rule(rule: &str, reason: &str) -> FetchError {
    FetchError::BadSetting {
        name: MIRRORS_ENV,
        // Redacted word by word (a rule holding a space is text with several URIs) and on
        // one line (one holding a line break).
        value: crate::output::escape_controls(&redact_text(rule)),
        reason: reason.to_string(),
    }
}

/// Why a rule with an empty side is refused (BPKIT_MIRRORS, the manifest's `mirrors:`), given
/// its sides trimmed: said as such, where an empty replacement was a
/// slash mismatch ("joins them without a `/` (`NAME`)") and an empty prefix "`` is not an
/// absolute URI".
pub fn empty_side(from: &str, to: &str) -> Option<&'static str> {
    match (from.is_empty(), to.is_empty()) {
        (false, false) => None,
        (true, false) => Some(
            "the prefix is empty; write the start of the URIs it maps, as in https://buildpacks.cloudfoundry.org/=https://mirror.example/",
        ),
        (false, true) => Some(
            "the replacement is empty; write the mirror's URL there, as in https://buildpacks.cloudfoundry.org/=https://mirror.example/",
        ),
        (true, true) => Some(
            "the prefix and the replacement are empty; write a rule as prefix=replacement, as in https://buildpacks.cloudfoundry.org/=https://mirror.example/",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A rule's scheme and host match in any case, as URIs compare them; the rest exactly.
    #[test]
    fn scheme_and_host_match_in_any_case() {
        let mirrors = Mirrors::parse(
            "HTTPS://Buildpacks.CloudFoundry.org/deps/=file:///srv/,https://U:Pw@h.example/=https://m/",
        )
        .unwrap();
        assert_eq!(
            mirrors
                .apply("https://buildpacks.cloudfoundry.org/deps/x.tgz")
                .as_deref(),
            Some("file:///srv/x.tgz")
        );
        assert_eq!(
            mirrors.apply("https://buildpacks.cloudfoundry.org/DEPS/x.tgz"),
            None
        );
        assert_eq!(
            mirrors.apply("https://U:Pw@H.Example/x.tgz").as_deref(),
            Some("https://m/x.tgz")
        );
        assert_eq!(mirrors.apply("https://u:pw@h.example/x.tgz"), None);
        assert_eq!(mirrors.apply("https://h.example/x.tgz"), None);
        assert_eq!(
            mirrors.apply("https://buildpacks.cloudfoundry.org/dé"),
            None
        );
    }

    #[test]
    fn a_rule_with_an_empty_side_says_which() {
        for (text, reason) in [
            (
                "https://a/=",
                "the replacement is empty; write the mirror's URL there",
            ),
            (
                "=https://m/",
                "the prefix is empty; write the start of the URIs it maps",
            ),
            (
                " = ",
                "the prefix and the replacement are empty; write a rule as prefix=replacement",
            ),
        ] {
            let error = Mirrors::parse(text).unwrap_err().to_string();
            assert_eq!(
                error,
                format!(
                    "BPKIT_MIRRORS=`{}` is not valid: {reason}, as in https://buildpacks.cloudfoundry.org/=https://mirror.example/.",
                    text.trim()
                ),
            );
        }
        let error = Mirrors::from_pairs([("https://a/", " ")])
            .unwrap_err()
            .to_string();
        assert!(error.contains(": the replacement is empty; "), "{error}");
    }

    #[test]
    fn a_rule_with_a_slash_on_one_side_only_is_refused() {
        let error = Mirrors::parse("https://a.example/x/=file:///srv/deps")
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "BPKIT_MIRRORS=`https://a.example/x/=file:///srv/deps` is not valid: the prefix ends with `/` and the replacement does not, which joins them without a `/` (`file:///srv/depsNAME`); end the replacement with `/` too."
        );
        assert!(Mirrors::parse("https://a.example/x/=file:///srv/deps/").is_ok());
        // A whole-file rule, a prefix without its `/` (a `//` in the result is harmless) and a
        // replacement with a query are meant as written.
        assert!(Mirrors::parse("https://a.example/x.tgz=https://m.example/y.tgz").is_ok());
        assert!(Mirrors::parse("https://a.example=https://m.example/a/").is_ok());
        assert!(Mirrors::parse("https://a.example/=https://m.example/get?path=").is_ok());
    }

    #[test]
    fn parses_pairs_and_applies_longest_prefix() {
        let m = Mirrors::parse(
            " https://a/=https://m/a/, https://a/deep/=file:///srv/deep/,https://b/=https://m/b?x=1, ",
        )
        .unwrap();
        assert_eq!(
            m.apply("https://a/x.tgz").as_deref(),
            Some("https://m/a/x.tgz")
        );
        assert_eq!(
            m.apply("https://a/deep/x.tgz").as_deref(),
            Some("file:///srv/deep/x.tgz")
        );
        assert_eq!(m.apply("https://b/y").as_deref(), Some("https://m/b?x=1y"));
        assert_eq!(m.apply("https://c/x.tgz"), None);
        assert!(Mirrors::parse("").unwrap().is_empty());
    }

    /// Rules separated by a space or a line break instead of a comma read as one rule whose
    /// replacement swallowed the next, which never applied: refused, saying how to separate
    /// them, the setting shown redacted and on one line.
    #[test]
    fn rules_separated_by_whitespace_are_refused() {
        for setting in [
            "https://a/=https://m/ https://b/=https://m/",
            "https://a/=https://m/\nhttps://b/=https://u:Pw@m/",
        ] {
            let error = Mirrors::parse(setting).unwrap_err().to_string();
            assert!(
                error.contains("it holds a space or a line break; separate rules with commas"),
                "{error}"
            );
            assert!(!error.contains("Pw"), "{error}");
        }
        assert!(Mirrors::parse("https://a/=https://m/, https://b/=https://m/").is_ok());
        assert_eq!(
            redact_text("https://a/ https://u:Pw@m/\tx"),
            "https://a/ https://-redacted-:-redacted-@m/\tx"
        );
    }

    /// Shown whole (a setting that is not UTF-8), every rule's sides are redacted on their own.
    #[test]
    fn rules_are_redacted_side_by_side() {
        assert_eq!(
            redact_rules("https://a/=https://u:Pw@m/a/, https://b/=file:///srv/b/,x"),
            "https://a/=https://-redacted-:-redacted-@m/a/, https://b/=file:///srv/b/,x"
        );
    }

    /// A `=` in the prefix's password (a base64 token's padding) would split the rule inside
    /// it: refused with the fix, and shown without any of the password.
    #[test]
    fn a_prefix_password_with_an_equals_sign_is_refused_and_redacted() {
        for rule in [
            "https://u:dG9rZW4=@h/=https://m/",
            "https://u:ab=cd@h/=https://m2:Pw@m/",
        ] {
            let error = Mirrors::parse(rule).unwrap_err().to_string();
            assert!(
                error.starts_with("BPKIT_MIRRORS=`https://-redacted-:-redacted-@h/=https://"),
                "{error}"
            );
            assert!(
                error.ends_with(&format!("{PREFIX_PASSWORD_WITH_EQUALS}.")),
                "{error}"
            );
            for secret in ["dG9", "ab", "cd", "Pw"] {
                assert!(!error.contains(secret), "{secret}: {error}");
            }
        }
    }

    /// A `,` in a user or password (either side) would split the list inside it, and each
    /// piece, no URI with a userinfo, was shown as it is: refused with the fix, and shown
    /// without any of the password, as a setting that is not UTF-8 is shown too.
    #[test]
    fn a_password_with_a_comma_is_refused_and_redacted() {
        for (rules, shown) in [
            (
                "https://u:pa,ss@h/=https://m/",
                "https://-redacted-@h/=https://m/",
            ),
            (
                "https://a/=https://m:Se,cret@m/,https://b/=https://n:Pw@n/",
                "https://a/=https://-redacted-@m/,https://b/=https://-redacted-:-redacted-@n/",
            ),
            ("https://x,y:z@h", "https://-redacted-@h"),
        ] {
            let error = Mirrors::parse(rules).unwrap_err().to_string();
            assert_eq!(
                error,
                format!("BPKIT_MIRRORS=`{shown}` is not valid: {USERINFO_WITH_COMMA}."),
            );
            assert_eq!(redact_rules(rules), shown);
        }
        // A comma between rules, or in a path or query, is no userinfo's.
        for rules in [
            "https://a/=https://m/,https://u:p@b/=https://n/",
            "https://a=https://m,https://u:p@b/=https://n/",
            "https://a/x,y@z=https://m/x,y@z",
        ] {
            assert_eq!(hide_userinfos_with_commas(rules), rules);
        }
        assert!(Mirrors::parse("https://a=https://m,https://u:p@b/=https://n/").is_ok());
    }

    #[test]
    fn earlier_rules_win_ties() {
        let m = Mirrors::parse("https://a/=https://first/,https://a/=https://second/").unwrap();
        assert_eq!(m.apply("https://a/x").as_deref(), Some("https://first/x"));
    }

    #[test]
    fn the_operators_rules_win_over_the_manifests_whatever_their_length() {
        let mut env = Mirrors::parse("https://a/=https://env/").unwrap();
        env.with_fallback(
            Mirrors::from_pairs([
                ("https://a/", "https://manifest/"),
                ("https://a/deep/", "https://manifest-deep/"),
                ("https://b/", "https://manifest-b/"),
            ])
            .unwrap(),
        );
        assert_eq!(env.apply("https://a/x").as_deref(), Some("https://env/x"));
        assert_eq!(
            env.apply("https://a/deep/x").as_deref(),
            Some("https://env/deep/x")
        );
        // A URI no operator rule matches still takes the manifest's.
        assert_eq!(
            env.apply("https://b/x").as_deref(),
            Some("https://manifest-b/x")
        );
        assert_eq!(env.apply("https://c/x"), None);
        assert!(!env.is_empty());
        let mut none = Mirrors::none();
        none.with_fallback(Mirrors::none());
        assert!(none.is_empty());
    }

    /// Credentials in a prefix are fine as long as they hold no `=`: the rule still splits at
    /// the `=` after them.
    #[test]
    fn a_prefix_may_carry_credentials() {
        let m = Mirrors::parse("https://u:pw@h/=https://m/").unwrap();
        assert_eq!(
            m.apply("https://u:pw@h/x.tgz").as_deref(),
            Some("https://m/x.tgz")
        );
    }

    #[test]
    fn empty_only_without_rules_at_any_level() {
        assert!(!Mirrors::parse("https://a/=https://m/").unwrap().is_empty());
        let mut m = Mirrors::none();
        m.with_fallback(Mirrors::parse("https://a/=https://m/").unwrap());
        assert!(!m.is_empty());
        assert_eq!(m.apply("https://a/x").as_deref(), Some("https://m/x"));
    }

    /// An empty fallback is dropped rather than kept as a level that matches nothing: the
    /// rules compare equal to the same rules without it, and show without a `then []`.
    #[test]
    fn an_empty_fallback_is_not_kept() {
        let rules = Mirrors::parse("https://a/=https://m/").unwrap();
        let mut with = rules.clone();
        with.with_fallback(Mirrors::none());
        assert_eq!(with, rules);
        assert_eq!(format!("{with:?}"), r#"["https://a/=https://m/"]"#);
    }

    /// Fallbacks chain: a third set of rules is consulted only after the first two.
    #[test]
    fn fallbacks_chain_in_order() {
        let mut m = Mirrors::parse("https://a/=https://first/").unwrap();
        m.with_fallback(Mirrors::parse("https://b/=https://second/").unwrap());
        m.with_fallback(
            Mirrors::parse("https://a/=https://third-a/,https://c/=https://third-c/").unwrap(),
        );
        assert_eq!(m.apply("https://a/x").as_deref(), Some("https://first/x"));
        assert_eq!(m.apply("https://b/x").as_deref(), Some("https://second/x"));
        assert_eq!(m.apply("https://c/x").as_deref(), Some("https://third-c/x"));
        assert_eq!(
            format!("{m:?}"),
            r#"["https://a/=https://first/", then ["https://b/=https://second/", then ["https://a/=https://third-a/", "https://c/=https://third-c/"]]]"#
        );
    }

    #[test]
    fn rejects_malformed_rules_without_leaking_credentials() {
        let err = Mirrors::parse("https://a/").unwrap_err().to_string();
        assert_eq!(
            err,
            "BPKIT_MIRRORS=`https://a/` is not valid: expected prefix=replacement, as in https://buildpacks.cloudfoundry.org/=https://mirror.example/ (rules separated by commas)."
        );
        let err = Mirrors::parse("https://a/=u:s3cret@m/")
            .unwrap_err()
            .to_string();
        assert!(!err.contains("s3cret"), "{err}");
        assert!(err.contains("not an absolute URI"), "{err}");
        let m = Mirrors::parse("https://a/=https://u:s3cret@m/").unwrap();
        assert_eq!(
            format!("{m:?}"),
            r#"["https://a/=https://-redacted-:-redacted-@m/"]"#
        );
    }
}
