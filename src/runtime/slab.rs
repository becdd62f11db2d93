//! A generational slab: stable keys for tasks, callbacks and timers.
//!
//! # Invariants
//! - A [`Key`] names one insertion. Once its value is removed, the slot's
//!   generation moves on, so a stale key (held by a waker or a handle that
//!   outlived its entry) finds nothing instead of a newer, unrelated entry.
//! - Free slots are reused last-in first-out, keeping the vector dense.

/// A key into a [`Slab`]: slot index plus the generation it was issued in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Key {
    index: u32,
    generation: u32,
}

impl Key {
    /// A key no slab ever issues: for a task made outside any loop.
    pub(crate) const DETACHED: Key = Key {
        index: u32::MAX,
        generation: u32::MAX,
    };
}

#[derive(Debug)]
struct Slot<T> {
    generation: u32,
    value: Option<T>,
}

/// Values addressed by generational [`Key`]s.
#[derive(Debug)]
pub(crate) struct Slab<T> {
    slots: Vec<Slot<T>>,
    free: Vec<u32>,
    len: usize,
}

impl<T> Default for Slab<T> {
    fn default() -> Self {
        Self {
            slots: Vec::new(),
            free: Vec::new(),
            len: 0,
        }
    }
}

impl<T> Slab<T> {
    /// The key the next [`insert`](Self::insert) will return. (Natively, a
    /// task's waker names its key before the task is stored.)
    #[cfg_attr(single_threaded_wasm, allow(dead_code))]
    pub(crate) fn vacant_key(&self) -> Key {
        match self.free.last() {
            Some(&index) => Key {
                index,
                generation: self.slots[index as usize].generation,
            },
            None => Key {
                index: u32::try_from(self.slots.len()).unwrap_or(u32::MAX),
                generation: 0,
            },
        }
    }

    /// Stores `value` and returns its key.
    pub(crate) fn insert(&mut self, value: T) -> Key {
        self.len += 1;
        if let Some(index) = self.free.pop() {
            let slot = &mut self.slots[index as usize];
            slot.value = Some(value);
            return Key {
                index,
                generation: slot.generation,
            };
        }
        // Four billion live entries would exhaust memory long before the index.
        let index = u32::try_from(self.slots.len()).unwrap_or(u32::MAX);
        self.slots.push(Slot {
            generation: 0,
            value: Some(value),
        });
        Key {
            index,
            generation: 0,
        }
    }

    /// The value under `key`, if it is still there.
    pub(crate) fn get(&self, key: Key) -> Option<&T> {
        let slot = self.slots.get(key.index as usize)?;
        if slot.generation == key.generation {
            slot.value.as_ref()
        } else {
            None
        }
    }

    /// The value under `key`, mutably, if it is still there.
    pub(crate) fn get_mut(&mut self, key: Key) -> Option<&mut T> {
        let slot = self.slots.get_mut(key.index as usize)?;
        if slot.generation == key.generation {
            slot.value.as_mut()
        } else {
            None
        }
    }

    /// Whether `key` still names a value.
    pub(crate) fn contains(&self, key: Key) -> bool {
        self.get(key).is_some()
    }

    /// Removes and returns the value under `key`.
    pub(crate) fn remove(&mut self, key: Key) -> Option<T> {
        let slot = self.slots.get_mut(key.index as usize)?;
        if slot.generation != key.generation {
            return None;
        }
        let value = slot.value.take()?;
        slot.generation = slot.generation.wrapping_add(1);
        self.free.push(key.index);
        self.len -= 1;
        Some(value)
    }

    /// How many values are stored.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Removes every value, returning them in slot order.
    pub(crate) fn drain(&mut self) -> Vec<T> {
        let mut out = Vec::with_capacity(self.len);
        for (index, slot) in self.slots.iter_mut().enumerate() {
            if let Some(value) = slot.value.take() {
                slot.generation = slot.generation.wrapping_add(1);
                self.free.push(index as u32);
                out.push(value);
            }
        }
        self.len = 0;
        out
    }

    /// Every stored value, in slot order.
    pub(crate) fn values(&self) -> impl Iterator<Item = &T> {
        self.slots.iter().filter_map(|slot| slot.value.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_keys_find_nothing_after_reuse() {
        let mut slab = Slab::default();
        let a = slab.insert("a");
        assert_eq!(slab.remove(a), Some("a"));
        let b = slab.insert("b");
        assert_eq!(slab.get(a), None);
        assert_eq!(slab.get(b), Some(&"b"));
        assert_eq!(slab.remove(a), None);
        assert_eq!(slab.len(), 1);
    }

    #[test]
    fn vacant_key_predicts_insert() {
        let mut slab = Slab::default();
        let first = slab.insert(1);
        slab.remove(first);
        let predicted = slab.vacant_key();
        assert_eq!(slab.insert(2), predicted);
        let predicted = slab.vacant_key();
        assert_eq!(slab.insert(3), predicted);
    }

    #[test]
    fn drain_empties_and_invalidates() {
        let mut slab = Slab::default();
        let keys: Vec<_> = (0..5).map(|i| slab.insert(i)).collect();
        assert_eq!(slab.drain(), vec![0, 1, 2, 3, 4]);
        assert_eq!(slab.len(), 0);
        assert!(keys.iter().all(|&k| !slab.contains(k)));
    }
}
