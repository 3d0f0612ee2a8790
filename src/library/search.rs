//! Finding posts: list pages (status and tag filters, sort orders, offset/limit), FTS5 full-text
//! search that accepts any user input, tag counts and the blog index view.
use rusqlite::params;
use rusqlite::types::ToSql;
use serde::{Deserialize, Serialize};

use super::{summary_from_row, Library, PostSummary, Status, SUMMARY_COLUMNS};
use crate::error::Result;

/// Characters of a search query that are read; the rest is ignored.
const MAX_QUERY_CHARS: usize = 1000;
/// SQL parameter names of the phrases checked for word order (more phrases only need all words).
const PHRASE_PARAMS: [&str; 4] = [":phrase0", ":phrase1", ":phrase2", ":phrase3"];
/// Words and phrases of a search query that are used; the rest are ignored.
const MAX_QUERY_TERMS: usize = 32;

/// How a list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Best match first for a text query (all words in the title, then in the tags, then in the
    /// summary, then anywhere; newest first among equals); without one, the same as `ModifiedDesc`.
    #[default]
    Relevance,
    /// Newest front matter date first; posts without a valid date last.
    DateDesc,
    /// Oldest front matter date first; posts without a valid date last.
    DateAsc,
    /// Most recently changed first.
    ModifiedDesc,
    /// Least recently changed first.
    ModifiedAsc,
    /// Title A→Z (case-insensitive).
    TitleAsc,
    /// Title Z→A (case-insensitive).
    TitleDesc,
}

impl Sort {
    fn order_by(self) -> &'static str {
        match self {
            Sort::Relevance | Sort::ModifiedDesc => "p.modified_at DESC, p.id DESC",
            Sort::ModifiedAsc => "p.modified_at ASC, p.id ASC",
            Sort::DateDesc => "p.date_key DESC, p.id DESC",
            Sort::DateAsc => "p.date_key = '' ASC, p.date_key ASC, p.id ASC",
            Sort::TitleAsc => "p.title COLLATE NOCASE ASC, p.id ASC",
            Sort::TitleDesc => "p.title COLLATE NOCASE DESC, p.id DESC",
        }
    }
}

/// Which posts a list shows and in what order. `ListQuery::default()` is every post not in the
/// trash, most recently changed first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default)]
pub struct ListQuery {
    /// Only posts with this status.
    pub status: Option<Status>,
    /// Only posts with this tag (exact).
    pub tag: Option<String>,
    /// Full-text search over title, summary, body and tags. Any input is accepted (see
    /// [`fts_query`]); blank means no text filter.
    pub text: Option<String>,
    /// Order.
    pub sort: Sort,
    /// Rows to skip.
    pub offset: u32,
    /// Rows to return at most; `None` for all.
    pub limit: Option<u32>,
}

/// One post on the blog index page, as the site will show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct IndexEntry {
    /// Library id (one click opens the draft).
    pub id: i64,
    /// Title.
    pub title: String,
    /// Category label ("Blog").
    pub category: String,
    /// The summary paragraph (front matter summary, else the first paragraph), plain text.
    pub summary: String,
    /// `YYYY-MM-DD`; "" when the post has no valid date.
    pub date: String,
    /// The date as written in the front matter (to point at an invalid one).
    pub written_date: String,
    /// Where `date` was inferred from when the post has no date key (shown as inferred).
    pub date_inferred: Option<String>,
    /// Minutes to read under Galley's own profile.
    pub reading_minutes: i64,
    /// Minutes to read under every profile, by name.
    pub minutes_by_profile: std::collections::BTreeMap<String, i64>,
    /// "N min read".
    pub reading_time: String,
    /// Publishing state.
    pub status: Status,
    /// The status as stored when Galley does not know it (shown as "unknown status").
    pub unknown_status: Option<String>,
    /// The file it was imported from, shown when it has no title.
    pub file_name: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
}

