//! The unit tests of the YAML tree: reading, types, tags, limits and writing back.

use super::emit::{MAX_IMPLICIT_KEY, plain_is_safe};
use super::tags::{decode_base64, is_timestamp, shortened};
use super::*;

#[test]
fn keeps_float_spelling_and_quoting() {
    let root = parse("---\nversion: 1.10\nother: '6.1'\nzero: 0\n").unwrap();
    let v = root.get("version").unwrap().as_scalar().unwrap();
    assert_eq!(v.text, "1.10");
    assert_eq!(v.resolved_type(), ScalarType::Float);
    assert_eq!(
        root.get("other").unwrap().as_scalar().unwrap().style,
        Style::SingleQuoted
    );
    assert_eq!(
        root.get("zero")
            .unwrap()
            .as_scalar()
            .unwrap()
            .resolved_type(),
        ScalarType::Int
    );
    assert_eq!(emit(&root), "---\nversion: 1.10\nother: '6.1'\nzero: 0\n");
}

#[test]
fn a_tab_after_a_keys_colon_is_named_at_its_column() {
    let err = parse("language: x\ndependencies:\n- name:\tfoo\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 3, column 8: a tab after `:`; YAML separates a key from its value with a space: replace the tab with a space"
    );
    // Another error on a line with such a tab (in a quoted value) keeps its own words.
    let err = parse("a: \"x:\ty\" c: d\n").unwrap_err();
    assert!(!err.message.contains("tab"), "{err}");
}

#[test]
fn reports_position_of_syntax_errors() {
    let err = parse("a: b\n  c: [d\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 2, column 4: mapping values are not allowed in this context"
    );
}

#[test]
fn a_tab_in_the_indentation_is_named_at_its_line() {
    let err = parse("language: x\ndependencies:\n- name: a\n\tversion: 1.0\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 4, column 1: a tab in the indentation; YAML indents with spaces"
    );
    // A tab after spaces is in the indentation too.
    let err = parse("a:\n  b: 1\n  \tc: 2\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 3, column 1: a tab in the indentation; YAML indents with spaces"
    );
    // Tabs in values and comments, and before a comment, are not indentation (a comment
    // line that starts with a tab is refused as Go refuses it: see below).
    assert!(parse("a: \"1\\t2\" # x\ty\nb:\n  - c\td\n").is_ok());
    // When parsing fails for another reason, that reason is shown.
    let err = parse("a: [b\n\t# c\n").unwrap_err();
    assert!(!err.message.contains("tab"), "{err}");
}

#[test]
fn go_unmarshal_reading_lets_a_later_key_win_and_reads_one_document() {
    let root = parse_as_go_unmarshal("a: 1\nb: 2\na: 3\n").unwrap();
    let Value::Mapping(entries) = &root.value else {
        panic!("not a mapping: {root:?}");
    };
    assert_eq!(entries.len(), 2);
    assert_eq!(root.get("a").unwrap().as_scalar().unwrap().text, "3");
    let flow = parse_as_go_unmarshal("{a: 1, a: 2}").unwrap();
    assert_eq!(flow.get("a").unwrap().as_scalar().unwrap().text, "2");
    // The second document is never parsed, broken or not.
    let first = parse_as_go_unmarshal("a: 1\n---\nb: [\n").unwrap();
    assert_eq!(first.get("a").unwrap().as_scalar().unwrap().text, "1");
    assert!(first.get("b").is_none());
    // Errors in the first document are still errors.
    assert!(parse_as_go_unmarshal("a: [1\n").is_err());
    // The strict reading is unchanged.
    assert!(parse("a: 1\n---\nb: 2\n").is_err());
}

#[test]
fn refuses_duplicate_keys_with_both_lines() {
    let err = parse("a: 1\nb: 2\na: 3\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 3, column 1: duplicate key `a` (first at line 1); keep one of the two: a key appears once in a mapping"
    );
    // Below the top, the key is named by its path, as validate names keys: list items by
    // their index, in flow style too.
    for (text, path) in [
        (
            "language: x\ndependencies:\n- name: a\n- name: b\n  name: c\n",
            "dependencies[1].name",
        ),
        ("install:\n- env: {A: 1, A: 2}\n", "install[0].env.A"),
        ("x: [[a], [{b: 1, b: 2}]]\n", "x[1][0].b"),
        ("- a: 1\n  a: 2\n", "[0].a"),
    ] {
        let err = parse(text).unwrap_err();
        assert!(
            err.message
                .starts_with(&format!("duplicate key `{path}` (first at line ")),
            "{text:?}: {err}"
        );
    }
}

