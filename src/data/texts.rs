//! A column of short texts (unit keys, labels) held in one buffer.
//!
//! A `Vec<String>` costs each text its own allocation: a million keys of eight bytes took
//! 24 MB of `String`s and another 32 MB of allocator chunks, twice over with the labels.
//! Here the texts sit end to end in one `String` with their end offsets beside it (a
//! million keys: 8 MB of text and 8 MB of offsets), and a text is read back as a `&str`.

use std::fmt;
use std::ops::Index;

#[derive(Clone, Default, PartialEq, Eq)]
pub struct Texts {
    /// Every text, end to end.
    bytes: String,
    /// Where text `i` ends in `bytes` (it starts where text `i - 1` ends).
    ends: Vec<usize>,
}

impl Texts {
    pub fn new() -> Texts {
        Texts::default()
    }

    /// Room for `texts` texts (their bytes grow as they come).
    pub fn with_capacity(texts: usize) -> Texts {
        Texts {
            bytes: String::new(),
            ends: Vec::with_capacity(texts),
        }
    }

    pub fn push(&mut self, text: &str) {
        self.bytes.push_str(text);
        self.ends.push(self.bytes.len());
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<&str> {
        (i < self.len()).then(|| &self[i])
    }

    pub fn last(&self) -> Option<&str> {
        self.len().checked_sub(1).and_then(|i| self.get(i))
    }

    pub fn iter(&self) -> Iter<'_> {
        Iter {
            texts: self,
            rows: 0..self.len(),
        }
    }

    /// As [`slice::binary_search`], for texts in ascending order.
    pub fn binary_search(&self, text: &str) -> Result<usize, usize> {
        self.binary_search_by(|t| t.cmp(text))
    }

    /// As [`slice::binary_search_by`].
    pub fn binary_search_by(&self, mut f: impl FnMut(&str) -> std::cmp::Ordering) -> Result<usize, usize> {
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let middle = low + (high - low) / 2;
            match f(&self[middle]) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => return Ok(middle),
            }
        }
        Err(low)
    }

    /// Text `i` of the result is text `order[i]` of these.
    pub fn permuted(&self, order: &[usize]) -> Texts {
        let mut out = Texts::with_capacity(order.len());
        out.bytes.reserve(self.bytes.len());
        for &i in order {
            out.push(&self[i]);
        }
        out
    }

    /// Give back spare room (a column is built by pushing, then only read).
    pub fn shrink_to_fit(&mut self) {
        self.bytes.shrink_to_fit();
        self.ends.shrink_to_fit();
    }

    pub fn to_vec(&self) -> Vec<String> {
        self.iter().map(str::to_string).collect()
    }
}

impl Index<usize> for Texts {
    type Output = str;

    /// Out of range is a bug, as for a slice (and fails as a slice index does).
    fn index(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.bytes[start..self.ends[i]]
    }
}

/// The texts in order, as `&str`.
#[derive(Clone)]
pub struct Iter<'a> {
    texts: &'a Texts,
    rows: std::ops::Range<usize>,
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        self.rows.next().map(|i| &self.texts[i])
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.rows.size_hint()
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.rows.next_back().map(|i| &self.texts[i])
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a Texts {
    type Item = &'a str;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl<S: AsRef<str>> FromIterator<S> for Texts {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Texts {
        let iter = iter.into_iter();
        let mut out = Texts::with_capacity(iter.size_hint().0);
        for text in iter {
            out.push(text.as_ref());
        }
        out
    }
}

impl fmt::Debug for Texts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<const N: usize> PartialEq<[&str; N]> for Texts {
    fn eq(&self, other: &[&str; N]) -> bool {
        self.iter().eq(other.iter().copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_read_back_as_pushed_including_empty_and_multibyte_ones() {
        let texts: Texts = ["640122", "", "东乡族自治县", "x"].into_iter().collect();
        assert_eq!(texts.len(), 4);
        assert_eq!(texts.to_vec(), ["640122", "", "东乡族自治县", "x"]);
        assert_eq!(&texts[2], "东乡族自治县");
        assert_eq!(texts.get(4), None);
        assert_eq!(texts.last(), Some("x"));
        assert_eq!(Texts::new().last(), None);
        assert_eq!(texts.iter().next_back(), Some("x"));
        assert_eq!(texts.iter().len(), 4);
    }

    #[test]
    fn binary_search_agrees_with_the_slice_search() {
        let sorted = ["", "1", "10", "2", "20", "a", "b"];
        let texts: Texts = sorted.into_iter().collect();
        for probe in ["", "0", "1", "15", "2", "3", "a", "ab", "c"] {
            assert_eq!(texts.binary_search(probe), sorted.binary_search(&probe), "{probe}");
        }
        assert_eq!(Texts::new().binary_search("a"), Err(0));
    }

    #[test]
    fn permuted_reorders_and_equality_is_by_texts() {
        let texts: Texts = ["b", "a", "c"].into_iter().collect();
        assert_eq!(texts.permuted(&[1, 0, 2]), ["a", "b", "c"]);
        // The same texts split differently are different columns.
        let other: Texts = ["ba", "", "c"].into_iter().collect();
        assert_ne!(texts, other);
    }
}
