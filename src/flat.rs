//! Maps and sets on a sorted `Vec`, for the few dozen entries the engine and the desktop types
//! hold. The standard `BTreeMap` costs about 10 KB of wasm for each key and value type it is used
//! with, and building one from an iterator brings in the standard stable sort for each; the
//! widget's size budget (SPEC §7) cannot carry that. Iteration is in key order, like `BTreeMap`,
//! so the snapshot JSON and every listing stay the same.

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};

/// A map on a sorted `Vec` (ICU4X's `litemap`), in key order. Built one entry at a time: the
/// `litemap` bulk paths (`collect`, `extend`, its `Deserialize`) sort with the standard stable
/// sort, another 3–5 KB of wasm for each key and value type, for maps of a few entries. Always
/// a JSON object (`litemap` writes an empty map as `[]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Map<K: Ord, V>(litemap::LiteMap<K, V>);

impl<K: Ord, V> Default for Map<K, V> {
    fn default() -> Self {
        Map(litemap::LiteMap::new())
    }
}

impl<K: Ord, V> Map<K, V> {
    pub fn new() -> Self {
        Map::default()
    }
}

impl<K: Ord, V> Deref for Map<K, V> {
    type Target = litemap::LiteMap<K, V>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl<K: Ord, V> DerefMut for Map<K, V> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for Map<K, V> {
    /// A later entry with the same key replaces the earlier one, as in `BTreeMap`.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut map = Map::new();
        for (key, value) in iter {
            map.0.insert(key, value);
        }
        map
    }
}

impl<K: Ord, V> IntoIterator for Map<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_tuple_vec().into_iter()
    }
}

impl<K: Ord + Serialize, V: Serialize> Serialize for Map<K, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter())
    }
}

impl<'de, K: Ord + Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for Map<K, V> {
    /// A JSON object, in any order; a repeated key keeps its last value, as in `BTreeMap`.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entries<K, V>(PhantomData<(K, V)>);
        impl<'de, K: Ord + Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for Entries<K, V> {
            type Value = Map<K, V>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut map = Map::new();
                while let Some((key, value)) = access.next_entry()? {
                    map.0.insert(key, value);
                }
                Ok(map)
            }
        }
        d.deserialize_map(Entries(PhantomData))
    }
}

impl<K: Ord + AsRef<str>, V: crate::value_out::Write> crate::value_out::Write for Map<K, V> {
    /// As `Serialize` writes it: an object in key order.
    fn write(&self) -> serde_json::Value {
        serde_json::Value::Object(self.0.iter().map(|(k, v)| (k.as_ref().to_owned(), v.write())).collect())
    }
}

impl<K: Ord + crate::value_de::Read, V: crate::value_de::Read> crate::value_de::Read for Map<K, V> {
    /// As `Deserialize` reads it.
    fn read(value: &serde_json::Value) -> Result<Self, crate::value_de::Error> {
        let mut map = Map::new();
        for (key, value) in crate::value_de::map_entries(value)? {
            map.0.insert(crate::value_de::key(key)?, V::read(value)?);
        }
        Ok(map)
    }
}

/// A set on a sorted `Vec`, in order; JSON: an array, like `BTreeSet`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Set<T: Ord>(Vec<T>);

impl<T: Ord> Default for Set<T> {
    fn default() -> Self {
        Set(Vec::new())
    }
}

impl<T: Ord> Set<T> {
    pub fn new() -> Self {
        Set::default()
    }

    /// Adds `value`; false when it was there already.
    pub fn insert(&mut self, value: T) -> bool {
        match self.0.binary_search(&value) {
            Ok(_) => false,
            Err(at) => {
                self.0.insert(at, value);
                true
            }
        }
    }

    pub fn contains<Q: Ord + ?Sized>(&self, value: &Q) -> bool
    where
        T: std::borrow::Borrow<Q>,
    {
        self.0.binary_search_by(|v| v.borrow().cmp(value)).is_ok()
    }

    /// Removes `value`; false when it was not there.
    pub fn remove<Q: Ord + ?Sized>(&mut self, value: &Q) -> bool
    where
        T: std::borrow::Borrow<Q>,
    {
        match self.0.binary_search_by(|v| v.borrow().cmp(value)) {
            Ok(at) => {
                self.0.remove(at);
                true
            }
            Err(_) => false,
        }
    }

    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    pub fn retain(&mut self, keep: impl FnMut(&T) -> bool) {
        self.0.retain(keep);
    }
}

impl<T: Ord> FromIterator<T> for Set<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut set = Set::new();
        for value in iter {
            set.insert(value);
        }
        set
    }
}

impl<'a, T: Ord> IntoIterator for &'a Set<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<'de, T: Ord + Deserialize<'de>> Deserialize<'de> for Set<T> {
    /// Any order, duplicates dropped (a snapshot written by hand or by an older version).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Vec::<T>::deserialize(d)?.into_iter().collect())
    }
}

impl<T: Ord + crate::value_out::Write> crate::value_out::Write for Set<T> {
    fn write(&self) -> serde_json::Value {
        self.0.write()
    }
}

impl<T: Ord + crate::value_de::Read> crate::value_de::Read for Set<T> {
    /// As `Deserialize` reads it.
    fn read(value: &serde_json::Value) -> Result<Self, crate::value_de::Error> {
        Ok(Vec::<T>::read(value)?.into_iter().collect())
    }
}