#[test]
fn null_values_and_nested_sequences_round_trip() {
    let text = "---\nlanguage: php\ndependency_deprecation_dates:\ndependencies:\n- name: php\n  version: 8.2.1\n  cf_stacks:\n  - cflinuxfs4\n  dependencies:\n  - name: bz2\n    version:\n  - name: amqp\n    version: 2.1.2\nempty: []\n";
    let root = parse(text).unwrap();
    assert!(root.get("dependency_deprecation_dates").unwrap().is_null());
    assert_eq!(emit(&root), text);
    assert_eq!(parse(&emit(&root)).unwrap(), root);
}

#[test]
fn multi_line_plain_scalars_are_written_on_one_line() {
    let root = parse("a:\n  description: one two\n    three\n").unwrap();
    assert_eq!(emit(&root), "---\na:\n  description: one two three\n");
}

#[test]
fn block_and_special_scalars_survive_a_round_trip() {
    let text = "script: |\n  echo one\n  echo two\nq: \"tab\\there\"\ns: 'it''s'\n";
    let root = parse(text).unwrap();
    let again = parse(&emit(&root)).unwrap();
    for key in ["script", "q", "s"] {
        assert_eq!(
            again.get(key).unwrap().as_scalar().unwrap().text,
            root.get(key).unwrap().as_scalar().unwrap().text
        );
    }
}

/// Found by `cargo fuzz run manifest` (fuzz/regressions/manifest/root-scalar-document-marker):
/// a root scalar was written alone at column 0, where a text such as `--- a` (here from
/// a multi-line plain scalar) or `...` reads as a document marker.
#[test]
fn root_scalars_stay_off_column_0() {
    for text in [
        " ---\nlanguage:x\n:y\n",
        "--- |\n  ...\n",
        "--- |\n  --- a\n",
    ] {
        let root = parse(text).unwrap();
        let again = parse(&emit(&root)).unwrap();
        assert_eq!(
            again.as_scalar().unwrap().text,
            root.as_scalar().unwrap().text
        );
    }
    assert_eq!(emit(&parse("x").unwrap()), "--- x\n");
    assert_eq!(emit(&parse("--- |\n  a\n").unwrap()), "--- |\n  a\n");
    assert_eq!(emit(&parse("").unwrap()), "---\n");
}

/// Keys that an implicit `key:` cannot hold: a block scalar key, a key over YAML's 1024
/// characters, a key at column 0 that starts like a document marker. (Found while writing
/// the manifest fuzz target's round-trip property: fuzz/regressions/manifest/key-*.)
#[test]
fn awkward_keys_round_trip() {
    let long = "k".repeat(1500);
    for text in [
        "? |\n  a\n: b\n".to_string(),
        format!("? {long}\n: v\n"),
        format!("- ? \"{long}\"\n  : [1]\n"),
        "{--- a: 1, ... : 2, ---b: 3}\n".to_string(),
    ] {
        let root = parse(&text).unwrap();
        let emitted = emit(&root);
        let again = parse(&emitted).unwrap_or_else(|e| panic!("{e}:\n{emitted}"));
        assert_eq!(emit(&again), emitted);
    }
    assert_eq!(
        emit(&parse("? |\n  a\n: b\n").unwrap()),
        "---\n\"a\\n\": b\n"
    );
    assert_eq!(
        emit(&parse("{--- a: 1, ---b: 2}").unwrap()),
        "---\n? --- a\n: 1\n---b: 2\n"
    );
}

/// Found by `cargo fuzz run manifest` (fuzz/regressions/manifest/flow-plain-indicator):
/// saphyr reads `>.> -` in a flow mapping as a plain scalar, which YAML does not allow
/// and which, written back in block style, starts a folded block scalar.
#[test]
fn plain_text_that_cannot_be_plain_is_quoted() {
    let root = parse("{--- a: 1, >.> -:, 2 -)b: 3}").unwrap();
    assert_eq!(emit(&root), "---\n? --- a\n: 1\n\">.> -\":\n2 -)b: 3\n");
    for (text, plain) in [
        ("a", true),
        ("-a", true),
        ("a:b", true),
        ("a#b", true),
        ("1.10", true),
        ("-", false),
        ("- a", false),
        (">a", false),
        ("a: b", false),
        ("a #b", false),
        ("a:", false),
        (" a", false),
        ("a ", false),
        ("a\nb", false),
        ("", false),
    ] {
        assert_eq!(plain_is_safe(text), plain, "{text:?}");
    }
}