impl From<PostSummary> for IndexEntry {
    fn from(post: PostSummary) -> Self {
        IndexEntry {
            id: post.id,
            title: post.title,
            category: post.category,
            summary: post.excerpt,
            date: post.day,
            written_date: post.date,
            date_inferred: post.date_inferred,
            reading_minutes: post.reading_minutes,
            reading_time: format!("{} min read", post.reading_minutes.max(1)),
            minutes_by_profile: post.minutes_by_profile,
            status: post.status,
            unknown_status: post.unknown_status,
            file_name: post.file_name,
            tags: post.tags,
        }
    }
}

/// A tag and how many posts (not in the trash) carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct TagCount {
    /// The tag.
    pub tag: String,
    /// Posts with it.
    pub posts: i64,
}

/// One thing the user asked for: a word (prefix-matched) or a quoted phrase, maybe in one column.
struct QueryTerm {
    column: Option<&'static str>,
    words: Vec<String>,
    prefix: bool,
    /// Written in double quotes: its words must stand next to each other, in order.
    phrase: bool,
}

/// Reads user input as terms. Text between a pair of double quotes is a phrase; every other
/// whitespace-separated word is a term of its own, matched as a prefix unless it is one
/// character; `title:word` (also `summary:`, `body:`, `tags:`, `tag:`) limits a word to a column.
/// Control characters are spaces; only the first 1000 characters and 32 terms are read.
fn parse_query(input: &str) -> Vec<QueryTerm> {
    let cleaned: String = input.chars().take(MAX_QUERY_CHARS).map(|c| if c.is_control() { ' ' } else { c }).collect();
    let mut terms = Vec::new();
    let words = |text: &str, terms: &mut Vec<QueryTerm>| {
        for word in text.split_whitespace() {
            let (column, word) = column_filter(word);
            let prefix = word.chars().count() > 1;
            terms.push(QueryTerm { column, words: vec![word.to_string()], prefix, phrase: false });
        }
    };
    let mut rest = cleaned.as_str();
    while let Some(open) = rest.find('"') {
        words(&rest[..open], &mut terms);
        let after = &rest[open + 1..];
        match after.find('"') {
            Some(close) => {
                let phrase = after[..close].split_whitespace().map(str::to_string).collect();
                terms.push(QueryTerm { column: None, words: phrase, prefix: false, phrase: true });
                rest = &after[close + 1..];
            }
            None => rest = after,
        }
    }
    words(rest, &mut terms);
    terms.retain(|term| term.words.iter().any(|word| word.chars().any(char::is_alphanumeric)));
    terms.truncate(MAX_QUERY_TERMS);
    terms
}

/// Writes terms as an FTS5 query from the tokens of each word: every token is a quoted string,
/// the last token of a prefix term ends with `*`, all must match. "" when no token is left.
fn render_query(terms: &[QueryTerm], mut tokens: impl FnMut(&str) -> Vec<String>) -> String {
    let tokens: Vec<Vec<String>> = terms.iter().map(|term| term.words.iter().flat_map(|word| tokens(word)).collect()).collect();
    render_tokens(terms, &tokens, None)
}

/// [`render_query`] from tokens already split (one list per term); with `column`, every term
/// without its own column filter is searched in that column only.
fn render_tokens(terms: &[QueryTerm], tokens: &[Vec<String>], column: Option<&str>) -> String {
    let mut parts = Vec::new();
    for (term, term_tokens) in terms.iter().zip(tokens) {
        let last = term_tokens.len().saturating_sub(1);
        for (index, token) in term_tokens.iter().enumerate() {
            let mut part = String::new();
            if let Some(column) = term.column.or(column) {
                part.push_str(column);
                part.push_str(" : ");
            }
            part.push('"');
            part.push_str(&token.replace('"', "\"\""));
            part.push('"');
            if term.prefix && index == last {
                part.push('*');
            }
            parts.push(part);
        }
    }
    parts.join(" ")
}

