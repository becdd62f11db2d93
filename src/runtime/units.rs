//! Time as the loop counts it: milliseconds in an `f64`, from a
//! [`Duration`] or from Python-style seconds.

use std::time::Duration;

use crate::error::InvalidDelay;

/// Milliseconds in `duration`, exact for whole milliseconds.
pub(crate) fn duration_ms(duration: Duration) -> f64 {
    duration.as_secs() as f64 * 1000.0 + f64::from(duration.subsec_nanos()) / 1_000_000.0
}

/// Milliseconds in `secs` seconds: negative means zero, NaN and infinities
/// are refused.
pub(crate) fn secs_to_ms(secs: f64) -> Result<f64, InvalidDelay> {
    if secs.is_nan() {
        return Err(InvalidDelay::NotANumber);
    }
    if secs.is_infinite() {
        return Err(InvalidDelay::Infinite(secs));
    }
    Ok(secs.max(0.0) * 1000.0)
}
