//! The helper pool of batch writes: counting post bodies (a Markdown parse each) on helper threads
//! while the calling thread writes rows.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use crate::stats;

/// Batches smaller than this are counted on the calling thread only.
const COUNT_ON_THREADS_MIN: usize = 32;

/// Runs `work` on this thread while helper threads (one per other core) count `bodies`; then
/// this thread helps count what is left. Returns `work`'s value and the stats of each body, in
/// order. When `work` fails, the counting stops and its error is returned.
pub(super) fn count_alongside<T, E>(
    bodies: &[&str],
    work: impl FnOnce() -> std::result::Result<T, E>,
) -> std::result::Result<(T, Vec<stats::Stats>), E> {
    const CHUNK: usize = 8;
    let helpers =
        if bodies.len() < COUNT_ON_THREADS_MIN { 0 } else { std::thread::available_parallelism().map_or(1, |n| n.get()).saturating_sub(1) };
    let slots: Vec<OnceLock<stats::Stats>> = bodies.iter().map(|_| OnceLock::new()).collect();
    let next = AtomicUsize::new(0);
    let count = || loop {
        let start = next.fetch_add(CHUNK, Ordering::Relaxed);
        if start >= bodies.len() {
            break;
        }
        for (slot, body) in slots[start..].iter().zip(&bodies[start..]).take(CHUNK) {
            slot.get_or_init(|| stats::stats(body));
        }
    };
    let value = std::thread::scope(|scope| {
        for _ in 0..helpers {
            scope.spawn(count);
        }
        let value = work();
        if value.is_err() {
            next.store(bodies.len(), Ordering::Relaxed);
        } else {
            count();
        }
        value
    })?;
    let counted = slots.into_iter().zip(bodies).map(|(slot, body)| slot.into_inner().unwrap_or_else(|| stats::stats(body))).collect();
    Ok((value, counted))
}
