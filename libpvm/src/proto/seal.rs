//! Sealed links: what a TCP link carries after its handshake ([`super::auth`]) is
//! encrypted and authenticated, sealed frame by sealed frame, so that nobody on the
//! way can read it, and a frame altered, replayed, reordered, dropped or cut short is
//! noticed and closes the link. pvmd-to-pvmd links and direct task links across hosts
//! use it; Unix sockets on one host carry plain frames.
//!
//! # Key schedule
//!
//! Both ends of a handshake know the shared secret (the virtual machine's secret, or
//! for direct task links the key derived from it, `Welcome::direct_key`) and both
//! fresh nonces. HKDF-SHA256 (RFC 5869) extracts from the secret with the initiator's
//! nonce followed by the responder's as salt, and expands two 32-byte keys, one per
//! direction, with the info labels [`INITIATOR_TO_RESPONDER`] and
//! [`RESPONDER_TO_INITIATOR`]. Every link therefore has keys of its own, even between
//! the same two ends, and the two directions never share a key.
//!
//! # Sealed frame
//!
//! ```text
//! u32 len   big-endian: the bytes that follow, 17 ..= MAX_PLAIN + 16
//! [u8]      AES-256-GCM ciphertext of 1 ..= MAX_PLAIN bytes of the plain stream
//! [u8; 16]  GCM tag, over the ciphertext and the 4 length bytes (associated data)
//! ```
//!
//! The 96-bit nonce is never sent: 4 zero bytes, then the direction's count of sealed
//! frames so far (u64, big-endian), from 0. A replayed, reordered or dropped frame is
//! opened with another count than it was sealed with and fails; a changed length fails
//! too, since the length is authenticated. The plain stream is the link's ordinary
//! frames ([`super::frame`]) back to back: a sealed frame may hold several small
//! frames or a piece of a large one, as the writer's buffer flushes.
//!
//! [`Sealer`] and [`Opener`] do no I/O; [`Inbound`] keeps what a reader received
//! until whole sealed frames can be opened.

use std::io::IoSlice;

use bytes::{Buf, BufMut, BytesMut};
use hkdf::Hkdf;
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM};
use sha2::Sha256;

/// Bytes of a sealed frame's length prefix.
pub const HEAD_LEN: usize = 4;
/// Bytes of a sealed frame's authentication tag.
pub const TAG_LEN: usize = 16;
/// The most plain bytes one sealed frame carries.
pub const MAX_PLAIN: usize = 64 * 1024;
/// The largest length prefix a reader accepts.
pub const MAX_SEALED: usize = MAX_PLAIN + TAG_LEN;
/// HKDF info of the key the handshake's initiator seals with.
pub const INITIATOR_TO_RESPONDER: &str = "pvm sealed link v1: initiator to responder";
/// HKDF info of the key the handshake's responder seals with.
pub const RESPONDER_TO_INITIATOR: &str = "pvm sealed link v1: responder to initiator";

/// Why sealed input was refused. Any of them means the link cannot be trusted any
/// more and must be closed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("sealed frame of {len} bytes (at most {MAX_SEALED}, at least {})", TAG_LEN + 1)]
    BadLength { len: usize },
    #[error(
        "sealed frame {frame} failed authentication \
         (altered, replayed, reordered, dropped or sealed with another key)"
    )]
    Forged { frame: u64 },
    #[error("the link ended inside a sealed frame")]
    Truncated,
    #[error("the link has sealed as many frames as its nonces allow")]
    Exhausted,
}

/// Which side of the handshake ([`super::auth`]) we were.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Sent the first nonce.
    Initiator,
    /// Answered it.
    Responder,
}

/// The two keys of one link, as one side sees them.
#[derive(Clone)]
pub struct LinkKeys {
    send: [u8; 32],
    recv: [u8; 32],
}

impl std::fmt::Debug for LinkKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkKeys { .. }")
    }
}