/// Every scalar of a tree, keys included, in order.
fn scalars(node: &Node) -> Vec<Scalar> {
    match &node.value {
        Value::Scalar(s) => vec![s.clone()],
        Value::Sequence(items) => items.iter().flat_map(scalars).collect(),
        Value::Mapping(entries) => entries
            .iter()
            .flat_map(|(k, v)| scalars(k).into_iter().chain(scalars(v)))
            .collect(),
    }
}

/// A tag decides a scalar's type (`!!str 1.10` is a string, `1.10` a number), so it is
/// written back: dropped, `version: !!str 1.10` became the number 1.1 to Go and Ruby.
#[test]
fn tags_are_kept() {
    let text = "---\nversion: !!str 1.10\nzero: ! 0\nyes: !!str yes\nnil: !!str ~\nn: !!int \"7\"\nlocal: !thing x\nlist:\n- !!str 2.0\n- !!str\nempty: !!str\n!!str 1.5: key\nblock: !!str |\n  a\n";
    let root = parse(text).unwrap();
    let types: Vec<(String, ScalarType)> = match &root.value {
        Value::Mapping(entries) => entries
            .iter()
            .filter_map(|(k, v)| Some((k.key_text().to_string(), v.as_scalar()?.resolved_type())))
            .collect(),
        _ => panic!("not a mapping"),
    };
    assert_eq!(
        types,
        [
            ("version".to_string(), ScalarType::Str),
            ("zero".to_string(), ScalarType::Str),
            ("yes".to_string(), ScalarType::Str),
            ("nil".to_string(), ScalarType::Str),
            ("n".to_string(), ScalarType::Int),
            ("local".to_string(), ScalarType::Str),
            ("empty".to_string(), ScalarType::Str),
            ("1.5".to_string(), ScalarType::Str),
            ("block".to_string(), ScalarType::Str),
        ]
    );
    assert_eq!(emit(&root), text);
    assert_eq!(parse(&emit(&root)).unwrap(), root);
    // Tags that the shorthand cannot write, and an empty tagged key.
    for text in [
        "%TAG !e! tag:example.com,2000:\n---\na: !e!x%20y 1\n",
        "a: !<tag:example.com,2000:odd> 1\n",
        "a: !!a%21b 1\n",
        "!!str : v\n",
        "- !!null\n",
    ] {
        let root = parse(text).unwrap();
        let emitted = emit(&root);
        let again = parse(&emitted).unwrap_or_else(|e| panic!("{e}:\n{emitted}"));
        assert_eq!(scalars(&again), scalars(&root), "{emitted}");
        assert!(scalars(&root).iter().any(|s| s.tag.is_some()), "{text}");
    }
    assert_eq!(
        emit(&parse("%TAG !e! tag:example.com,2000:\n---\na: !e!x%20y 1\n").unwrap()),
        "---\na: !<tag:example.com%2C2000:x%20y> 1\n"
    );
}

#[test]
fn aliases_are_expanded() {
    let root = parse("a: &x [1, 2]\nb: *x\n").unwrap();
    assert_eq!(root.get("a").unwrap().value, root.get("b").unwrap().value);
}

/// `<<` merges as Go's YAML library merges: the mapping's own keys win, then the first
/// merged mapping that sets a key; the merged keys go where the `<<` was.
#[test]
fn merge_keys_are_applied() {
    let keys = |node: &Node| -> Vec<(String, String)> {
        match &node.value {
            Value::Mapping(entries) => entries
                .iter()
                .map(|(k, v)| {
                    (
                        k.key_text().to_string(),
                        emit(v).trim_start_matches("--- ").trim().to_string(),
                    )
                })
                .collect(),
            _ => panic!("not a mapping"),
        }
    };
    let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect()
    };
    let root = parse(
            "a: &a {x: 1, y: 2}\nb: &b {y: 3, z: 4}\none:\n  <<: *a\n  y: 9\nboth:\n  w: 0\n  <<: [*a, *b]\n'<<': kept\n",
        )
        .unwrap();
    assert_eq!(
        keys(root.get("one").unwrap()),
        pairs(&[("x", "1"), ("y", "9")])
    );
    assert_eq!(
        keys(root.get("both").unwrap()),
        pairs(&[("w", "0"), ("x", "1"), ("y", "2"), ("z", "4")])
    );
    // A quoted `<<` is a key like any other.
    assert_eq!(
        root.get("<<")
            .and_then(Node::as_scalar)
            .map(|s| s.text.as_str()),
        Some("kept")
    );
    let err = parse("a:\n  <<: [1, 2]\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 2, column 7: the value of a merge key `<<` must be a mapping or a list of mappings (`<<: *base`)"
    );
}

