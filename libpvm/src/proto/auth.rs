//! Proving knowledge of a shared secret without sending it: HMAC-SHA256 over both
//! sides' fresh nonces, each side's proof bound to its role, so a proof can be
//! neither replayed on another connection nor reflected back at its sender.
//!
//! The initiator sends a nonce `a`; the responder answers with its nonce `b` and
//! `mac(secret, RESPONDER, a, b)`; the initiator checks it and answers
//! `mac(secret, INITIATOR, b, a)`. pvmd links use it with the virtual machine's
//! secret (the master is the initiator). Both sides come out of it with the link's
//! keys ([`super::seal::LinkKeys`], derived from the secret and both nonces), which
//! seal everything the link carries afterwards; a recorded exchange replayed later
//! meets a fresh nonce and fails.

use bytes::Bytes;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::peer::PeerMsg;
use super::seal::{LinkKeys, Role};

/// Bytes of a nonce and of a secret.
pub const NONCE_LEN: usize = 32;
/// Role label of the side that sends the first nonce.
pub const INITIATOR: &str = "pvm initiator";
/// Role label of the side that answers it.
pub const RESPONDER: &str = "pvm responder";

/// Could not read the system's random source.
#[derive(Debug, thiserror::Error)]
#[error("no random numbers: {0}")]
pub struct RandomError(String);

/// `n` bytes from the operating system's random source.
pub fn random_bytes(n: usize) -> Result<Vec<u8>, RandomError> {
    let mut b = vec![0u8; n];
    getrandom::fill(&mut b).map_err(|e| RandomError(e.to_string()))?;
    Ok(b)
}

/// A fresh nonce.
pub fn nonce() -> Result<Vec<u8>, RandomError> {
    random_bytes(NONCE_LEN)
}

fn keyed(secret: &[u8], role: &str, mine: &[u8], theirs: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length.
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(secret)
        .unwrap_or_else(|_| unreachable!("HMAC accepts every key length"));
    m.update(role.as_bytes());
    m.update(&[0]);
    m.update(mine);
    m.update(theirs);
    m
}

/// The proof of `role` over the nonces `first` then `second`.
pub fn mac(secret: &[u8], role: &str, first: &[u8], second: &[u8]) -> Vec<u8> {
    keyed(secret, role, first, second)
        .finalize()
        .into_bytes()
        .to_vec()
}

/// Checks a proof in constant time.
pub fn verify(secret: &[u8], role: &str, first: &[u8], second: &[u8], proof: &[u8]) -> bool {
    keyed(secret, role, first, second)
        .verify_slice(proof)
        .is_ok()
}

/// Why an exchange failed.
#[derive(Debug, thiserror::Error)]
pub enum HandshakeError {
    #[error("the peer does not know the secret")]
    BadProof,
    #[error("unexpected message during authentication")]
    Unexpected,
    #[error(transparent)]
    Random(#[from] RandomError),
}

/// The exchange as the side that speaks first sees it, without any I/O: the caller
/// sends what [`Initiator::start`] gives, and hands the answer to [`Initiator::finish`].
#[derive(Debug)]
pub struct Initiator {
    mine: Bytes,
}

impl Initiator {
    /// A fresh nonce, and the `Challenge` to send.
    pub fn start() -> Result<(Initiator, PeerMsg), RandomError> {
        let mine = Bytes::from(nonce()?);
        let challenge = PeerMsg::Challenge {
            nonce: mine.clone(),
        };
        Ok((Initiator { mine }, challenge))
    }

    /// Checks the peer's `Response`; gives the `Confirm` to send, which ends the
    /// exchange, and the link's keys.
    pub fn finish(
        self,
        secret: &[u8],
        answer: PeerMsg,
    ) -> Result<(PeerMsg, LinkKeys), HandshakeError> {
        let PeerMsg::Response { nonce, mac: proof } = answer else {
            return Err(HandshakeError::Unexpected);
        };
        if !verify(secret, RESPONDER, &self.mine, &nonce, &proof) {
            return Err(HandshakeError::BadProof);
        }
        let mac = Bytes::from(mac(secret, INITIATOR, &nonce, &self.mine));
        let keys = LinkKeys::derive(secret, &self.mine, &nonce, Role::Initiator);
        Ok((PeerMsg::Confirm { mac }, keys))
    }
}

/// The exchange as the answering side sees it, without any I/O.
#[derive(Debug)]
pub struct Responder {
    mine: Bytes,
    theirs: Bytes,
}

impl Responder {
    /// Answers the peer's `Challenge`: the `Response` to send.
    pub fn answer(
        secret: &[u8],
        challenge: PeerMsg,
    ) -> Result<(Responder, PeerMsg), HandshakeError> {
        let PeerMsg::Challenge { nonce: theirs } = challenge else {
            return Err(HandshakeError::Unexpected);
        };
        let mine = Bytes::from(nonce()?);
        let response = PeerMsg::Response {
            nonce: mine.clone(),
            mac: Bytes::from(mac(secret, RESPONDER, &theirs, &mine)),
        };
        Ok((Responder { mine, theirs }, response))
    }

