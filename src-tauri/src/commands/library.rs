//! Commands for the library as a whole: pages of the (virtualized) list with filters and sorting,
//! tags, the blog index view, the trash, and where the library lives.
use galley::library::{IndexEntry, ListQuery, PostSummary, TagCount};
use serde::Serialize;
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

/// One page of the list and how many posts match in all.
#[derive(Serialize, ts_rs::TS)]
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

/// Where the library lives, for the status bar.
#[derive(Serialize, ts_rs::TS)]
pub struct LibraryInfo {
    path: String,
}

/// Describes the open library.
#[tauri::command]
pub async fn library_info(state: State<'_, AppState>) -> Result<LibraryInfo, CommandError> {
    Ok(LibraryInfo { path: state.library()?.path().display().to_string() })
}