/// Nine aliases to aliases ("billion laughs") ran out of memory before any error.
#[test]
fn aliases_of_aliases_stop_at_a_bound() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let j = i - 1;
        writeln!(
            text,
            "a{i}: &a{i} [*a{j}, *a{j}, *a{j}, *a{j}, *a{j}, *a{j}, *a{j}, *a{j}, *a{j}, *a{j}]"
        )
        .unwrap();
    }
    let err = parse(&text).unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 6, column 25: aliases expand the document by more than 1000000 values and bytes; write the values out instead of aliasing aliases"
    );
    // Up to the bound, aliases are fine: 50 copies of 9 999 one-byte scalars and their list
    // (19 999 each).
    let mut text = String::from("base: &b [");
    text.push_str(&vec!["x"; 9_999].join(", "));
    text.push_str("]\n");
    for i in 0..50 {
        writeln!(text, "c{i}: *b").unwrap();
    }
    assert!(parse(&text).is_ok());
    text.push_str("c50: *b\n");
    assert!(parse(&text).is_err());
    // A long scalar repeated is the same bomb with few values.
    let long = |copies: usize| {
        format!(
            "a: &a {}\nb: [{}]\n",
            "y".repeat(100_000),
            vec!["*a"; copies].join(", ")
        )
    };
    assert!(parse(&long(9)).is_ok());
    assert!(
        parse(&long(10))
            .unwrap_err()
            .message
            .starts_with("aliases expand the document by more than")
    );
}

/// Duplicate keys were found by scanning the keys before each one: a mapping of 100 000
/// keys (1.2 MB) took two minutes. The bound is 50 times what it takes now.
#[test]
fn wide_mappings_parse_in_linear_time() {
    let mut text = String::from("a:\n");
    for i in 0..100_000 {
        writeln!(text, "  k{i}: v").unwrap();
    }
    let started = std::time::Instant::now();
    let root = parse(&text).unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert!(matches!(&root.get("a").unwrap().value, Value::Mapping(e) if e.len() == 100_000));
}

/// 100 000 nested `- ` (a 200 KB file) overflowed the stack and aborted the process.
#[test]
fn nesting_stops_at_a_bound() {
    let deep = |levels: usize| format!("a:\n{}x\n", "- ".repeat(levels));
    assert!(parse(&deep(MAX_DEPTH - 1)).is_ok());
    let err = parse(&deep(100_000)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 2, column 511: lists and mappings nested more than 256 levels deep; real documents need a few"
    );
    // An alias counts with the depth of what it copies.
    let mut text = format!("a: &a {}x\n", "[".repeat(200)) + &"]".repeat(200);
    text.push_str("\nb:\n- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - *a\n");
    let err = parse(&text).unwrap_err();
    assert!(
        err.message
            .starts_with("lists and mappings nested more than 256"),
        "{err}"
    );
}

#[test]
fn base64_as_go_decodes_it() {
    assert_eq!(decode_base64("").unwrap(), b"");
    assert_eq!(decode_base64("QQ==").unwrap(), b"A");
    assert_eq!(decode_base64("QUI=").unwrap(), b"AB");
    assert_eq!(decode_base64("QUJD").unwrap(), b"ABC");
    // The last two characters of the alphabet, `+` (62) and `/` (63).
    assert_eq!(decode_base64("+/+/").unwrap(), [0xFB, 0xFF, 0xBF]);
    assert_eq!(decode_base64("QU\r\nJD\n").unwrap(), b"ABC");
    // Go's standard encoding is not strict about the unused bits of the last character.
    assert_eq!(decode_base64("QR==").unwrap(), b"A");
    for bad in ["QQ", "QQ=", "QUJD QQ==", "QQ==QUJD", "====", "QQ-_"] {
        assert!(decode_base64(bad).is_none(), "{bad}");
    }
}

