//! Finding accounts by what a person types: one rule for the app's search box and
//! `ringlet-cli code QUERY`, so both agree.
//!
//! Matching ignores case and accents ("societe" finds "Société", "zurich" finds "Zürich"):
//! texts are compared after [`fold`]. Every word of the query must be found
//! in some field; a word found at the start of a field's word ranks above one found
//! inside a word, and a field equal to the whole query ranks first.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

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

/// How `query` matches an account whose searchable texts are `fields` (issuer, name, and
/// later tags and note), or `None`. An empty query matches everything, as [`Rank::Inside`].
pub fn rank(query: &str, fields: &[&str]) -> Option<Rank> {
    let query = fold(query.trim());
    if query.is_empty() {
        return Some(Rank::Inside);
    }
    let fields: Vec<String> = fields.iter().map(|field| fold(field)).collect();
    if fields.contains(&query) {
        return Some(Rank::Exact);
    }
    query
        .split_whitespace()
        .try_fold(Rank::WordPrefix, |worst, word| {
            let best = fields
                .iter()
                .filter_map(|field| rank_word(word, field))
                .min()?;
            Some(worst.max(best))
        })
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

/// The places in `items` that match `query`, each with how well, best first (ties keep
/// their order).
pub fn search<T>(query: &str, items: &[T], fields: impl Fn(&T) -> Vec<&str>) -> Vec<(usize, Rank)> {
    let mut found: Vec<(usize, Rank)> = items
        .iter()
        .enumerate()
        .filter_map(|(place, item)| rank(query, &fields(item)).map(|rank| (place, rank)))
        .collect();
    found.sort_by_key(|(_, rank)| *rank);
    found
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
        let found = search("hub", &accounts, |(issuer, name)| vec![issuer, name]);
        assert_eq!(
            found,
            [
                (2, Rank::Exact),
                (0, Rank::WordPrefix),
                (3, Rank::WordPrefix),
                (1, Rank::Inside)
            ]
        );
    }
}
