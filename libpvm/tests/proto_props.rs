//! Property tests of the frame codec: every frame round-trips, and no input, however
//! arbitrary, truncated or oversized, makes the decoder panic or over-allocate.

use bytes::{BufMut, Bytes, BytesMut};
use proptest::prelude::*;
use pvm::proto::wire::{Sampler, Wire};
use pvm::proto::{decode, encode, frame_len, Frame, Message, ProtoError, Reply, Request};
use pvm::tid::Tid;

/// A frame of any kind, built from a seed so every control variant is reached.
fn sample_frame(seed: u64, body: Vec<u8>) -> Frame {
    let mut g = Sampler::new(seed);
    match g.below(5) {
        0 => Frame::Data(Message {
            src: Tid::sample(&mut g),
            dst: Tid::sample(&mut g),
            tag: i32::sample(&mut g),
            ctx: i32::sample(&mut g),
            encoding: i32::sample(&mut g),
            flags: u32::sample(&mut g),
            body: Bytes::from(body),
        }),
        1 => Frame::Request {
            id: u32::sample(&mut g),
            req: Request::sample(&mut g),
        },
        2 => Frame::Reply {
            id: u32::sample(&mut g),
            reply: Reply::sample(&mut g),
        },
        3 => Frame::Close {
            code: i32::sample(&mut g),
            reason: String::sample(&mut g),
        },
        _ => Frame::DirectHello {
            tid: Tid::sample(&mut g),
        },
    }
}

fn encoded(f: &Frame) -> BytesMut {
    let mut b = BytesMut::new();
    encode(f, &mut b).expect("sampled frames are small");
    b
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn every_frame_round_trips(seed in any::<u64>(), body in proptest::collection::vec(any::<u8>(), 0..64)) {
        let f = sample_frame(seed, body);
        let mut b = encoded(&f);
        let back = decode(&mut b).expect("own encoding decodes").expect("complete");
        prop_assert_eq!(back, f);
        prop_assert!(b.is_empty());
    }

    #[test]
    fn frames_split_anywhere_decode_the_same(seed in any::<u64>(), cut in any::<prop::sample::Index>()) {
        let f = sample_frame(seed, vec![1, 2, 3]);
        let all = encoded(&f);
        let cut = cut.index(all.len());
        let mut b = BytesMut::from(&all[..cut]);
        prop_assert_eq!(decode(&mut b), Ok(None));
        b.put_slice(&all[cut..]);
        prop_assert_eq!(decode(&mut b), Ok(Some(f)));
    }

    #[test]
    fn arbitrary_bytes_never_panic(raw in proptest::collection::vec(any::<u8>(), 0..256)) {
        let mut b = BytesMut::from(&raw[..]);
        // Decode until an error or a need for more bytes: must terminate, never panic.
        while let Ok(Some(_)) = decode(&mut b) {}
    }

    #[test]
    fn corrupted_frames_never_panic(seed in any::<u64>(), at in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let f = sample_frame(seed, vec![9; 8]);
        let mut raw = encoded(&f);
        let i = at.index(raw.len());
        raw[i] = byte;
        if let Ok(Some(g)) = decode(&mut raw) {
            // Whatever a corrupted frame decodes to, it must re-encode to valid bytes.
            let mut again = encoded(&g);
            prop_assert_eq!(decode(&mut again), Ok(Some(g)));
        }
    }

    #[test]
    fn control_payloads_with_any_length_prefix_are_rejected_cleanly(len in any::<u32>(), kind in any::<u8>()) {
        let mut b = BytesMut::new();
        b.put_u32(len);
        b.put_u8(kind);
        b.put_slice(&[0xff; 16]);
        match frame_len(&b) {
            Ok(Some(total)) => prop_assert!(total <= pvm::proto::MAX_FRAME_LEN + 4),
            Ok(None) => prop_assert!(false, "5 bytes are enough to judge a frame"),
            Err(_) => {}
        }
        let _ = decode(&mut b);
    }
}

/// Inputs that once broke (or could break) a decoder, kept as regression tests. Each
/// file in tests/corpus holds one raw input and must decode to an error or "need more".
#[test]
fn corpus_inputs_fail_cleanly() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("corpus directory exists") {
        let path = entry.expect("readable corpus entry").path();
        let raw = std::fs::read(&path).expect("readable corpus file");
        let mut b = BytesMut::from(&raw[..]);
        let got = decode(&mut b);
        assert!(
            !matches!(got, Ok(Some(_))),
            "{} unexpectedly decoded: {got:?}",
            path.display()
        );
        seen += 1;
    }
    assert!(seen >= 5, "corpus has only {seen} inputs");
}

#[test]
fn huge_declared_lengths_allocate_nothing() {
    let mut b = BytesMut::from(&[0x40, 0, 0, 1, 1][..]);
    let cap = b.capacity();
    assert!(matches!(decode(&mut b), Err(ProtoError::TooLarge { .. })));
    assert_eq!(b.capacity(), cap);
}

#[test]
fn hundred_megabyte_body_is_not_copied_by_decode() {
    let body = Bytes::from(vec![7u8; 100 << 20]);
    let f = Frame::Data(Message {
        body: body.clone(),
        ..Message::default()
    });
    let mut b = encoded(&f);
    let start = b.as_ptr() as usize;
    let end = start + b.len();
    let Some(Frame::Data(m)) = decode(&mut b).expect("valid") else {
        panic!("a data frame was encoded");
    };
    assert_eq!(m.body.len(), body.len());
    let p = m.body.as_ptr() as usize;
    assert!(
        p >= start && p < end,
        "body must be a view of the receive buffer"
    );
}