#[test]
fn binary_scalars_decode_in_the_whole_tree() {
    let tree =
        parse("language: !!binary aGVsbG8=\nlist:\n- !!binary MS4xMA==\n- !!str 2\n").unwrap();
    let decoded = decode_binary_scalars(&tree).unwrap();
    let scalar = decoded.get("language").unwrap().as_scalar().unwrap();
    assert_eq!(
        (scalar.text.as_str(), scalar.resolved_type()),
        ("hello", ScalarType::Str)
    );
    let Value::Sequence(items) = &decoded.get("list").unwrap().value else {
        panic!("{decoded:?}")
    };
    // A decoded `1.10` stays the string it was, not a number.
    let first = items[0].as_scalar().unwrap();
    assert_eq!(
        (first.text.as_str(), first.resolved_type()),
        ("1.10", ScalarType::Str)
    );
    assert_eq!(
        items[1],
        match &tree.get("list").unwrap().value {
            Value::Sequence(original) => original[1].clone(),
            _ => unreachable!(),
        }
    );
    // An invalid one names its key path, as `!!int abc` does; a block of base64 is shown
    // on one line, shortened.
    let error = decode_binary_scalars(&parse("a:\n- b: !!binary nope!\n").unwrap()).unwrap_err();
    assert_eq!((error.position.line, error.position.column), (2, 6));
    assert_eq!(
        error.message,
        "a[0].b: the tag !!binary says the value is base64 (with `=` padding), but `nope!` is not; remove the tag to write the value as plain text, or encode it again with base64"
    );
    let block = format!("k: !!binary |\n  {}\n  QQ\n", "QUJD".repeat(12));
    let error = decode_binary_scalars(&parse(&block).unwrap()).unwrap_err();
    assert!(
        error.message.starts_with(&format!(
            "k: the tag !!binary says the value is base64 (with `=` padding), but `{}…` is not; ",
            "QUJD".repeat(10)
        )),
        "{}",
        error.message
    );
    let error = decode_binary_scalars(&parse("!!binary QQ\n").unwrap()).unwrap_err();
    assert!(
        error.message.starts_with("the tag !!binary "),
        "{}",
        error.message
    );
}

/// A tag naming a type the text is not is refused, as yaml.v2 refuses it, at the value with
/// its key path; text that fits its tag, quoted or not, and other tags pass.
#[test]
fn core_tags_must_fit_their_text() {
    let error = |text: &str| check_core_tags(&parse(text).unwrap()).err();
    let bad = error("a: 1\nlist:\n- x: 2\n  y: !!int abc\n").unwrap();
    assert_eq!((bad.position.line, bad.position.column), (4, 6));
    assert_eq!(
        bad.message,
        "list[0].y: the tag !!int says the value is a whole number, but `abc` is not; remove the tag, or write a whole number"
    );
    // A quoted value is resolved as if plain; keys are checked at their mapping's path.
    assert!(
        error("n: !!int '3x'\n")
            .unwrap()
            .message
            .starts_with("n: the tag !!int ")
    );
    assert!(
        error("m:\n  !!bool maybe: x\n")
            .unwrap()
            .message
            .starts_with("m: the tag !!bool ")
    );
    assert!(
        error("!!int x\n")
            .unwrap()
            .message
            .starts_with("the tag !!int ")
    );
    for bad in [
        "v: !!int 1.5",
        "v: !!int",
        "v: !!float abc",
        "v: !!bool 1",
        "v: !!null x",
        "v: !<tag:yaml.org,2002:int> x",
        "v: !!timestamp 2020-13",
        "v: !!timestamp 2020-01-02T25",
        "v: !!timestamp 2020-01-02 10:00:00 +x",
    ] {
        assert!(error(bad).is_some(), "{bad}");
    }
    for good in [
        "v: !!int 3",
        "v: !!int '0x1F'",
        "v: !!float 3",
        "v: !!float 1.5e3",
        "v: !!bool yes",
        "v: !!null ~",
        "v: !!null",
        "v: !!str 1.10",
        "v: !!binary aGk=",
        "v: !thing x",
        "v: ! 3",
        "v: !!timestamp 2020-01-02",
        "v: !!timestamp 2020-1-2t10:00:00Z",
        "v: !!timestamp 2020-01-02 10:00:00.5 +09:00",
        "v: !!timestamp 2020-01-02T10:00:00-5",
    ] {
        assert_eq!(error(good), None, "{good}");
    }
}