/// Splits a word the way the index's tokenizer does for letters and digits (the library itself
/// asks SQLite's tokenizer, which also knows where combining marks split words).
fn approximate_tokens(word: &str) -> Vec<String> {
    word.split(|c: char| !c.is_alphanumeric()).filter(|token| !token.is_empty()).map(str::to_lowercase).collect()
}

/// Turns arbitrary user input into a safe FTS5 query; "" when nothing searchable is left.
///
/// Text between a pair of double quotes is a phrase (here: its words must all match; the library
/// also checks their order in the post's text); every other whitespace-separated word is matched as a prefix (words of one
/// character exactly); all terms must match. A word may name a column: `title:`, `summary:`,
/// `body:`, `tags:` (or `tag:`). Other operators (`AND`, `OR`, `NOT`, `NEAR`), parentheses, `*`,
/// `^` and dashes are plain text; every token is a quoted single word, so nothing the user types
/// is FTS5 syntax. Control characters (NUL) are spaces; only the first 1000 characters and 32
/// terms are used. This function splits words on anything not a letter or digit; the library
/// splits them with SQLite's own tokenizer.
pub fn fts_query(input: &str) -> String {
    render_query(&parse_query(input), approximate_tokens)
}

/// Splits `title:word` (also `summary:`, `body:`, `tags:`, `tag:`) into the column and the word.
fn column_filter(word: &str) -> (Option<&'static str>, &str) {
    if let Some((name, rest)) = word.split_once(':') {
        let column = match name.to_ascii_lowercase().as_str() {
            "title" => Some("title"),
            "summary" => Some("summary"),
            "body" => Some("body"),
            "tags" | "tag" => Some("tags"),
            _ => None,
        };
        if let Some(column) = column.filter(|_| rest.chars().any(char::is_alphanumeric)) {
            return (Some(column), rest);
        }
    }
    (None, word)
}

/// True for the errors FTS5 gives about a query it cannot parse: such a query finds nothing.
fn is_query_error(error: &rusqlite::Error) -> bool {
    matches!(error, rusqlite::Error::SqliteFailure(_, Some(message)) if message.starts_with("fts5:"))
}

/// The SQL of a list query and its named parameters.
struct Built {
    sql: String,
    params: Vec<(&'static str, Box<dyn ToSql>)>,
}

impl Built {
    fn params(&self) -> Vec<(&str, &dyn ToSql)> {
        self.params.iter().map(|(name, value)| (*name, value.as_ref())).collect()
    }
}

/// What a query searches for: nothing (no text filter), an FTS5 query, or nothing can match.
enum TextFilter {
    None,
    Match(MatchQuery),
    Nothing,
}

/// A query for the full-text index, whole and limited to the columns that rank a match higher,
/// plus the phrases whose word order the index cannot check (it keeps no positions).
struct MatchQuery {
    all: String,
    title: String,
    tags: String,
    summary: String,
    /// Each quoted phrase of two or more tokens, as [`phrase_tokens_param`] joins them.
    phrases: Vec<String>,
}

/// The SQL function checking a phrase in a post's text (registered on every connection).
pub(crate) const PHRASE_FUNCTION: &str = "galley_has_phrase";
/// Separates the tokens of a phrase in the function's first argument.
const TOKEN_SEPARATOR: char = '\u{1f}';

/// A phrase's tokens as the first argument of [`PHRASE_FUNCTION`].
fn phrase_tokens_param(tokens: &[String]) -> String {
    tokens.join(&TOKEN_SEPARATOR.to_string())
}

/// Calls `each` with the tokens of `text` as the index's tokenizer makes them (unicode61 with
/// remove_diacritics 2: letters and digits, lowercased, combining marks dropped; anything else
/// separates), until it returns true. Returns whether it did. ASCII, most of a technical post,
/// takes a short path.
fn any_token(text: &str, mut each: impl FnMut(&str) -> bool) -> bool {
    use unicode_normalization::char::{decompose_canonical, is_combining_mark};
    let mut token = String::new();
    for c in text.chars() {
        let mut separator = false;
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                token.push(c.to_ascii_lowercase());
            } else {
                separator = true;
            }
        } else {
            decompose_canonical(c, |part| {
                if is_combining_mark(part) {
                    return;
                }
                if part.is_alphanumeric() {
                    token.extend(part.to_lowercase());
                } else {
                    separator = true;
                }
            });
        }
        if separator && !token.is_empty() {
            if each(&token) {
                return true;
            }
            token.clear();
        }
    }
    !token.is_empty() && each(&token)
}