impl LinkKeys {
    /// The keys of the link whose handshake exchanged `initiator_nonce` then
    /// `responder_nonce` under `secret`, for the side that played `role`.
    pub fn derive(
        secret: &[u8],
        initiator_nonce: &[u8],
        responder_nonce: &[u8],
        role: Role,
    ) -> LinkKeys {
        let mut salt = Vec::with_capacity(initiator_nonce.len() + responder_nonce.len());
        salt.extend_from_slice(initiator_nonce);
        salt.extend_from_slice(responder_nonce);
        let hk = Hkdf::<Sha256>::new(Some(&salt), secret);
        let expand = |info: &str| {
            let mut k = [0u8; 32];
            hk.expand(info.as_bytes(), &mut k)
                .unwrap_or_else(|_| unreachable!("32 bytes is a valid HKDF-SHA256 length"));
            k
        };
        let (i2r, r2i) = (
            expand(INITIATOR_TO_RESPONDER),
            expand(RESPONDER_TO_INITIATOR),
        );
        match role {
            Role::Initiator => LinkKeys {
                send: i2r,
                recv: r2i,
            },
            Role::Responder => LinkKeys {
                send: r2i,
                recv: i2r,
            },
        }
    }

    /// The sealing and opening halves.
    pub fn split(self) -> (Sealer, Opener) {
        (
            Sealer {
                aead: aead_key(&self.send),
                next: 0,
            },
            Opener {
                aead: aead_key(&self.recv),
                next: 0,
            },
        )
    }
}

/// AES-256-GCM under `key`: ring uses the CPU's AES and carry-less multiply
/// instructions where it has them, several GB/s per core.
fn aead_key(key: &[u8; 32]) -> LessSafeKey {
    let unbound = UnboundKey::new(&AES_256_GCM, key)
        .unwrap_or_else(|_| unreachable!("32 bytes is AES-256-GCM's key length"));
    LessSafeKey::new(unbound)
}

/// The nonce of frame `counter`: 4 zero bytes, then the counter, big-endian.
fn nonce(counter: u64) -> Nonce {
    let mut n = [0u8; 12];
    n[4..].copy_from_slice(&counter.to_be_bytes());
    Nonce::assume_unique_for_key(n)
}

/// Seals one direction of a link.
pub struct Sealer {
    aead: LessSafeKey,
    next: u64,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sealer").field("next", &self.next).finish()
    }
}

impl Sealer {
    /// Appends one sealed frame to `out` carrying the first bytes of `parts` (at most
    /// [`MAX_PLAIN`]); returns how many it took. Nothing is appended for empty parts.
    pub fn seal(&mut self, parts: &[IoSlice<'_>], out: &mut BytesMut) -> Result<usize, SealError> {
        let total: usize = parts.iter().map(|p| p.len()).sum();
        let take = total.min(MAX_PLAIN);
        if take == 0 {
            return Ok(0);
        }
        if self.next == u64::MAX {
            return Err(SealError::Exhausted);
        }
        let len = take + TAG_LEN;
        let head = (len as u32).to_be_bytes();
        out.reserve(HEAD_LEN + len);
        out.put_slice(&head);
        let start = out.len();
        let mut left = take;
        for p in parts {
            let n = p.len().min(left);
            out.put_slice(&p[..n]);
            left -= n;
            if left == 0 {
                break;
            }
        }
        let tag = self
            .aead
            .seal_in_place_separate_tag(nonce(self.next), Aad::from(head), &mut out[start..])
            .map_err(|_| SealError::Exhausted)?;
        out.put_slice(tag.as_ref());
        self.next += 1;
        Ok(take)
    }

    /// Seals all of `data` (as many sealed frames as it takes) onto `out`.
    pub fn seal_all(&mut self, mut data: &[u8], out: &mut BytesMut) -> Result<(), SealError> {
        while !data.is_empty() {
            let n = self.seal(&[IoSlice::new(data)], out)?;
            data = &data[n..];
        }
        Ok(())
    }
}

/// Opens the other direction of a link.
pub struct Opener {
    aead: LessSafeKey,
    next: u64,
}

impl std::fmt::Debug for Opener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Opener").field("next", &self.next).finish()
    }
}

/// The length of the sealed frame at the start of `raw` (prefix included), once its
/// prefix is there; a length out of bounds is an error before anything is read for it.
pub fn sealed_len(raw: &[u8]) -> Result<Option<usize>, SealError> {
    let Some(prefix) = raw.get(..HEAD_LEN) else {
        return Ok(None);
    };
    let len = u32::from_be_bytes([prefix[0], prefix[1], prefix[2], prefix[3]]) as usize;
    if len <= TAG_LEN || len > MAX_SEALED {
        return Err(SealError::BadLength { len });
    }
    Ok(Some(HEAD_LEN + len))
}

