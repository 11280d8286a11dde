//! Finding accounts by what a person types: one rule for the app's search box and
//! `ringlet-cli code QUERY`, so both agree.
//!
//! Matching ignores case and accents ("societe" finds "Société", "zurich" finds "Zürich"):
//! texts are compared after [`fold`]. Every word of the query must be found in some field
//! (issuer, name, a tag, the note); a word found at the start of a field's word ranks
//! above one found inside a word, and a field equal to the whole query ranks first.
//! `tag:work` keeps only accounts tagged `work…`.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::model::{Account, AccountId, Entry};

/// How well an account matches, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rank {
    /// A field is the whole query.
    Exact,
    /// Every word of the query starts a word of some field.
    WordPrefix,
    /// Every word of the query is inside some field.
    Inside,
}

/// `text` as matching sees it: compatibility-decomposed (NFKD), accents and other
/// combining marks dropped, lower-cased.
pub fn fold(text: &str) -> String {
    text.nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// What a person typed, folded once: the words to find, and the `tag:` terms an account's
/// tags must start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The words, without the `tag:` terms, as one folded text (for [`Rank::Exact`]).
    whole: String,
    tags: Vec<String>,
}

impl Query {
    /// `tag:work` keeps accounts with a tag that starts with `work`, so the filter narrows
    /// while the tag is typed. Every other word is searched for in the issuer, name, tags
    /// and note.
    pub fn parse(text: &str) -> Query {
        let folded = fold(text);
        let mut words = Vec::new();
        let mut tags = Vec::new();
        for word in folded.split_whitespace() {
            match word.strip_prefix("tag:") {
                Some(tag) if !tag.is_empty() => tags.push(tag.to_owned()),
                // A bare `tag:` is a tag being typed: it narrows nothing yet.
                Some(_) => {}
                None => words.push(word),
            }
        }
        Query {
            whole: words.join(" "),
            tags,
        }
    }

    /// Nothing to look for: every account matches.
    pub fn is_empty(&self) -> bool {
        self.whole.is_empty() && self.tags.is_empty()
    }

    fn words(&self) -> impl Iterator<Item = &str> {
        self.whole.split(' ').filter(|word| !word.is_empty())
    }

    /// How an account with these folded texts matches, or `None`.
    fn rank(&self, texts: &Searchable) -> Option<Rank> {
        let tagged = self.tags.iter().all(|wanted| {
            texts
                .tags
                .iter()
                .any(|tag| tag.starts_with(wanted.as_str()))
        });
        if !tagged {
            return None;
        }
        if self.whole.is_empty() {
            return Some(Rank::Inside);
        }
        let fields = || texts.fields.iter().chain(&texts.tags);
        if fields().any(|field| *field == self.whole) {
            return Some(Rank::Exact);
        }
        self.words().try_fold(Rank::WordPrefix, |worst, word| {
            let best = fields().filter_map(|field| rank_word(word, field)).min()?;
            Some(worst.max(best))
        })
    }
}

/// An account's searchable texts, folded once: issuer, name and note, and its tags.
#[derive(Debug, Clone, Default)]
pub struct Searchable {
    fields: Vec<String>,
    tags: Vec<String>,
}

impl Searchable {
    /// Any texts, as fields (no tags).
    pub fn of_texts(texts: &[&str]) -> Searchable {
        Searchable {
            fields: texts.iter().map(|text| fold(text)).collect(),
            tags: Vec::new(),
        }
    }

    /// What search looks at in an account: the same for the app and the CLI.
    pub fn of_account(account: &Account) -> Searchable {
        Searchable {
            fields: [&account.issuer, &account.name, &account.note]
                .into_iter()
                .filter(|text| !text.is_empty())
                .map(|text| fold(text))
                .collect(),
            tags: account.tags.iter().map(|tag| fold(tag)).collect(),
        }
    }
}

/// How `query` matches an account whose searchable texts are `fields`, or `None`. An
/// empty query matches everything, as [`Rank::Inside`].
pub fn rank(query: &str, fields: &[&str]) -> Option<Rank> {
    Query::parse(query).rank(&Searchable::of_texts(fields))
}

fn rank_word(word: &str, field: &str) -> Option<Rank> {
    let starts_a_word = field
        .split(|c: char| !c.is_alphanumeric())
        .any(|part| part.starts_with(word));
    if starts_a_word {
        Some(Rank::WordPrefix)
    } else if field.contains(word) {
        Some(Rank::Inside)
    } else {
        None
    }
}

/// Accounts folded once for many queries: the app keeps one while the list is unchanged,
/// so a keystroke folds only the query.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex<K> {
    items: Vec<(K, Searchable)>,
}

impl<K: Copy> SearchIndex<K> {
    pub fn new(items: impl IntoIterator<Item = (K, Searchable)>) -> Self {
        SearchIndex {
            items: items.into_iter().collect(),
        }
    }

    /// The accounts that match `query`, each with how well, best first (ties keep their
    /// order).
    pub fn find(&self, query: &str) -> Vec<(K, Rank)> {
        let query = Query::parse(query);
        let mut found: Vec<(K, Rank)> = self
            .items
            .iter()
            .filter_map(|(key, texts)| query.rank(texts).map(|rank| (*key, rank)))
            .collect();
        // A stable sort: ties keep the list's order.
        found.sort_by_key(|(_, rank)| *rank);
        found
    }
}

