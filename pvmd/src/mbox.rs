//! The message mailbox (`pvm_putinfo`, `pvm_recvinfo`, `pvm_delinfo`,
//! `pvm_getmboxinfo`): named, indexed PVM messages owned by the task that put them.

use std::collections::BTreeMap;

use bytes::Bytes;
use pvm::error::PvmError;
use pvm::proto::consts::{
    PVM_MBOX_FIRST_AVAIL, PVM_MBOX_MULTI_INSTANCE, PVM_MBOX_OVER_WRITABLE, PVM_MBOX_PERSISTENT,
    PVM_MBOX_READ_AND_DELETE,
};
use pvm::proto::MboxClass;
use pvm::tid::Tid;

/// Bits of the flags that carry a direct index (`PvmMboxDirectIndex`).
const DIRECT_INDEX_SHIFT: u32 = 10;
const DIRECT_INDEX_MASK: i32 = (1 << (31 - DIRECT_INDEX_SHIFT)) - 1;

/// One stored message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub index: i32,
    /// 0 once a persistent entry's owner exited.
    pub owner: Tid,
    pub flags: i32,
    pub encoding: i32,
    pub body: Bytes,
}

impl Entry {
    fn writable_by(&self, who: Tid) -> bool {
        self.owner == who || self.flags & PVM_MBOX_OVER_WRITABLE != 0
    }
}

/// The whole database, by class name; entries of a class sorted by index.
#[derive(Debug, Default)]
pub struct Mailbox {
    classes: BTreeMap<String, Vec<Entry>>,
}

/// What a put stores.
#[derive(Debug, Clone)]
pub struct Put {
    pub owner: Tid,
    pub flags: i32,
    pub encoding: i32,
    pub body: Bytes,
}

impl Mailbox {
    /// `pvm_putinfo`: the index stored at, or PvmExists / PvmDenied.
    pub fn put(&mut self, name: &str, put: Put) -> Result<i32, PvmError> {
        let class = self.classes.entry(name.to_string()).or_default();
        let direct = (put.flags >> DIRECT_INDEX_SHIFT) & DIRECT_INDEX_MASK;
        let multi = put.flags & PVM_MBOX_MULTI_INSTANCE != 0;
        let index = if direct > 0 {
            direct
        } else if multi {
            first_free(class)
        } else {
            0
        };
        let entry = Entry {
            index,
            owner: put.owner,
            flags: put.flags & !(DIRECT_INDEX_MASK << DIRECT_INDEX_SHIFT),
            encoding: put.encoding,
            body: put.body,
        };
        match class.iter_mut().find(|e| e.index == index) {
            Some(old) if old.writable_by(put.owner) => *old = entry,
            Some(_) if direct > 0 => return Err(PvmError::Denied),
            Some(_) => return Err(PvmError::Exists),
            None => {
                if !multi && index == 0 && !class.is_empty() {
                    return Err(PvmError::Exists);
                }
                class.push(entry);
                class.sort_by_key(|e| e.index);
            }
        }
        Ok(index)
    }

    /// `pvm_recvinfo`: the entry asked for (deleted with PvmMboxReadAndDelete).
    pub fn get(&mut self, name: &str, index: i32, flags: i32, who: Tid) -> Result<Entry, PvmError> {
        if index < 0 {
            return Err(PvmError::BadParam);
        }
        let class = self.classes.get_mut(name).ok_or(PvmError::NotFound)?;
        let pos = if flags & PVM_MBOX_FIRST_AVAIL != 0 {
            class.iter().position(|e| e.index >= index)
        } else {
            class.iter().position(|e| e.index == index)
        }
        .ok_or(PvmError::NotFound)?;
        if flags & PVM_MBOX_READ_AND_DELETE == 0 {
            return Ok(class[pos].clone());
        }
        if !class[pos].writable_by(who) {
            return Err(PvmError::Denied);
        }
        let entry = class.remove(pos);
        self.drop_if_empty(name);
        Ok(entry)
    }

    /// `pvm_delinfo`.
    pub fn delete(&mut self, name: &str, index: i32, who: Tid) -> Result<(), PvmError> {
        let class = self.classes.get_mut(name).ok_or(PvmError::NotFound)?;
        let pos = class
            .iter()
            .position(|e| e.index == index)
            .ok_or(PvmError::NotFound)?;
        if !class[pos].writable_by(who) {
            return Err(PvmError::Denied);
        }
        class.remove(pos);
        self.drop_if_empty(name);
        Ok(())
    }

    /// `pvm_getmboxinfo(pattern)`: the classes whose name matches the glob.
    pub fn classes(&self, pattern: &str) -> Vec<MboxClass> {
        self.classes
            .iter()
            .filter(|(name, _)| glob_match(pattern.as_bytes(), name.as_bytes()))
            .map(|(name, entries)| MboxClass {
                name: name.clone(),
                indices: entries.iter().map(|e| e.index).collect(),
                owners: entries.iter().map(|e| e.owner).collect(),
                flags: entries.iter().map(|e| e.flags).collect(),
            })
            .collect()
    }

