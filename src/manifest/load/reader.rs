//! The `Reader` core: reporting a wrong type, a missing or an empty key with its key path and
//! position, and the helpers every key's reader is built from (text, names, versions, lists,
//! mappings, required keys).

use super::super::diagnostic::Report;
use super::super::yaml::{Node, ScalarType, Value};

/// An entry of a list read with [`Reader::each`], which keeps its index in the manifest's list:
/// the items of the wrong kind left out of the model would otherwise shift every later
/// entry's key path (and the line a message points at) onto its neighbour.
pub(super) trait ListItem {
    fn set_index(&mut self, index: usize);
}

/// [`ListItem`] for entry types with an `index` field.
macro_rules! list_items {
    ($($item:ty),*) => {$(
        impl ListItem for $item {
            fn set_index(&mut self, index: usize) {
                self.index = index;
            }
        }
    )*};
}
pub(super) use list_items;

/// Reads parts of the tree into the model, reporting each problem to `report` and going on.
pub(super) struct Reader<'r> {
    pub(super) report: &'r mut Report,
}

impl Reader<'_> {
    /// Read each item of a list with `read`, giving it the item's key path (`name[3]`); `item_line`
    /// is the first line of an item (`- name: ruby`), for the fix when the key is no list.
    pub(super) fn each<T: ListItem>(
        &mut self,
        node: &Node,
        path: &str,
        item_line: &str,
        read: fn(&mut Self, &Node, &str) -> Option<T>,
    ) -> Vec<T> {
        let items = self.list_of(node, path, Some(item_line));
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let item_path = format!("{path}[{i}]");
                // An empty `-` line is null. Each reader skips null as "absent", which for an
                // item would silently drop it, and the packaged manifest, written from the
                // tree where the item is still there, would no longer line up with the model.
                if item.is_null() {
                    self.report.error(
                        &item_path,
                        Some(item.position),
                        "expected a mapping of keys, found nothing; remove the empty `-` item or write its keys under it",
                    );
                    return None;
                }
                // `- ruby` or a nested list where an item's keys belong: show an item.
                if !matches!(item.value, Value::Mapping(_)) {
                    self.wrong_kind(
                        item,
                        &item_path,
                        "a mapping of keys",
                        &format!("; write the item as `{item_line}`, its other keys indented under it"),
                    );
                    return None;
                }
                let mut entry = read(self, item, &item_path)?;
                entry.set_index(i);
                Some(entry)
            })
            .collect()
    }

    pub(super) fn wrong_type(&mut self, node: &Node, path: &str, expected: &str) {
        // `- echo web: $x` is a mapping to YAML: the usual way text turns into one by mistake.
        // (Lists and mappings expected say their own fix: `list_of`, `mapping`.)
        let hint = if matches!(node.value, Value::Mapping(_)) {
            "; if it is meant as text, quote it whole ('…'): a `: ` in it makes YAML read a key and its value"
        } else {
            ""
        };
        self.wrong_kind(node, path, expected, hint);
    }

    /// `expected …, found <node's kind>` and the fix after it (starting with `; `): every
    /// wrong-type message has this shape.
    fn wrong_kind(&mut self, node: &Node, path: &str, expected: &str, fix: &str) {
        self.report.error(
            path,
            Some(node.position),
            format!("expected {expected}, found {}{fix}", node.kind_name()),
        );
    }

    pub(super) fn missing(&mut self, parent: &Node, path: &str, fix: &str) {
        self.report.error(
            path,
            Some(parent.position),
            format!("required key is missing; {fix}"),
        );
    }

    /// Free text (a command, a path, a regex, a description): a non-null scalar, as written,
    /// so a number stays as typed. Null reads as absent. A boolean is refused: `true`, `yes`
    /// or `off` unquoted is a boolean to YAML (Ruby's reader hands the packager `true`, not
    /// text), and for a command or a path it is far more likely a slip than the text meant.
    pub(super) fn string(&mut self, node: &Node, path: &str) -> Option<String> {
        match &node.value {
            Value::Scalar(s) if s.is_null() => None,
            Value::Scalar(s) if s.resolved_type() == ScalarType::Bool => {
                self.not_text(node, path, "a string", &s.text);
                None
            }
            Value::Scalar(s) => Some(s.text.clone()),
            _ => {
                self.wrong_type(node, path, "a string");
                None
            }
        }
    }

    /// A name or URI (`language`, `stack`, a dependency's `name` and `uri`, a stack in
    /// `cf_stacks`): a string, such as `example`. Unlike free text, a number is refused too:
    /// `language: 42` or `name: true` is no buildpack, dependency or stack name, and taking
    /// its text would name a zip `true_buildpack-…` or look up a dependency no one has.
    pub(super) fn name(&mut self, node: &Node, path: &str, example: &str) -> Option<String> {
        let expected = format!("a string such as `{example}`");
        match &node.value {
            Value::Scalar(s) if s.is_null() => None,
            Value::Scalar(s)
                if matches!(
                    s.resolved_type(),
                    ScalarType::Bool | ScalarType::Int | ScalarType::Float
                ) =>
            {
                self.not_text(node, path, &expected, &s.text);
                None
            }
            Value::Scalar(s) => Some(s.text.clone()),
            _ => {
                self.wrong_type(node, path, &expected);
                None
            }
        }
    }

    /// Any non-null scalar as written, a boolean included: the value of an environment
    /// variable (`RAILS_SERVE_STATIC_FILES: true`), which is text whatever it looks like.
    fn scalar_text(&mut self, node: &Node, path: &str) -> Option<String> {
        match &node.value {
            Value::Scalar(s) if s.is_null() => None,
            Value::Scalar(s) => Some(s.text.clone()),
            _ => {
                self.wrong_type(node, path, "a string");
                None
            }
        }
    }

    /// A scalar YAML reads as a boolean or a number where text was expected; quoting it
    /// makes it text, for the rare case it is meant (`pre_package: 'true'`).
    fn not_text(&mut self, node: &Node, path: &str, expected: &str, text: &str) {
        self.report.error(
            path,
            Some(node.position),
            format!(
                "expected {expected}, found {} (`{text}`); quote it ('{text}') if you mean the text `{text}`",
                node.kind_name()
            ),
        );
    }

    /// A version: a string or a number, kept exactly as written (`1.10`, `0`).
    pub(super) fn version(&mut self, node: &Node, path: &str) -> Option<String> {
        match &node.value {
            Value::Scalar(s) if s.is_null() => None,
            Value::Scalar(s) if s.resolved_type() == ScalarType::Bool => {
                self.wrong_type(
                    node,
                    path,
                    "a version such as 1.2.3 (quote a version that reads as true/false/yes/no)",
                );
                None
            }
            Value::Scalar(s) => Some(s.text.clone()),
            _ => {
                self.wrong_type(node, path, "a version such as 1.2.3");
                None
            }
        }
    }

    /// A list; null reads as an empty list (the corpus has `key:` with nothing after it).
    pub(super) fn list<'n>(&mut self, node: &'n Node, path: &str) -> &'n [Node] {
        self.list_of(node, path, None)
    }

    /// [`Self::list`], whose wrong kind is told how a list is written: for a list of mappings,
    /// with the first line of an item (`- name: ruby`). Keys under the list's key with no `- `
    /// before them (the usual slip) read as one mapping, so that fix names the missing `- `.
    fn list_of<'n>(&mut self, node: &'n Node, path: &str, item: Option<&str>) -> &'n [Node] {
        match &node.value {
            Value::Sequence(items) => return items,
            Value::Scalar(s) if s.is_null() => return &[],
            Value::Scalar(_) | Value::Mapping(_) => {}
        }
        let how = match item {
            Some(item) => {
                format!(
                    "write each item under the key as `{item}`, its other keys indented under it"
                )
            }
            None => "write each item on its own line under the key, starting with `- `".to_string(),
        };
        let why = if matches!(node.value, Value::Mapping(_)) {
            " (keys with no `- ` before them make one mapping, not a list)"
        } else {
            ""
        };
        self.wrong_kind(node, path, "a list", &format!("; {how}{why}"));
        &[]
    }

    pub(super) fn mapping<'n>(&mut self, node: &'n Node, path: &str) -> Option<&'n [(Node, Node)]> {
        match &node.value {
            Value::Mapping(entries) => Some(entries),
            Value::Scalar(s) if s.is_null() => None,
            _ => {
                self.wrong_kind(
                    node,
                    path,
                    "a mapping of keys",
                    "; write its keys under it, one `key: value` per line, indented",
                );
                None
            }
        }
    }

    /// A list of text items (`build`, `include_files`, `path`, `cf_stacks`), read as
    /// [`Self::list`] does; one item written without its `- ` (`build: make`) is told how to
    /// make it a list, with the item itself as the example.
    fn scalar_list<'n>(&mut self, node: &'n Node, path: &str) -> &'n [Node] {
        match &node.value {
            Value::Scalar(s) if s.resolved_type() == ScalarType::Str => {
                let item = s.text.trim();
                let example = if item.contains('\n') || item.chars().count() > 60 {
                    "`- ITEM`".to_string()
                } else {
                    format!("`- {item}`")
                };
                self.wrong_kind(
                    node,
                    path,
                    "a list",
                    &format!(
                        "; write each item on its own line under the key, starting with `- ` ({example})"
                    ),
                );
                &[]
            }
            _ => self.list(node, path),
        }
    }

    ///
    /// An empty item (`- ` alone, a null) reads as an empty string in its place, which
    /// validation refuses where the key needs a value: dropping it named every later item by
    /// the index (and the line) of the one before it.
    pub(super) fn string_list(&mut self, node: &Node, path: &str) -> Vec<String> {
        self.scalar_list(node, path)
            .iter()
            .enumerate()
            .filter_map(|(i, item)| match &item.value {
                Value::Scalar(s) if s.is_null() => Some(String::new()),
                _ => self.string(item, &format!("{path}[{i}]")),
            })
            .collect()
    }

    /// `build`: a list of commands, one for each item, so that `build[i]` in a message is the
    /// manifest's own item `i`: an empty item (`- ` alone, a null) reads as an empty command,
    /// which validation warns about and finalize skips, where dropping it named every later
    /// command by the index of the one after it in the manifest.
    pub(super) fn command_list(&mut self, node: &Node, path: &str) -> Vec<String> {
        self.scalar_list(node, path)
            .iter()
            .enumerate()
            .map(|(i, item)| {
                self.string(item, &format!("{path}[{i}]"))
                    .unwrap_or_default()
            })
            .collect()
    }

    /// A list of names ([`Self::name`]), such as `cf_stacks`.
    pub(super) fn name_list(&mut self, node: &Node, path: &str, example: &str) -> Vec<String> {
        self.scalar_list(node, path)
            .iter()
            .enumerate()
            .filter_map(|(i, item)| self.name(item, &format!("{path}[{i}]"), example))
            .collect()
    }

    pub(super) fn string_map(&mut self, node: &Node, path: &str) -> Vec<(String, String)> {
        let Some(entries) = self.mapping(node, path) else {
            return Vec::new();
        };
        entries
            .iter()
            .filter_map(|(k, v)| {
                let key_path = format!("{path}.{}", k.key_text());
                match &v.value {
                    Value::Scalar(s) if s.is_null() => {
                        Some((k.key_text().to_string(), String::new()))
                    }
                    _ => self
                        .scalar_text(v, &key_path)
                        .map(|text| (k.key_text().to_string(), text)),
                }
            })
            .collect()
    }

    /// `release.default_process_types`: a process type for each key, its start command the
    /// value. A command YAML reads as a boolean (`web: true`, `worker: off`) is refused as
    /// `build: [true]` is: the app would run the command `true` and exit at once.
    pub(super) fn command_map(&mut self, node: &Node, path: &str) -> Vec<(String, String)> {
        let Some(entries) = self.mapping(node, path) else {
            return Vec::new();
        };
        entries
            .iter()
            .filter_map(|(k, v)| match &v.value {
                Value::Scalar(s) if s.is_null() => Some((k.key_text().to_string(), String::new())),
                _ => self
                    .string(v, &format!("{path}.{}", k.key_text()))
                    .map(|text| (k.key_text().to_string(), text)),
            })
            .collect()
    }

    /// A key that must be there and not empty: a name ([`Self::name`]) when `example` is
    /// given, free text ([`Self::string`]) otherwise.
    pub(super) fn required_string(
        &mut self,
        node: &Node,
        path: &str,
        key: &str,
        fix: &str,
        example: Option<&str>,
    ) -> String {
        let key_path = format!("{path}.{key}");
        let Some(value) = self.required(node, &key_path, key, fix) else {
            return String::new();
        };
        match example {
            Some(example) => self.name(value, &key_path, example),
            None => self.string(value, &key_path),
        }
        .unwrap_or_default()
    }

    /// Like [`Self::required_string`], for a version (which may be written as a number).
    pub(super) fn required_version(
        &mut self,
        node: &Node,
        path: &str,
        key: &str,
        fix: &str,
    ) -> String {
        let key_path = format!("{path}.{key}");
        self.required(node, &key_path, key, fix)
            .and_then(|value| self.version(value, &key_path))
            .unwrap_or_default()
    }

    /// The value of the required `key` of `node` (at `key_path`), or `None` when it is missing,
    /// null or blank, each reported with `fix`.
    pub(super) fn required<'n>(
        &mut self,
        node: &'n Node,
        key_path: &str,
        key: &str,
        fix: &str,
    ) -> Option<&'n Node> {
        match node.get(key) {
            None => {
                self.missing(node, key_path, fix);
                None
            }
            Some(value)
                if value
                    .as_scalar()
                    .is_some_and(|s| s.is_null() || s.text.trim().is_empty()) =>
            {
                self.empty(value, key_path, fix);
                None
            }
            Some(value) => Some(value),
        }
    }

    pub(super) fn empty(&mut self, value: &Node, path: &str, fix: &str) {
        self.report.error(
            path,
            Some(value.position),
            format!("expected a value, found nothing; {fix}"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::load;

    /// One text item written without its `- ` is told how to make it a list, naming the item.
    #[test]
    fn a_string_where_a_list_belongs_is_told_to_make_it_an_item() {
        let (_, messages) = load(
            "language: x\nbuild: make all\nrelease:\n  default_process_types: {web: x}\ninstall:\n- name: a\n  path: |\n    bin\n    sbin\ndependencies: ruby\n",
        );
        assert_eq!(
            messages,
            [
                "m.yml:2:8: error: build: expected a list, found a string; write each item on its own line under the key, starting with `- ` (`- make all`)",
                "m.yml:8:5: error: install[0].path: expected a list, found a string; write each item on its own line under the key, starting with `- ` (`- ITEM`)",
                // A list of mappings: `- ruby` would be no fix, so the fix shows an item's first key.
                "m.yml:10:15: error: dependencies: expected a list, found a string; write each item under the key as `- name: ruby`, its other keys indented under it",
            ]
        );
    }

    /// Keys written under a list's key with no `- ` before them read as one mapping: the fix
    /// names the missing `- `, with an item's first line for a list of mappings. A number
    /// where a list of text belongs gets the plain fix (no item to quote); a name where an
    /// item's keys belong, the item's first line.
    #[test]
    fn a_mapping_or_a_number_where_a_list_belongs_is_told_how_a_list_is_written() {
        let (_, messages) = load(
            "language: x\ndependencies:\n  name: ruby\n  version: 1.0.0\nexclude_files: 5\nurl_to_dependency_map: {a: b}\ninstall:\n- ruby\n",
        );
        assert_eq!(
            messages,
            [
                "m.yml:3:3: error: dependencies: expected a list, found a mapping; write each item under the key as `- name: ruby`, its other keys indented under it (keys with no `- ` before them make one mapping, not a list)",
                "m.yml:5:16: error: exclude_files: expected a list, found an integer; write each item on its own line under the key, starting with `- `",
                "m.yml:6:24: error: url_to_dependency_map: expected a list, found a mapping; write each item under the key as `- match: REGEX`, its other keys indented under it (keys with no `- ` before them make one mapping, not a list)",
                "m.yml:8:3: error: install[0]: expected a mapping of keys, found a string; write the item as `- name: ruby`, its other keys indented under it",
            ]
        );
    }

    /// A mapping that is null is none, without a word; a mapping's null values are empty
    /// text, kept; any other kind where a mapping belongs is an error.
    #[test]
    fn a_null_mapping_is_none_and_a_null_value_is_empty() {
        let (m, messages) = load("language: x\nlaunch_env:\nrelease: x\n");
        assert_eq!(
            messages,
            [
                "m.yml:3:10: error: release: expected a mapping of keys, found a string; write its keys under it, one `key: value` per line, indented"
            ]
        );
        assert_eq!(m.launch_env, []);
        let (m, messages) = load("language: x\nlaunch_env: {A: , B: ~, C: c}\n");
        assert_eq!(messages, Vec::<String>::new());
        assert_eq!(
            m.launch_env,
            [
                ("A".into(), String::new()),
                ("B".into(), String::new()),
                ("C".into(), "c".into())
            ]
        );
    }
}
