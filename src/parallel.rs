//! A parallel map for the build's per-item work (rendering and minifying the pages of the items),
//! on the machine's cores with scoped threads: no thread pool, no dependency. Results keep the
//! input's order, so the output is the same bytes whatever the number of threads (bench/RESULTS.md
//! has the timings that motivated it: rendering was the build's largest phase, on one core).

use std::num::NonZeroUsize;

/// Below this many items the work is done on the calling thread: starting threads costs more.
const MIN_PARALLEL: usize = 16;
/// At most this many threads.
const MAX_THREADS: usize = 8;

/// `f(index, item)` for every item, in parallel when there are enough items; the results in the
/// items' order, or the error of the first item (in order) that failed.
pub fn map<T, R, E, F>(items: &[T], f: F) -> Result<Vec<R>, E>
where
    T: Sync,
    R: Send,
    E: Send,
    F: Fn(usize, &T) -> Result<R, E> + Sync,
{
    let threads = std::thread::available_parallelism()
        .map_or(1, NonZeroUsize::get)
        .min(MAX_THREADS);
    if threads < 2 || items.len() < MIN_PARALLEL {
        return items.iter().enumerate().map(|(i, item)| f(i, item)).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    let parts: Vec<Result<Vec<R>, E>> = std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .enumerate()
            .map(|(c, slice)| {
                scope.spawn(move || {
                    slice
                        .iter()
                        .enumerate()
                        .map(|(j, item)| f(c * chunk + j, item))
                        .collect::<Result<Vec<R>, E>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    });
    let mut out = Vec::with_capacity(items.len());
    for part in parts {
        out.extend(part?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::map;

    #[test]
    fn keeps_the_order_and_reports_the_first_error() {
        let items: Vec<u32> = (0..1000).collect();
        let doubled: Result<Vec<u64>, String> = map(&items, |i, &x| {
            assert_eq!(i as u32, x);
            Ok(u64::from(x) * 2)
        });
        assert_eq!(doubled, Ok((0..1000).map(|x| x * 2).collect::<Vec<u64>>()));
        let failed: Result<Vec<u32>, String> = map(&items, |_, &x| {
            if x % 300 == 299 {
                Err(format!("item {x}"))
            } else {
                Ok(x)
            }
        });
        assert_eq!(failed, Err("item 299".to_string()));
        let few: Result<Vec<u32>, String> = map(&items[..3], |_, &x| Ok(x + 1));
        assert_eq!(few, Ok(vec![1, 2, 3]));
    }
}