/// The mistakes made by hand get their fix after the library's words; other messages are
/// left as they are.
#[test]
fn hand_made_mistakes_get_their_fix() {
    let fixed = |text: &str| with_fix(&parse(text).unwrap_err().message);
    for (text, end) in [
        (
            "web: ruby -o host: 0.0.0.0\n",
            "must be quoted whole (`web: 'run --opt a: b'`), and a key must be indented as the keys beside it",
        ),
        (
            "a:\n- name: a\n version: 1\n",
            "; indent this line as the keys beside it (or quote a value that holds `: ` or starts with a quote)",
        ),
        (
            "web: 'ruby' app.rb\n",
            "quote the whole value (`web: 'ruby \"app.rb\" -p $PORT'`), not part of it",
        ),
        (
            "a: \"x\n",
            "; a quote is not closed: close it at the end of the value",
        ),
        (
            "a: @x\n",
            "; a plain value cannot start with it: quote the value",
        ),
        (
            "a: [b, c\n",
            "; close the `[` or `{` of the value, with `,` between its items (or quote a value that starts with `[` or `{`)",
        ),
        // An alias needs its anchor before it: a later one is unknown too.
        (
            "a: *base\nb: &base 1\n",
            "found unknown anchor; define the anchor (`&name`) before the alias (`*name`) that repeats its value",
        ),
    ] {
        let message = fixed(text);
        assert!(message.ends_with(end), "{text:?}: {message}");
    }
    assert!(!fixed("web: 'ruby' app.rb\n").contains("double-quoted"));
    // An alias inside its own anchor's value is the tree builder's error, whose fix is given
    // once.
    assert_eq!(
        fixed("r: &r [*r]\n"),
        "alias to an unknown anchor; define the anchor (`&name`) before the alias (`*name`) that repeats its value"
    );
    // Other errors in a quoted value are no unclosed quote.
    for (text, message) in [
        (
            "a: \"\\q\"\n",
            "while parsing a quoted scalar, found unknown escape character",
        ),
        (
            "a: 'b\n---\n'\n",
            "while scanning a quoted scalar, found unexpected document indicator",
        ),
    ] {
        assert_eq!(fixed(text), message, "{text:?}");
    }
    assert_eq!(
        with_fix("found a second YAML document"),
        "found a second YAML document"
    );
}

/// A scalar's type as a loader gives it: the core schema tag it has names the type, quoted
/// or not; the non-specific `!` makes a string; any other tag leaves it to the text.
#[test]
fn a_core_tag_decides_the_type_before_the_text() {
    let resolved = |text: &str| parse(text).unwrap().as_scalar().unwrap().resolved_type();
    for (text, expected) in [
        ("!!str 3", ScalarType::Str),
        ("!!int '3'", ScalarType::Int),
        ("!!float 3", ScalarType::Float),
        ("!!float '1.5'", ScalarType::Float),
        ("!!bool 'yes'", ScalarType::Bool),
        ("!!null ''", ScalarType::Null),
        ("! 3", ScalarType::Str),
        ("!thing 3", ScalarType::Int),
        ("!thing '3'", ScalarType::Str),
        ("!<tag:example.com,2000:x> 1.5", ScalarType::Float),
    ] {
        assert_eq!(resolved(text), expected, "{text}");
    }
}

/// The type of `text` written plain, untagged.
fn plain_type(text: &str) -> ScalarType {
    Scalar {
        text: text.into(),
        style: Style::Plain,
        tag: None,
    }
    .resolved_type()
}

/// Plain text resolved by its spelling: hexadecimal and octal need a digit after `0x` or
/// `0o`, and only digits of their base.
#[test]
fn hex_and_octal_integers_need_digits_of_their_base() {
    for (text, expected) in [
        ("0x1F", ScalarType::Int),
        ("-0xff", ScalarType::Int),
        ("0x", ScalarType::Str),
        ("0x1G", ScalarType::Str),
        ("0o17", ScalarType::Int),
        ("+0o7", ScalarType::Int),
        ("0o", ScalarType::Str),
        ("0o18", ScalarType::Str),
    ] {
        assert_eq!(plain_type(text), expected, "{text}");
    }
}

