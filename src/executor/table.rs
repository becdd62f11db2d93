//! The executor's jobs by id. Ids count up from one per executor, and jobs
//! mostly end in the order they were submitted, so the table is a deque
//! whose front is the oldest job still held: lookups are an index, and the
//! ids of ended jobs leave from the front.

use std::collections::VecDeque;

/// Values under ids that count up, kept in id order.
pub(super) struct IdTable<T> {
    /// The id of `slots[0]`.
    first: u64,
    /// One slot per id from `first` on; an ended id is `None` until the
    /// ids before it end too. Never starts or ends with `None`.
    slots: VecDeque<Option<T>>,
}

impl<T> IdTable<T> {
    pub(super) fn new() -> Self {
        IdTable {
            first: 0,
            slots: VecDeque::new(),
        }
    }

    /// The number of values held.
    pub(super) fn len(&self) -> usize {
        self.values().count()
    }

    fn index(&self, id: u64) -> Option<usize> {
        let offset = id.checked_sub(self.first)?;
        usize::try_from(offset)
            .ok()
            .filter(|&index| index < self.slots.len())
    }

    /// Puts `value` under `id`, replacing what was there. An id below the
    /// oldest held, or past the next one, opens empty slots between.
    pub(super) fn insert(&mut self, id: u64, value: T) {
        if self.slots.is_empty() {
            self.first = id;
        }
        if let Some(index) = self.index(id) {
            self.slots[index] = Some(value);
            return;
        }
        if id < self.first {
            for _ in id + 1..self.first {
                self.slots.push_front(None);
            }
            self.slots.push_front(Some(value));
            self.first = id;
        } else {
            let end = self.first + self.slots.len() as u64;
            for _ in end..id {
                self.slots.push_back(None);
            }
            self.slots.push_back(Some(value));
        }
    }

    pub(super) fn get(&self, id: &u64) -> Option<&T> {
        self.slots.get(self.index(*id)?)?.as_ref()
    }

    pub(super) fn get_mut(&mut self, id: &u64) -> Option<&mut T> {
        let index = self.index(*id)?;
        self.slots.get_mut(index)?.as_mut()
    }

    /// Takes the value under `id` out of the table.
    pub(super) fn remove(&mut self, id: &u64) -> Option<T> {
        let index = self.index(*id)?;
        let value = self.slots.get_mut(index)?.take()?;
        while let Some(None) = self.slots.front() {
            self.slots.pop_front();
            self.first += 1;
        }
        while let Some(None) = self.slots.back() {
            self.slots.pop_back();
        }
        Some(value)
    }

    /// The ids held, in order.
    pub(super) fn keys(&self) -> impl Iterator<Item = u64> + '_ {
        (self.first..)
            .zip(&self.slots)
            .filter_map(|(id, slot)| slot.as_ref().map(|_| id))
    }

    /// The values held, in id order.
    pub(super) fn values(&self) -> impl Iterator<Item = &T> {
        self.slots.iter().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contents(table: &IdTable<&'static str>) -> Vec<(u64, &'static str)> {
        table.keys().zip(table.values().copied()).collect()
    }

    #[test]
    fn ids_in_order_end_in_any_order() {
        let mut table = IdTable::new();
        for (id, name) in [(1, "a"), (2, "b"), (3, "c"), (4, "d")] {
            table.insert(id, name);
        }
        assert_eq!(table.len(), 4);
        assert_eq!(table.remove(&2), Some("b"));
        assert_eq!(table.remove(&2), None);
        assert_eq!(contents(&table), [(1, "a"), (3, "c"), (4, "d")]);
        assert_eq!(table.remove(&1), Some("a"));
        // The front moved past both ended ids.
        assert_eq!(table.slots.len(), 2);
        assert_eq!(table.first, 3);
        *table.get_mut(&4).unwrap() = "D";
        assert_eq!(table.get(&4), Some(&"D"));
        assert_eq!(table.get(&1), None);
        assert_eq!(table.get(&9), None);
        assert_eq!(table.remove(&4), Some("D"));
        assert_eq!(contents(&table), [(3, "c")]);
        assert_eq!(table.remove(&3), Some("c"));
        assert_eq!(table.len(), 0);
        assert!(table.slots.is_empty());
        // Empty, it starts again wherever the next id is.
        table.insert(7, "g");
        assert_eq!(contents(&table), [(7, "g")]);
    }

    #[test]
    fn gaps_and_earlier_ids_and_replacements() {
        let mut table = IdTable::new();
        table.insert(5, "e");
        table.insert(8, "h");
        table.insert(2, "b");
        table.insert(5, "E");
        assert_eq!(table.len(), 3);
        assert_eq!(contents(&table), [(2, "b"), (5, "E"), (8, "h")]);
        assert_eq!(table.remove(&8), Some("h"));
        assert_eq!(table.slots.len(), 4, "the back's empty slots go too");
        assert_eq!(table.get(&u64::MAX), None);
        assert_eq!(table.remove(&0), None);
    }
}