impl Opener {
    /// Takes the first sealed frame off `raw` and opens it in place: its plain bytes,
    /// `None` while it is incomplete. After an error the opener must not be used again.
    pub fn open(&mut self, raw: &mut BytesMut) -> Result<Option<BytesMut>, SealError> {
        let Some(total) = sealed_len(raw)? else {
            return Ok(None);
        };
        if raw.len() < total {
            return Ok(None);
        }
        let mut frame = raw.split_to(total);
        let head = [frame[0], frame[1], frame[2], frame[3]];
        frame.advance(HEAD_LEN);
        if self.next == u64::MAX {
            return Err(SealError::Exhausted);
        }
        let forged = SealError::Forged { frame: self.next };
        // The ciphertext and its tag are contiguous: opened in place, the plain bytes
        // are the frame without its last TAG_LEN.
        let plain = self
            .aead
            .open_in_place(nonce(self.next), Aad::from(head), &mut frame)
            .map_err(|_| forged)?
            .len();
        frame.truncate(plain);
        self.next += 1;
        Ok(Some(frame))
    }
}

/// A reader's side of a sealed link: what it received, and what it opened but did not
/// hand out yet.
#[derive(Debug)]
pub struct Inbound {
    opener: Opener,
    raw: BytesMut,
    plain: BytesMut,
    /// The first error: every later call gives it again.
    failed: Option<SealError>,
}

impl Inbound {
    /// A reader opening with `opener`, starting with `pending`: sealed bytes that came
    /// with the handshake.
    pub fn new(opener: Opener, pending: BytesMut) -> Inbound {
        Inbound {
            opener,
            raw: pending,
            plain: BytesMut::new(),
            failed: None,
        }
    }

    /// Where to read sealed bytes into, with room for at least `want` more (and for the
    /// rest of the sealed frame being received).
    pub fn raw_mut(&mut self, want: usize) -> &mut BytesMut {
        let rest = match sealed_len(&self.raw) {
            Ok(Some(total)) => total.saturating_sub(self.raw.len()),
            _ => 0,
        };
        self.raw.reserve(want.max(rest));
        &mut self.raw
    }