impl SearchIndex<AccountId> {
    /// The index of `entries`, by account id.
    pub fn of_entries(entries: &[Entry]) -> Self {
        SearchIndex::new(
            entries
                .iter()
                .map(|entry| (entry.id, Searchable::of_account(&entry.account))),
        )
    }
}

/// The places in `entries` that match `query`, each with how well, best first (ties keep
/// their order). For one query; [`SearchIndex`] serves many.
pub fn search_entries(query: &str, entries: &[Entry]) -> Vec<(usize, Rank)> {
    SearchIndex::new(
        entries
            .iter()
            .enumerate()
            .map(|(place, entry)| (place, Searchable::of_account(&entry.account))),
    )
    .find(query)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_accents_do_not_matter() {
        assert_eq!(fold("Société Générale"), "societe generale");
        assert_eq!(
            fold("ＧｉｔＨｕｂ"),
            "github",
            "full-width letters fold too"
        );
        assert_eq!(
            rank("societe", &["Société Générale", ""]),
            Some(Rank::WordPrefix)
        );
        assert_eq!(
            rank("SOCIÉTÉ", &["societe generale"]),
            Some(Rank::WordPrefix)
        );
        assert_eq!(
            rank("zürich", &["Zurich Insurance"]),
            Some(Rank::WordPrefix)
        );
    }

    #[test]
    fn word_starts_rank_above_insides_and_whole_fields_first() {
        assert_eq!(rank("github", &["GitHub", "alice"]), Some(Rank::Exact));
        assert_eq!(rank("hub", &["GitHub", "alice"]), Some(Rank::Inside));
        assert_eq!(
            rank("ali", &["GitHub", "alice@example.com"]),
            Some(Rank::WordPrefix)
        );
        assert_eq!(
            rank("example", &["GitHub", "alice@example.com"]),
            Some(Rank::WordPrefix)
        );
        assert_eq!(rank("bank", &["GitHub", "alice"]), None);
    }

    #[test]
    fn every_word_must_be_found_somewhere() {
        assert_eq!(
            rank("git ali", &["GitHub", "alice"]),
            Some(Rank::WordPrefix)
        );
        assert_eq!(rank("git hub", &["GitHub", "alice"]), Some(Rank::Inside));
        assert_eq!(rank("git bob", &["GitHub", "alice"]), None);
        assert_eq!(rank("   ", &["GitHub"]), Some(Rank::Inside));
    }

    #[test]
    fn search_orders_best_first_and_keeps_ties_in_order() {
        let accounts = [
            ("Dropbox", "hub@x"),
            ("GitHub", "alice"),
            ("Hub", "carol"),
            ("Hubspot", "dave"),
            ("Bank", "eve"),
        ];
        let index = SearchIndex::new(
            accounts
                .iter()
                .enumerate()
                .map(|(place, (issuer, name))| (place, Searchable::of_texts(&[issuer, name]))),
        );
        assert_eq!(
            index.find("hub"),
            [
                (2, Rank::Exact),
                (0, Rank::WordPrefix),
                (3, Rank::WordPrefix),
                (1, Rank::Inside)
            ]
        );
    }

    fn tagged(issuer: &str, tags: &[&str], note: &str) -> Searchable {
        let params = crate::model::OtpParams {
            secret: crate::model::Secret::new(b"12345678901234567890".to_vec()),
            algorithm: crate::model::Algorithm::Sha1,
            digits: 6,
            kind: crate::model::OtpKind::Totp { period: 30 },
        };
        let mut account = Account::new(issuer, "me", params);
        account.tags = tags.iter().map(|tag| tag.to_string()).collect();
        account.note = note.to_owned();
        Searchable::of_account(&account)
    }

    #[test]
    fn tags_and_the_note_are_searched_and_tag_terms_filter() {
        let index = SearchIndex::new([
            (0, tagged("GitHub", &["Work"], "")),
            (1, tagged("Bank", &["home"], "the joint account")),
            (2, tagged("Gitea", &["Wörk", "self-hosted"], "")),
        ]);
        let places =
            |query: &str| -> Vec<usize> { index.find(query).into_iter().map(|(p, _)| p).collect() };
        assert_eq!(places("joint"), [1], "the note is searched");
        assert_eq!(places("home"), [1], "a tag is searched as a word");
        assert_eq!(places("tag:work"), [0, 2], "tag: folds case and accents");
        assert_eq!(
            places("tag:wo"),
            [0, 2],
            "a tag being typed narrows already"
        );
        assert_eq!(
            places("tag:work gitea"),
            [2],
            "words and tag terms both apply"
        );
        assert_eq!(places("tag:work bank"), Vec::<usize>::new());
        assert_eq!(places("tag:self"), [2]);
        assert_eq!(
            places("tag:hosted"),
            Vec::<usize>::new(),
            "a tag term matches a tag's start"
        );
        assert_eq!(places("tag:"), [0, 1, 2], "a bare tag: narrows nothing yet");
        assert_eq!(
            index.find("work")[0],
            (0, Rank::Exact),
            "a tag equal to the query is exact"
        );
    }

    #[test]
    fn an_empty_query_keeps_the_list_in_order() {
        let index = SearchIndex::new([(7, tagged("B", &[], "")), (3, tagged("A", &[], ""))]);
        assert_eq!(index.find("  "), [(7, Rank::Inside), (3, Rank::Inside)]);
        assert!(Query::parse(" \t").is_empty());
        assert!(!Query::parse("tag:x").is_empty());
    }
}