/// True when the tokens of `phrase` (joined with [`TOKEN_SEPARATOR`]) stand next to each other,
/// in order, in one of `texts`.
pub(crate) fn has_phrase(phrase: &str, texts: &[&str]) -> bool {
    let wanted: Vec<&str> = phrase.split(TOKEN_SEPARATOR).filter(|token| !token.is_empty()).collect();
    if wanted.is_empty() {
        return true;
    }
    texts.iter().any(|text| {
        if wanted.iter().all(|token| token.is_ascii()) {
            if ascii_phrase_at_first_token(text, &wanted) {
                return true;
            }
            // Without other characters, no folding can make the words match elsewhere.
            if text.is_ascii() {
                return false;
            }
        }
        phrase_in_tokens(text, &wanted)
    })
}

/// The short path: jump (memchr) to each place the first token's first letter could start it,
/// and read tokens from there only. Finds every match in text made of ASCII around the phrase.
fn ascii_phrase_at_first_token(text: &str, wanted: &[&str]) -> bool {
    let bytes = text.as_bytes();
    let first = wanted[0].as_bytes()[0];
    for start in memchr::memchr2_iter(first.to_ascii_lowercase(), first.to_ascii_uppercase(), bytes) {
        // A token starts here only after a separator (a combining mark continues a token).
        let starts_token = text[..start]
            .chars()
            .next_back()
            .is_none_or(|before| !before.is_alphanumeric() && !unicode_normalization::char::is_combining_mark(before));
        if !starts_token {
            continue;
        }
        let mut matched = 0;
        let mut mismatch = false;
        any_token(&text[start..], |token| {
            if token != wanted[matched] {
                mismatch = true;
                return true;
            }
            matched += 1;
            matched == wanted.len()
        });
        if !mismatch && matched == wanted.len() {
            return true;
        }
    }
    false
}

/// The full path: every token of the text, tracking the partial matches in progress.
fn phrase_in_tokens(text: &str, wanted: &[&str]) -> bool {
    // How many of the wanted tokens each partial match has seen (at most one per length).
    let mut partial: Vec<usize> = Vec::with_capacity(wanted.len());
    let mut next: Vec<usize> = Vec::with_capacity(wanted.len());
    any_token(text, |token| {
        next.clear();
        for &seen in partial.iter().chain(std::iter::once(&0)) {
            if wanted[seen] == token {
                if seen + 1 == wanted.len() {
                    return true;
                }
                next.push(seen + 1);
            }
        }
        std::mem::swap(&mut partial, &mut next);
        false
    })
}