/// Sorts a list in place, stably (equal items keep their order). Written here rather than taken
/// from the standard library: its sorts cost 4–6 KB of wasm for every item type they are used
/// with, and this one is a few hundred bytes. Short lists (the common case: a few dozen items)
/// get an insertion sort; longer ones a merge sort of their positions, then the items are moved
/// into place, so a long list (thousands of diagnostics of a hostile definition) stays
/// O(n log n) rather than quadratic.
pub fn sort_small_by<T>(items: &mut [T], mut order: impl FnMut(&T, &T) -> std::cmp::Ordering) {
    use std::cmp::Ordering;
    let n = items.len();
    if n <= 32 {
        for end in 1..n {
            let mut at = end;
            while at > 0 {
                let out_of_order = match (items.get(at - 1), items.get(at)) {
                    (Some(before), Some(after)) => order(before, after) == Ordering::Greater,
                    _ => false,
                };
                if !out_of_order {
                    break;
                }
                items.swap(at - 1, at);
                at -= 1;
            }
        }
        return;
    }
    // The positions in sorted order, by a bottom-up merge sort (stable: on a tie the left run's
    // position goes first).
    let mut positions: Vec<usize> = (0..n).collect();
    let mut merged: Vec<usize> = Vec::with_capacity(n);
    let mut width = 1;
    while width < n {
        merged.clear();
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut left, mut right) = (start, mid);
            while left < mid || right < end {
                let take_left = match (positions.get(left), positions.get(right)) {
                    (Some(&l), Some(&r)) if left < mid && right < end => match (items.get(l), items.get(r)) {
                        (Some(a), Some(b)) => order(a, b) != Ordering::Greater,
                        _ => true,
                    },
                    _ => left < mid,
                };
                let from = if take_left { &mut left } else { &mut right };
                if let Some(&p) = positions.get(*from) {
                    merged.push(p);
                }
                *from += 1;
            }
            start = end;
        }
        std::mem::swap(&mut positions, &mut merged);
        width *= 2;
    }
    // Item `positions[k]` goes to place k: follow each cycle of the permutation with swaps.
    let mut placed = vec![false; n];
    for k in 0..n {
        if placed.get(k).copied().unwrap_or(true) {
            continue;
        }
        let mut here = k;
        loop {
            if let Some(p) = placed.get_mut(here) {
                *p = true;
            }
            let Some(&from) = positions.get(here) else { break };
            if from == k {
                break;
            }
            items.swap(here, from);
            here = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorting_is_stable_and_agrees_with_the_standard_sort_at_every_length() {
        let mut rng = fastrand::Rng::with_seed(7);
        for len in (0..80).chain([200, 1_000, 5_000]) {
            for _ in 0..4 {
                // (key, original position): few distinct keys, so ties are common.
                let items: Vec<(u8, usize)> = (0..len).map(|i| (rng.u8(..8), i)).collect();
                let mut ours = items.clone();
                sort_small_by(&mut ours, |a, b| a.0.cmp(&b.0));
                let mut theirs = items.clone();
                theirs.sort_by_key(|a| a.0);
                assert_eq!(ours, theirs, "length {len}");
                let mut reversed = items;
                reversed.reverse();
                let mut expected = reversed.clone();
                expected.sort_by_key(|a| std::cmp::Reverse(a.0));
                sort_small_by(&mut reversed, |a, b| b.0.cmp(&a.0));
                assert_eq!(reversed, expected, "length {len}, descending");
            }
        }
    }

    #[test]
    fn a_set_keeps_order_and_no_duplicates_as_json() {
        let set: Set<String> = ["b", "a", "b", "c"].iter().map(|s| s.to_string()).collect();
        assert_eq!(serde_json::to_string(&set).unwrap(), r#"["a","b","c"]"#);
        let back: Set<String> = serde_json::from_str(r#"["c","a","c"]"#).unwrap();
        assert_eq!(back.iter().collect::<Vec<_>>(), ["a", "c"]);
        let mut set = back;
        assert!(set.remove("a") && !set.remove("a") && set.contains("c") && !set.insert("c".into()));
    }

    #[test]
    fn the_small_sort_is_stable_and_sorts_like_the_standard_one() {
        let mut rng = fastrand::Rng::with_seed(7);
        for len in 0..40 {
            let items: Vec<(u8, usize)> = (0..len).map(|i| (rng.u8(0..5), i)).collect();
            let mut ours = items.clone();
            sort_small_by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut std = items;
            std.sort_by_key(|item| item.0);
            assert_eq!(ours, std);
        }
    }

    #[test]
    fn a_map_lists_in_key_order_like_btreemap() {
        let mut map: Map<String, u32> = Map::new();
        for (k, v) in [("z", 1), ("a", 2), ("m", 3), ("a", 4)] {
            map.insert(k.into(), v);
        }
        assert_eq!(serde_json::to_string(&map).unwrap(), r#"{"a":4,"m":3,"z":1}"#);
        let back: Map<String, u32> = serde_json::from_str(r#"{"z":1,"a":2,"a":4,"m":3}"#).unwrap();
        assert_eq!(back, map);
    }

    #[test]
    fn an_empty_map_is_an_empty_object_and_reads_back() {
        let empty: Map<String, u32> = Map::new();
        assert_eq!(serde_json::to_string(&empty).unwrap(), "{}");
        assert_eq!(serde_json::from_str::<Map<String, u32>>("{}").unwrap(), empty);
    }
}