    /// A task exited: its entries go, persistent ones stay with owner 0.
    pub fn owner_exited(&mut self, tid: Tid) {
        for class in self.classes.values_mut() {
            class.retain_mut(|e| {
                if e.owner != tid {
                    return true;
                }
                e.owner = Tid(0);
                e.flags & PVM_MBOX_PERSISTENT != 0
            });
        }
        self.classes.retain(|_, c| !c.is_empty());
    }

    /// The owners of entries whose tid is on host number `host`.
    pub fn owners_on(&self, host: u32) -> Vec<Tid> {
        let mut all: Vec<Tid> = self
            .classes
            .values()
            .flatten()
            .map(|e| e.owner)
            .filter(|o| o.0 != 0 && o.host() == host)
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    }

    /// `reset`: only entries of surviving tasks stay, persistent or not.
    pub fn reset(&mut self, survives: impl Fn(Tid) -> bool) {
        for class in self.classes.values_mut() {
            class.retain(|e| e.owner != Tid(0) && survives(e.owner));
        }
        self.classes.retain(|_, c| !c.is_empty());
    }

    fn drop_if_empty(&mut self, name: &str) {
        if self.classes.get(name).is_some_and(Vec::is_empty) {
            self.classes.remove(name);
        }
    }
}

fn first_free(class: &[Entry]) -> i32 {
    // Entries are sorted by index, so the first gap is the first free index.
    let mut want = 0;
    for e in class {
        if e.index != want {
            break;
        }
        want += 1;
    }
    want
}

/// Shell-style glob with `*` and `?`, as getmboxinfo's pattern; empty matches all.
fn glob_match(pat: &[u8], s: &[u8]) -> bool {
    if pat.is_empty() {
        return true;
    }
    let (mut p, mut i) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while i < s.len() {
        if p < pat.len() && (pat[p] == b'?' || pat[p] == s[i]) {
            p += 1;
            i += 1;
        } else if p < pat.len() && pat[p] == b'*' {
            star = Some((p, i));
            p += 1;
        } else if let Some((sp, si)) = star {
            p = sp + 1;
            i = si + 1;
            star = Some((sp, si + 1));
        } else {
            return false;
        }
    }
    pat[p..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(owner: u32, flags: i32) -> Put {
        Put {
            owner: Tid(owner),
            flags,
            encoding: 0,
            body: Bytes::from_static(b"x"),
        }
    }

    #[test]
    fn default_entry_is_unique_and_owned() {
        let mut m = Mailbox::default();
        assert_eq!(m.put("a", put(0x40001, 0)), Ok(0));
        assert_eq!(m.put("a", put(0x40002, 0)), Err(PvmError::Exists));
        assert_eq!(m.put("a", put(0x40001, 0)), Ok(0));
        assert_eq!(m.delete("a", 0, Tid(0x40002)), Err(PvmError::Denied));
        m.owner_exited(Tid(0x40001));
        assert_eq!(m.get("a", 0, 0, Tid(1)), Err(PvmError::NotFound));
    }

    #[test]
    fn multi_instance_fills_gaps_and_first_avail_finds() {
        let mut m = Mailbox::default();
        for want in 0..3 {
            assert_eq!(m.put("c", put(0x40001, PVM_MBOX_MULTI_INSTANCE)), Ok(want));
        }
        m.delete("c", 1, Tid(0x40001)).expect("owner deletes");
        assert_eq!(m.put("c", put(0x40001, PVM_MBOX_MULTI_INSTANCE)), Ok(1));
        let e = m.get("c", 2, PVM_MBOX_FIRST_AVAIL, Tid(9)).expect("found");
        assert_eq!(e.index, 2);
        assert_eq!(m.classes("c*")[0].indices, vec![0, 1, 2]);
        assert!(m.classes("d*").is_empty());
    }

    #[test]
    fn persistent_survives_owner_but_not_reset() {
        let mut m = Mailbox::default();
        m.put("p", put(0x40001, PVM_MBOX_PERSISTENT)).expect("put");
        m.owner_exited(Tid(0x40001));
        assert_eq!(m.get("p", 0, 0, Tid(2)).map(|e| e.owner), Ok(Tid(0)));
        m.reset(|_| false);
        assert!(m.classes("*").is_empty());
    }

    #[test]
    fn globs() {
        assert!(glob_match(b"*", b"anything"));
        assert!(glob_match(b"a?c*", b"abcdef"));
        assert!(!glob_match(b"a?c", b"abcd"));
        assert!(glob_match(b"", b"x"));
    }
}
