//! The blocking functions the examples hand to the executor. Every worker
//! loads this same package and calls [`register_jobs`] when it starts; the
//! page calls it too, for the inline fallback.

/// Counts the primes in `lo..hi` by trial division: deliberately slow.
pub fn count_primes((lo, hi): (u64, u64)) -> u64 {
    (lo.max(2)..hi)
        .filter(|&n| (2..).take_while(|d| d * d <= n).all(|d| n % d != 0))
        .count() as u64
}

/// Registers every job the examples use.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen::prelude::wasm_bindgen)]
pub fn register_jobs() {
    asyncio::executor::register("count_primes", count_primes);
}