    /// Checks the peer's `Confirm`, which ends the exchange; gives the link's keys.
    pub fn finish(self, secret: &[u8], confirm: PeerMsg) -> Result<LinkKeys, HandshakeError> {
        let PeerMsg::Confirm { mac: proof } = confirm else {
            return Err(HandshakeError::Unexpected);
        };
        if verify(secret, INITIATOR, &self.mine, &self.theirs, &proof) {
            Ok(LinkKeys::derive(
                secret,
                &self.theirs,
                &self.mine,
                Role::Responder,
            ))
        } else {
            Err(HandshakeError::BadProof)
        }
    }
}

/// Lower-case hex, for secrets carried in text.
pub fn to_hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Parses lower- or upper-case hex; `None` if malformed.
pub fn from_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proofs_check_only_with_the_same_secret_role_and_nonces() {
        let (s, a, b) = (b"secret".as_slice(), [1u8; 32], [2u8; 32]);
        let p = mac(s, RESPONDER, &a, &b);
        assert!(verify(s, RESPONDER, &a, &b, &p));
        assert!(!verify(b"other", RESPONDER, &a, &b, &p));
        assert!(!verify(s, INITIATOR, &a, &b, &p), "reflected proof");
        assert!(!verify(s, RESPONDER, &b, &a, &p), "swapped nonces");
        assert!(!verify(s, RESPONDER, &a, &b, &p[..31]));
    }

    #[test]
    fn the_handshake_succeeds_only_between_holders_of_one_secret() {
        let run = |a: &[u8], b: &[u8]| -> Result<(), HandshakeError> {
            let (init, challenge) = Initiator::start()?;
            let (resp, response) = Responder::answer(b, challenge)?;
            let (confirm, _keys) = init.finish(a, response)?;
            resp.finish(b, confirm).map(|_keys| ())
        };
        assert!(run(b"same", b"same").is_ok());
        assert!(matches!(
            run(b"one", b"other"),
            Err(HandshakeError::BadProof)
        ));
        let (init, challenge) = Initiator::start().expect("random");
        assert!(matches!(
            init.finish(b"s", challenge),
            Err(HandshakeError::Unexpected)
        ));
    }

    #[test]
    fn both_sides_get_the_same_link_keys_and_a_replayed_exchange_fails() {
        use bytes::BytesMut;
        let s = b"secret".as_slice();
        let (init, challenge) = Initiator::start().expect("random");
        let (resp, response) = Responder::answer(s, challenge.clone()).expect("answer");
        let (confirm, ours) = init.finish(s, response.clone()).expect("proof");
        let theirs = resp.finish(s, confirm.clone()).expect("confirm");
        let (mut seal, _) = ours.split();
        let (_, mut open) = theirs.split();
        let mut wire = BytesMut::new();
        seal.seal_all(b"hello", &mut wire).expect("seal");
        assert_eq!(
            &open.open(&mut wire).expect("open").expect("whole")[..],
            b"hello"
        );

        // Someone who recorded the exchange replays the master's side to a new
        // responder: it answers with a fresh nonce, and the old confirm fails.
        let (resp, _) = Responder::answer(s, challenge).expect("answer");
        assert!(matches!(
            resp.finish(s, confirm),
            Err(HandshakeError::BadProof)
        ));
        // ... or the slave's side to a new initiator, whose nonce is fresh too.
        let (init, _) = Initiator::start().expect("random");
        assert!(matches!(
            init.finish(s, response),
            Err(HandshakeError::BadProof)
        ));
    }

    #[test]
    fn hex_round_trips_and_rejects_junk() {
        let r = random_bytes(NONCE_LEN).expect("random");
        assert_eq!(from_hex(&to_hex(&r)), Some(r));
        assert_eq!(from_hex("abc"), None);
        assert_eq!(from_hex("zz"), None);
        assert_eq!(from_hex("é1"), None);
    }
}