    /// Opens the next complete sealed frame received: true if there was one.
    pub fn open_next(&mut self) -> Result<bool, SealError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        match self.opener.open(&mut self.raw) {
            Ok(Some(frame)) => {
                if self.plain.is_empty() {
                    self.plain = frame;
                } else {
                    self.plain.extend_from_slice(&frame);
                }
                Ok(true)
            }
            Ok(None) => Ok(false),
            Err(e) => {
                self.failed = Some(e.clone());
                Err(e)
            }
        }
    }

    /// Opens every complete sealed frame received.
    pub fn open_all(&mut self) -> Result<(), SealError> {
        while self.open_next()? {}
        Ok(())
    }

    /// Moves up to `max` opened bytes onto `out`; how many.
    pub fn take(&mut self, out: &mut BytesMut, max: usize) -> usize {
        let n = self.plain.len().min(max);
        out.extend_from_slice(&self.plain[..n]);
        self.plain.advance(n);
        n
    }

    /// Whether opened bytes wait to be taken.
    pub fn has_plain(&self) -> bool {
        !self.plain.is_empty()
    }

    /// Checks the end of the stream, once every whole sealed frame was opened: an error
    /// if it came inside one.
    pub fn end(&self) -> Result<(), SealError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        if self.raw.is_empty() {
            Ok(())
        } else {
            Err(SealError::Truncated)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SECRET: &[u8] = b"the virtual machine's secret";

    fn pair() -> (Sealer, Opener) {
        let (a, b) = ([1u8; 32], [2u8; 32]);
        let (sealer, _) = LinkKeys::derive(SECRET, &a, &b, Role::Initiator).split();
        let (_, opener) = LinkKeys::derive(SECRET, &a, &b, Role::Responder).split();
        (sealer, opener)
    }

    fn sealed(sealer: &mut Sealer, data: &[u8]) -> BytesMut {
        let mut out = BytesMut::new();
        sealer.seal_all(data, &mut out).expect("seal");
        out
    }

    fn open_everything(opener: Opener, wire: &[u8]) -> Result<Vec<u8>, SealError> {
        let mut inb = Inbound::new(opener, BytesMut::from(wire));
        inb.open_all()?;
        inb.end()?;
        let mut out = BytesMut::new();
        inb.take(&mut out, usize::MAX);
        Ok(out.to_vec())
    }

    #[test]
    fn both_sides_derive_mirrored_keys_and_each_link_its_own() {
        let (a, b) = ([1u8; 32], [2u8; 32]);
        let i = LinkKeys::derive(SECRET, &a, &b, Role::Initiator);
        let r = LinkKeys::derive(SECRET, &a, &b, Role::Responder);
        assert_eq!((i.send, i.recv), (r.recv, r.send));
        assert_ne!(i.send, i.recv, "the directions share a key");
        let other = LinkKeys::derive(SECRET, &a, &[3u8; 32], Role::Initiator);
        assert_ne!(i.send, other.send, "another handshake, the same key");
        let stranger = LinkKeys::derive(b"another secret", &a, &b, Role::Initiator);
        assert_ne!(i.send, stranger.send);
        assert_eq!(format!("{i:?}"), "LinkKeys { .. }", "keys in a log");
    }

    #[test]
    fn what_is_sealed_opens_in_order_and_is_not_readable_on_the_wire() {
        let (mut s, o) = pair();
        let text = b"a message nobody on the way may read".repeat(3000);
        let wire = sealed(&mut s, &text);
        assert_eq!(
            wire.len(),
            text.len() + text.len().div_ceil(MAX_PLAIN) * (HEAD_LEN + TAG_LEN)
        );
        assert!(
            !wire.windows(9).any(|w| w == b"a message"),
            "plain text on the wire"
        );
        assert_eq!(open_everything(o, &wire).expect("open"), text);
    }

    #[test]
    fn a_flipped_byte_anywhere_is_refused() {
        let (mut s, _) = pair();
        let wire = sealed(&mut s, b"hello, host two");
        for i in 0..wire.len() {
            let mut bad = wire.to_vec();
            bad[i] ^= 0x01;
            let (_, o) = pair();
            let got = open_everything(o, &bad);
            if i < HEAD_LEN {
                assert!(
                    matches!(
                        got,
                        Err(SealError::BadLength { .. }
                            | SealError::Truncated
                            | SealError::Forged { .. })
                    ),
                    "length byte {i}: {got:?}"
                );
            } else {
                assert_eq!(got, Err(SealError::Forged { frame: 0 }), "byte {i}");
            }
        }
    }

    #[test]
    fn replayed_reordered_or_dropped_frames_are_refused() {
        let (mut s, _) = pair();
        let one = sealed(&mut s, b"first");
        let two = sealed(&mut s, b"second");
        let three = sealed(&mut s, b"third");
        let cat = |parts: &[&BytesMut]| parts.iter().flat_map(|p| p.to_vec()).collect::<Vec<u8>>();
        let open = |wire: Vec<u8>| open_everything(pair().1, &wire);
        assert_eq!(
            open(cat(&[&one, &two, &three])).expect("in order"),
            b"firstsecondthird"
        );
        assert_eq!(
            open(cat(&[&one, &one])),
            Err(SealError::Forged { frame: 1 }),
            "replayed"
        );
        assert_eq!(
            open(cat(&[&two, &one])),
            Err(SealError::Forged { frame: 0 }),
            "reordered"
        );
        assert_eq!(
            open(cat(&[&one, &three])),
            Err(SealError::Forged { frame: 1 }),
            "dropped"
        );
        // A frame of this link replayed into another link of the same two ends.
        let (a, b) = ([1u8; 32], [9u8; 32]);
        let (_, other) = LinkKeys::derive(SECRET, &a, &b, Role::Responder).split();
        assert_eq!(
            open_everything(other, &one),
            Err(SealError::Forged { frame: 0 })
        );
    }

    #[test]
    fn a_wrong_key_or_direction_is_refused() {
        let (a, b) = ([1u8; 32], [2u8; 32]);
        let (mut s, _) = LinkKeys::derive(SECRET, &a, &b, Role::Initiator).split();
        let wire = sealed(&mut s, b"for the responder");
        let (_, stranger) = LinkKeys::derive(b"wrong", &a, &b, Role::Responder).split();
        assert!(matches!(
            open_everything(stranger, &wire),
            Err(SealError::Forged { .. })
        ));
        let (_, reflected) = LinkKeys::derive(SECRET, &a, &b, Role::Initiator).split();
        assert!(
            matches!(
                open_everything(reflected, &wire),
                Err(SealError::Forged { .. })
            ),
            "a frame reflected back to its sender opens"
        );
    }

    #[test]
    fn truncation_and_bad_lengths_are_refused() {
        let (mut s, _) = pair();
        let wire = sealed(&mut s, b"cut short");
        for cut in 1..wire.len() {
            let (_, o) = pair();
            assert_eq!(
                open_everything(o, &wire[..cut]),
                Err(SealError::Truncated),
                "cut at {cut}"
            );
        }
        for len in [0u32, 16, (MAX_SEALED + 1) as u32, u32::MAX] {
            let (_, o) = pair();
            let mut bad = len.to_be_bytes().to_vec();
            bad.extend_from_slice(&[0; 32]);
            assert_eq!(
                open_everything(o, &bad),
                Err(SealError::BadLength { len: len as usize })
            );
        }
        let (_, mut o) = pair();
        let mut raw = BytesMut::from(&wire[..HEAD_LEN + 3]);
        assert_eq!(o.open(&mut raw), Ok(None), "incomplete: wait for more");
    }

    #[test]
    fn gathered_parts_fill_a_frame_up_to_its_limit() {
        let (mut s, o) = pair();
        let (a, b) = (vec![7u8; 10], vec![8u8; MAX_PLAIN]);
        let mut out = BytesMut::new();
        let took = s
            .seal(&[IoSlice::new(&a), IoSlice::new(&b)], &mut out)
            .expect("seal");
        assert_eq!(took, MAX_PLAIN);
        assert_eq!(out.len(), HEAD_LEN + MAX_PLAIN + TAG_LEN);
        let plain = open_everything(o, &out).expect("open");
        assert_eq!(&plain[..10], &a[..]);
        assert!(plain[10..].iter().all(|&x| x == 8));
        assert_eq!(s.seal(&[IoSlice::new(&[])], &mut out), Ok(0));
    }

    #[test]
    fn an_error_sticks() {
        let (mut s, _) = pair();
        let mut wire = sealed(&mut s, b"one").to_vec();
        wire.extend_from_slice(&sealed(&mut s, b"two"));
        wire[HEAD_LEN] ^= 1;
        let (_, o) = pair();
        let mut inb = Inbound::new(o, BytesMut::from(&wire[..]));
        assert!(inb.open_next().is_err());
        assert!(
            inb.open_next().is_err(),
            "the next frame opened after a forged one"
        );
        assert!(!inb.has_plain());
    }

    proptest! {
        #[test]
        fn garbage_never_panics_and_never_opens(
            bytes in proptest::collection::vec(any::<u8>(), 0..2048),
            chunk in 1usize..300,
        ) {
            let (_, o) = pair();
            let mut inb = Inbound::new(o, BytesMut::new());
            for piece in bytes.chunks(chunk) {
                inb.raw_mut(piece.len()).extend_from_slice(piece);
                if inb.open_all().is_err() {
                    break;
                }
            }
            prop_assert!(!inb.has_plain(), "random bytes authenticated");
        }

        #[test]
        fn a_plausible_length_before_random_bytes_never_opens(
            len in (TAG_LEN + 1)..2048,
            body in proptest::collection::vec(any::<u8>(), 0..2048),
        ) {
            let (_, o) = pair();
            let mut wire = (len as u32).to_be_bytes().to_vec();
            wire.extend_from_slice(&body);
            let got = open_everything(o, &wire);
            if body.len() >= len {
                prop_assert_eq!(got, Err(SealError::Forged { frame: 0 }));
            } else {
                prop_assert_eq!(got, Err(SealError::Truncated));
            }
        }

        #[test]
        fn any_split_of_the_wire_opens_the_same(
            sizes in proptest::collection::vec(1usize..100_000, 1..6),
            chunk in 1usize..70_000,
        ) {
            let (mut s, o) = pair();
            let mut wire = BytesMut::new();
            let mut text = Vec::new();
            for (i, n) in sizes.iter().enumerate() {
                let part: Vec<u8> = (0..*n).map(|j| (i * 31 + j) as u8).collect();
                s.seal_all(&part, &mut wire).expect("seal");
                text.extend_from_slice(&part);
            }
            let mut inb = Inbound::new(o, BytesMut::new());
            let mut got = BytesMut::new();
            for piece in wire.chunks(chunk) {
                inb.raw_mut(piece.len()).extend_from_slice(piece);
                inb.open_all().expect("open");
                inb.take(&mut got, usize::MAX);
            }
            inb.end().expect("whole");
            prop_assert_eq!(&got[..], &text[..]);
        }
    }
}