/// Floats: digits on either side of the point (not neither), or digits with an exponent.
#[test]
fn floats_need_digits_around_the_point_or_an_exponent() {
    for (text, expected) in [
        ("1.", ScalarType::Float),
        (".5", ScalarType::Float),
        ("-.5", ScalarType::Float),
        ("1.5e-3", ScalarType::Float),
        ("1e5", ScalarType::Float),
        (".", ScalarType::Str),
        ("e5", ScalarType::Str),
        ("xe5", ScalarType::Str),
        ("1.5e", ScalarType::Str),
    ] {
        assert_eq!(plain_type(text), expected, "{text}");
    }
}

/// A timestamp's zone is `Z`, or hours (one or two digits) with optional `:MM` (two).
#[test]
fn timestamp_zones_take_hours_and_two_digit_minutes() {
    for (text, expected) in [
        ("2020-01-02 10:00:00 +09:00", true),
        ("2020-01-02 10:00:00 -9", true),
        ("2020-01-02T10:00:00Z", true),
        ("2020-01-02 10:00:00 +09:0", false),
        ("2020-01-02 10:00:00 +x:00", false),
        ("2020-01-02 10:00:00 +123", false),
    ] {
        assert_eq!(is_timestamp(text), expected, "{text}");
    }
}

/// A value in a message is one line of at most 40 characters.
#[test]
fn shortened_text_is_one_line_of_40_characters() {
    assert_eq!(shortened(" a\nb\r\nc \n"), "a b  c");
    let forty = "é".repeat(40);
    assert_eq!(shortened(&forty), forty);
    assert_eq!(shortened(&format!("{forty}x")), format!("{forty}…"));
    let error =
        decode_binary_scalars(&parse("k: !!binary |\n  QUJD\n  QQ\n").unwrap()).unwrap_err();
    assert!(
        error.message.contains("but `QUJD QQ` is not;"),
        "{}",
        error.message
    );
}

/// Aliases may add exactly [`MAX_ALIAS_EXPANSION`] values and bytes; a list counts as a
/// value besides its items (here one scalar of 999 998 bytes, 999 999 with its own count).
#[test]
fn alias_expansion_stops_just_past_the_bound() {
    let list = |bytes: usize| format!("a: &a [{}]\nb: *a\n", "y".repeat(bytes));
    assert!(parse(&list(999_998)).is_ok());
    assert_eq!(
        parse(&list(999_999)).unwrap_err().to_string(),
        "line 2, column 4: aliases expand the document by more than 1000000 values and bytes; write the values out instead of aliasing aliases"
    );
}

/// Mappings count towards [`MAX_DEPTH`] as lists do, and an alias adds the levels of what it
/// copies to the levels around it.
#[test]
fn nesting_bound_counts_mappings_and_aliased_levels() {
    let mappings = |levels: usize| {
        let mut text = String::new();
        for level in 0..levels - 1 {
            writeln!(text, "{}a:", "  ".repeat(level)).unwrap();
        }
        writeln!(text, "{}a: x", "  ".repeat(levels - 1)).unwrap();
        text
    };
    assert!(parse(&mappings(MAX_DEPTH)).is_ok());
    assert_eq!(
        parse(&mappings(MAX_DEPTH + 1)).unwrap_err().to_string(),
        "line 257, column 513: lists and mappings nested more than 256 levels deep; real documents need a few"
    );
    // A 200-level list aliased inside `levels` mappings.
    let aliased = |levels: usize| {
        let mut text = format!("a: &a {}x{}\n", "[".repeat(200), "]".repeat(200));
        for level in 0..levels - 1 {
            writeln!(text, "{}b:", "  ".repeat(level)).unwrap();
        }
        writeln!(text, "{}b: *a", "  ".repeat(levels - 1)).unwrap();
        text
    };
    assert!(parse(&aliased(2)).is_ok());
    assert!(parse(&aliased(56)).is_ok());
    assert!(
        parse(&aliased(57))
            .unwrap_err()
            .message
            .starts_with("lists and mappings nested more than 256 levels deep")
    );
}

/// Lists in lists, block scalars and empty collections as items, and empty collections
/// alone: each written where it reads back the same.
#[test]
fn sequences_and_empty_collections_are_written_in_place() {
    for (text, emitted) in [
        (
            "- - a\n  - - b\n    - c\n- d\n",
            "---\n- - a\n  - - b\n    - c\n- d\n",
        ),
        (
            "- |\n  a\n  b\n- x: |\n    c\n",
            "---\n- |\n  a\n  b\n- x: |\n    c\n",
        ),
        ("- {}\n- []\n- [[]]\n", "---\n- {}\n- []\n- - []\n"),
        ("{}", "--- {}\n"),
        ("[]", "--- []\n"),
    ] {
        let root = parse(text).unwrap();
        assert_eq!(emit(&root), emitted, "{text:?}");
        assert_eq!(emit(&parse(emitted).unwrap()), emitted, "{text:?}");
    }
}