/// Builds the SQL for a page (`count == false`) or the number of matching posts.
fn build(query: &ListQuery, fts: Option<MatchQuery>, count: bool) -> Built {
    let mut params: Vec<(&'static str, Box<dyn ToSql>)> = Vec::new();
    let mut filters = String::new();
    if let Some(status) = query.status {
        params.push((":status", Box::new(status.as_str())));
    }
    if let Some(tag) = &query.tag {
        params.push((":tag", Box::new(tag.clone())));
    }
    let has_fts = fts.is_some();
    let relevance = has_fts && query.sort == Sort::Relevance && !count;
    // Each phrase, checked on the text of the posts the index matched (`post` is their alias).
    let mut phrase_filters = String::new();
    if let Some(fts) = &fts {
        for (index, phrase) in fts.phrases.iter().enumerate() {
            let name: &'static str = PHRASE_PARAMS[index];
            params.push((name, Box::new(phrase.clone())));
            phrase_filters.push_str(&format!(" AND {PHRASE_FUNCTION}({name}, post.title, post.summary, post.body, post.tags_json)"));
        }
    }
    if let Some(fts) = fts {
        params.push((":fts", Box::new(fts.all)));
        if relevance {
            params.push((":fts_title", Box::new(fts.title)));
            params.push((":fts_tags", Box::new(fts.tags)));
            params.push((":fts_summary", Box::new(fts.summary)));
        }
    }
    let page = |params: &mut Vec<(&'static str, Box<dyn ToSql>)>| {
        params.push((":limit", Box::new(query.limit.map_or(-1, i64::from))));
        params.push((":offset", Box::new(i64::from(query.offset))));
        "LIMIT :limit OFFSET :offset"
    };
    if relevance {
        // Rank inside the full-text index, cut the page there, then read only its rows. The
        // index keeps no word positions (fast, small), so relevance is where the words are: all
        // in the title, then in the tags, then in the summary, then anywhere; newest first within.
        if query.status.is_some() {
            filters.push_str(" AND rowid IN (SELECT id FROM posts WHERE status = :status AND deleted_at IS NULL)");
        }
        if query.tag.is_some() {
            filters.push_str(" AND rowid IN (SELECT post_id FROM tags WHERE tag = :tag)");
        }
        if !phrase_filters.is_empty() {
            filters.push_str(&format!(" AND EXISTS (SELECT 1 FROM posts post WHERE post.id = posts_fts.rowid{phrase_filters})"));
        }
        let limit = page(&mut params);
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM \
             (SELECT rowid AS id, \
                (rowid IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH :fts_title)) * 4 \
              + (rowid IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH :fts_tags)) * 2 \
              + (rowid IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH :fts_summary)) AS score \
              FROM posts_fts WHERE posts_fts MATCH :fts{filters} ORDER BY score DESC, rowid DESC {limit}) m \
             JOIN posts p ON p.id = m.id WHERE p.deleted_at IS NULL ORDER BY m.score DESC, m.id DESC"
        );
        return Built { sql, params };
    }
    // The filters are checked while a partial index of the posts not in the trash is read in
    // order (`+` keeps SQLite from driving the query by them): a page then stops after `limit`
    // rows and never reads a post row it does not return (its body comes before the other columns).
    if query.status.is_some() {
        filters.push_str(" AND +p.status = :status");
    }
    if query.tag.is_some() {
        filters.push_str(" AND +p.id IN (SELECT post_id FROM tags WHERE tag = :tag)");
    }
    if has_fts {
        filters.push_str(" AND +p.id IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH :fts)");
    }
    if !phrase_filters.is_empty() {
        filters.push_str(&format!(" AND EXISTS (SELECT 1 FROM posts post WHERE post.id = p.id{phrase_filters})"));
    }
    let sql = if count {
        format!("SELECT count(*) FROM posts p WHERE p.deleted_at IS NULL{filters}")
    } else {
        let limit = page(&mut params);
        format!("SELECT {SUMMARY_COLUMNS} FROM posts p WHERE p.deleted_at IS NULL{filters} ORDER BY {} {limit}", query.sort.order_by())
    };
    Built { sql, params }
}

