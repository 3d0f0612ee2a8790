//! Commands for the library beyond one post: pages of the (virtualized) list with filters and
//! sorting, tags, the blog index view, revisions (list, diff, restore) and the trash.
use galley::library::{IndexEntry, ListQuery, Post, PostSummary, RevisionDiff, RevisionSummary, TagCount};
use serde::Serialize;
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

/// One page of the list and how many posts match in all.
#[derive(Serialize)]
pub struct ListPage {
    total: u64,
    offset: u32,
    posts: Vec<PostSummary>,
}

/// Longest page the list asks for at once.
const MAX_PAGE: u32 = 500;

/// A page of the library for the virtualized list (filter by status, tag, text; sort).
#[tauri::command]
pub async fn list_page(state: State<'_, AppState>, query: ListQuery) -> Result<ListPage, CommandError> {
    let query = ListQuery { limit: Some(query.limit.unwrap_or(MAX_PAGE).min(MAX_PAGE)), ..query };
    let library = state.library()?;
    Ok(ListPage { total: library.count(&query)?, offset: query.offset, posts: library.list_page(&query)? })
}

/// Every tag with its number of posts, for the tag filter.
#[tauri::command]
pub async fn list_tags(state: State<'_, AppState>) -> Result<Vec<TagCount>, CommandError> {
    Ok(state.library()?.tags()?)
}

/// The library as the blog's index page shows it: newest first.
#[tauri::command]
pub async fn index_entries(state: State<'_, AppState>, query: ListQuery) -> Result<Vec<IndexEntry>, CommandError> {
    let query = ListQuery { limit: Some(query.limit.unwrap_or(MAX_PAGE).min(MAX_PAGE)), ..query };
    Ok(state.library()?.index_entries(&query)?)
}

/// A post's save points, newest first.
#[tauri::command]
pub async fn list_revisions(state: State<'_, AppState>, id: i64) -> Result<Vec<RevisionSummary>, CommandError> {
    Ok(state.library()?.revisions(id)?)
}

/// What changed between a revision and the post's current text.
#[tauri::command]
pub async fn revision_diff(state: State<'_, AppState>, revision_id: i64) -> Result<RevisionDiff, CommandError> {
    Ok(state.library()?.diff_revision(revision_id)?)
}

/// Makes a revision the current text (itself recorded as a new revision; nothing is lost).
#[tauri::command]
pub async fn restore_revision(state: State<'_, AppState>, revision_id: i64) -> Result<Post, CommandError> {
    Ok(state.library()?.restore_revision(revision_id)?)
}

/// Moves a post to the trash.
#[tauri::command]
pub async fn trash_post(state: State<'_, AppState>, id: i64) -> Result<(), CommandError> {
    Ok(state.library()?.trash_post(id)?)
}

/// The posts in the trash.
#[tauri::command]
pub async fn list_trash(state: State<'_, AppState>) -> Result<Vec<PostSummary>, CommandError> {
    Ok(state.library()?.trashed()?)
}

/// Takes a post out of the trash.
#[tauri::command]
pub async fn restore_post(state: State<'_, AppState>, id: i64) -> Result<PostSummary, CommandError> {
    Ok(state.library()?.restore_post(id)?)
}

/// Deletes every post in the trash for good (the page asks first). Returns how many.
#[tauri::command]
pub async fn empty_trash(state: State<'_, AppState>) -> Result<usize, CommandError> {
    Ok(state.library()?.empty_trash()?)
}