/// A key of [`MAX_IMPLICIT_KEY`] characters is still written `key: value`; one more takes
/// the explicit `? key` form.
#[test]
fn implicit_keys_stop_at_their_bound() {
    let key = "k".repeat(MAX_IMPLICIT_KEY);
    let root = parse(&format!("{key}: v\n")).unwrap();
    assert_eq!(emit(&root), format!("---\n{key}: v\n"));
    let root = parse(&format!("{key}k: v\n")).unwrap();
    assert_eq!(emit(&root), format!("---\n? {key}k\n: v\n"));
}

/// Scalars a style cannot write back as they are take double quotes: a single-quoted one
/// with a line break, a block that does not end in exactly one line break or that starts
/// with a space, text with control characters.
#[test]
fn styles_that_cannot_hold_the_text_become_double_quoted() {
    for (text, emitted) in [
        ("a: 'x\n\n  y'\n", "---\na: \"x\\ny\"\n"),
        ("a: |-\n  x\n", "---\na: \"x\"\n"),
        ("a: |+\n  x\n\n", "---\na: \"x\\n\\n\"\n"),
        ("a: |2\n    x\n", "---\na: \"  x\\n\"\n"),
        ("a: >\n  x\n  y\n", "---\na: |\n  x y\n"),
        ("a: \"\\x01\\x7f\\t\"\n", "---\na: \"\\u0001\\u007f\\t\"\n"),
    ] {
        let root = parse(text).unwrap();
        assert_eq!(emit(&root), emitted, "{text:?}");
        // The same text, read back.
        let text_of = |node: &Node| node.get("a").unwrap().as_scalar().unwrap().text.clone();
        assert_eq!(
            text_of(&parse(emitted).unwrap()),
            text_of(&root),
            "{text:?}"
        );
    }
}

/// A line starting with a tab is refused, as Go's YAML libraries (ports of libyaml) refuse
/// it, blank or a comment too; inside a quoted scalar or a flow collection, and after the
/// first document's end for Go's readers, it is fine. Each case was checked against libyaml.
#[test]
fn a_line_starting_with_a_tab_is_refused_as_go_refuses_it() {
    for (text, line) in [
        ("\tlanguage: x\n", 1),
        ("language: x\n\t\n", 2),
        ("language: x\n\t# c\n", 2),
        ("language: x\n\t", 2),
        ("\t# hi\nlanguage: x\n", 1),
        ("a: b\n\tc\n", 2),
        ("a: 1\n\tb: 2\n", 2),
        ("a:\n- 1\n\t\n- 2\n", 3),
        ("a:\n  b: 1\n\t\n  c: 2\n", 3),
        ("a:\n\t- 1\n", 2),
        ("a: \"x\"\n\t\n", 2),
        ("a: [1, 2]\n\tb: 3\n", 2),
        ("a: |\n  x\n\t\n", 3),
    ] {
        for read in [parse, parse_as_go_unmarshal, parse_as_go_v3_unmarshal] {
            let error = read(text).unwrap_err();
            assert_eq!(
                (error.position.line, error.position.column),
                (line, 1),
                "{text:?}: {error}"
            );
            // Where the library fails too, its own error is worded as a tab in the
            // indentation.
            assert!(
                error.message.starts_with("a tab at the start of a line;")
                    || error.message.starts_with("a tab in the indentation;"),
                "{text:?}: {error}"
            );
        }
    }
    for text in [
        "a: [1,\n\t2]\n",
        "a: {b: 1,\n\tc: 2}\n",
        "a: |\n  x\n  \ty\n",
        "a: 1\n \t \n",
        "a: 1\t# c\n",
        "language: x\t\n",
        "a:\n  b\n \tc\n",
    ] {
        parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    }
    // Go reads no further than the first document's end.
    assert!(parse_as_go_unmarshal("a: 1\n...\n\tjunk\n").is_ok());
    assert!(parse_as_go_v3_unmarshal("a: 1\n---\n\tb: 2\n").is_ok());
}