impl Library {
    /// Splits words into index tokens with SQLite's own tokenizer (the one of `posts_fts`), through
    /// an in-memory FTS5 table and its `instance` vocabulary. One list of tokens per word.
    fn tokenize(&self, words: &[&str]) -> rusqlite::Result<Vec<Vec<String>>> {
        self.connection.execute_batch(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.galley_query USING fts5 (word, tokenize = 'unicode61 remove_diacritics 2'); \
             CREATE VIRTUAL TABLE IF NOT EXISTS temp.galley_query_tokens USING fts5vocab (temp, galley_query, instance); \
             DELETE FROM temp.galley_query;",
        )?;
        let mut insert = self.connection.prepare_cached("INSERT INTO temp.galley_query (rowid, word) VALUES (?1, ?2)")?;
        for (index, word) in words.iter().enumerate() {
            insert.execute(params![index as i64, word])?;
        }
        let mut tokens = vec![Vec::new(); words.len()];
        let mut select = self.connection.prepare_cached("SELECT doc, term FROM temp.galley_query_tokens ORDER BY doc, offset")?;
        let rows = select.query_map([], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)))?;
        for row in rows {
            let (doc, term) = row?;
            if let Some(list) = usize::try_from(doc).ok().and_then(|doc| tokens.get_mut(doc)) {
                list.push(term);
            }
        }
        self.connection.execute("DELETE FROM temp.galley_query", [])?;
        Ok(tokens)
    }

    /// The FTS5 queries for user input, tokenized exactly as the index is: the whole query and
    /// the same query limited to the title, the tags and the summary (for ranking).
    fn match_query(&self, input: &str) -> rusqlite::Result<MatchQuery> {
        let terms = parse_query(input);
        let words: Vec<&str> = terms.iter().flat_map(|term| term.words.iter().map(String::as_str)).collect();
        let mut word_tokens = self.tokenize(&words)?.into_iter();
        let tokens: Vec<Vec<String>> =
            terms.iter().map(|term| term.words.iter().flat_map(|_| word_tokens.next().unwrap_or_default()).collect()).collect();
        let phrases = terms
            .iter()
            .zip(&tokens)
            .filter(|(term, tokens)| term.phrase && tokens.len() > 1)
            .map(|(_, tokens)| phrase_tokens_param(tokens))
            .take(PHRASE_PARAMS.len())
            .collect();
        Ok(MatchQuery {
            all: render_tokens(&terms, &tokens, None),
            title: render_tokens(&terms, &tokens, Some("title")),
            tags: render_tokens(&terms, &tokens, Some("tags")),
            summary: render_tokens(&terms, &tokens, Some("summary")),
            phrases,
        })
    }

    fn text_filter(&self, query: &ListQuery) -> Result<TextFilter> {
        Ok(match query.text.as_deref().map(str::trim) {
            None | Some("") => TextFilter::None,
            Some(text) => match self.match_query(text).map_err(self.err())? {
                fts if fts.all.is_empty() => TextFilter::Nothing,
                fts => TextFilter::Match(fts),
            },
        })
    }

    /// One page of the library (posts not in the trash): filtered by status, tag and text,
    /// sorted, cut by offset and limit. A text query never fails: input FTS5 cannot use finds
    /// nothing.
    pub fn list_page(&self, query: &ListQuery) -> Result<Vec<PostSummary>> {
        let fts = match self.text_filter(query)? {
            TextFilter::Nothing => return Ok(Vec::new()),
            TextFilter::None => None,
            TextFilter::Match(fts) => Some(fts),
        };
        let built = build(query, fts, false);
        let mut statement = self.connection.prepare_cached(&built.sql).map_err(self.err())?;
        let rows =
            statement.query_map(built.params().as_slice(), summary_from_row).and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>());
        match rows {
            Err(error) if is_query_error(&error) => Ok(Vec::new()),
            rows => rows.map_err(self.err()),
        }
    }

    /// How many posts `query` matches in all (offset and limit ignored), for a virtualized list.
    pub fn count(&self, query: &ListQuery) -> Result<u64> {
        let fts = match self.text_filter(query)? {
            TextFilter::Nothing => return Ok(0),
            TextFilter::None => None,
            TextFilter::Match(fts) => Some(fts),
        };
        let built = build(query, fts, true);
        let counted = self
            .connection
            .prepare_cached(&built.sql)
            .and_then(|mut statement| statement.query_row(built.params().as_slice(), |row| row.get::<_, i64>(0)));
        match counted {
            Err(error) if is_query_error(&error) => Ok(0),
            counted => counted.map(|n| n.max(0) as u64).map_err(self.err()),
        }
    }

    /// Lists posts (not in the trash), newest modification first, optionally by status.
    pub fn list(&self, status: Option<Status>) -> Result<Vec<PostSummary>> {
        self.list_page(&ListQuery { status, sort: Sort::ModifiedDesc, ..ListQuery::default() })
    }

    /// Full-text search over title, summary, body and tags, best match first. Any query is safe
    /// (see [`fts_query`]): odd input gives results or nothing, never an error.
    pub fn search(&self, query: &str) -> Result<Vec<PostSummary>> {
        if query.trim().is_empty() {
            return Ok(Vec::new());
        }
        self.list_page(&ListQuery { text: Some(query.to_string()), ..ListQuery::default() })
    }

    /// The blog index view: the posts `query` selects (status, tag, text, offset, limit; its sort
    /// is ignored) as the site's index page shows them, newest date first, undated posts last.
    pub fn index_entries(&self, query: &ListQuery) -> Result<Vec<IndexEntry>> {
        let query = ListQuery { sort: Sort::DateDesc, ..query.clone() };
        Ok(self.list_page(&query)?.into_iter().map(IndexEntry::from).collect())
    }

    /// Every tag of the posts not in the trash with its number of posts, most used first.
    pub fn tags(&self) -> Result<Vec<TagCount>> {
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT t.tag, count(*) AS n FROM tags t JOIN posts p ON p.id = t.post_id \
                 WHERE p.deleted_at IS NULL GROUP BY t.tag ORDER BY n DESC, t.tag",
            )
            .map_err(self.err())?;
        let rows = statement.query_map(params![], |row| Ok(TagCount { tag: row.get(0)?, posts: row.get(1)? })).map_err(self.err())?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(self.err())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn phrases_match_consecutive_tokens_in_one_text() {
        let phrase = |words: &[&str]| phrase_tokens_param(&words.iter().map(|w| w.to_string()).collect::<Vec<_>>());
        assert!(has_phrase(&phrase(&["error", "handling"]), &["Good error-handling, please."]));
        assert!(has_phrase(&phrase(&["error", "handling"]), &["", "ERROR  Handling"]));
        assert!(!has_phrase(&phrase(&["error", "handling"]), &["handling error"]));
        assert!(!has_phrase(&phrase(&["error", "handling"]), &["error", "handling"]), "not across texts");
        assert!(has_phrase(&phrase(&["cafe", "creme"]), &["Un café crème."]), "diacritics folded");
        assert!(has_phrase(&phrase(&["cafe", "creme"]), &["Un cafe\u{301} cre\u{300}me."]), "decomposed too");
        assert!(has_phrase(&phrase(&["a", "a", "b"]), &["a a a b"]), "a repeated first word");
        assert!(!has_phrase(&phrase(&["snake", "case"]), &["snake_cases"]));
        assert!(has_phrase(&phrase(&["snake", "case"]), &["snake_case"]), "underscore separates, as in unicode61");
        assert!(has_phrase(&phrase(&[]), &["anything"]));
        assert!(has_phrase(&phrase(&["the", "scheduler"]), &["Another scheduler — the Scheduler."]), "later occurrence");
        assert!(!has_phrase(&phrase(&["the", "scheduler"]), &["bathe scheduler"]), "inside a word");
        assert!(!has_phrase(&phrase(&["cafe", "x"]), &["cafe\u{301}x"]), "a combining mark joins the token");
    }

    #[test]
    fn the_short_path_agrees_with_reading_every_token() {
        let texts = [
            "Go's scheduler: the run queue, the goroutine scheduler — and GOROUTINE  Scheduler!",
            "goroutine_scheduler goroutinescheduler go routine scheduler",
            "Ünïcödé goroutine\u{2014}scheduler and café crème, naïve",
            "ggoroutine scheduler xgoroutine scheduler goroutine",
        ];
        let phrases: [&[&str]; 6] = [
            &["goroutine", "scheduler"],
            &["the", "goroutine"],
            &["scheduler", "and"],
            &["go", "routine", "scheduler"],
            &["run", "queue", "the"],
            &["goroutine", "scheduler", "goroutine"],
        ];
        for text in texts {
            for wanted in phrases {
                let slow = phrase_in_tokens(text, wanted);
                assert_eq!(
                    has_phrase(&phrase_tokens_param(&wanted.iter().map(|w| w.to_string()).collect::<Vec<_>>()), &[text]),
                    slow,
                    "{wanted:?} in {text:?}"
                );
            }
        }
    }

    use super::*;

    #[test]
    fn fts_query_quotes_everything() {
        assert_eq!(fts_query("title: \"go (x"), "\"title\"* \"go\"* \"x\"*");
        assert_eq!(fts_query("Title:go:x tag:c author:x"), "title : \"go\" title : \"x\"* tags : \"c\" \"author\" \"x\"*");
        assert_eq!(fts_query("  - ( "), "");
        assert_eq!(fts_query("\"exact phrase\" a"), "\"exact\" \"phrase\" \"a\"");
        assert_eq!(fts_query("NEAR(a b) OR c*"), "\"near\" \"a\"* \"b\"* \"or\"* \"c\"*");
        assert_eq!(fts_query("nul\0byte x86-64"), "\"nul\"* \"byte\"* \"x86\" \"64\"*");
        assert_eq!(fts_query(&"word ".repeat(1000)).matches("word").count(), MAX_QUERY_TERMS);
    }

    #[test]
    fn odd_queries_are_valid_fts5_without_the_safety_net() {
        let dir = tempfile::tempdir().unwrap();
        let (mut library, _) = Library::open(&dir.path().join("l.sqlite3")).unwrap();
        library.create_post("---\ntitle: Go\n---\nbody text 日本語 किताब\n", Status::Draft).unwrap();
        assert_eq!(library.match_query("Café x86-64 \"a b\"").unwrap().all, "\"cafe\"* \"x86\" \"64\"* \"a\" \"b\"");
        assert_eq!(library.search("किताब").unwrap().len(), 1);
        assert_eq!(library.search("title:go").unwrap().len(), 1);
        let odd = [
            "\"",
            "-x",
            "title:",
            "title:x",
            "tags:",
            "NEAR(a b)",
            "a AND",
            "OR",
            "NOT b",
            "(",
            "x)",
            "*",
            "^x",
            "\0",
            "\u{1F980}",
            "日本語",
            "\u{0301}",
            "\u{0915}\u{093F}",
            "\u{093F}",
            "\u{0915}\u{093F}\u{0924}\u{093E}\u{092C}",
            "title:\u{0915}\u{093F}\u{0924}\u{093E}\u{092C}",
            "\u{00B2}",
            "a\u{0301}",
            "\u{2160}",
            "\u{FF10}",
            "\u{E000}",
            "_",
            "a_b",
            "\"\u{0301}\"",
            "\"*\"",
            "x:y:",
            ":x",
            "body::x",
            "\u{FFFD}",
        ];
        for query in odd {
            let fts = library.match_query(query).unwrap().title;
            if fts.is_empty() {
                continue;
            }
            let result: rusqlite::Result<i64> =
                library.connection.query_row("SELECT count(*) FROM posts_fts WHERE posts_fts MATCH ?1", params![fts], |row| row.get(0));
            assert!(result.is_ok(), "{query:?} -> {fts:?}: {result:?}");
        }
    }
}
