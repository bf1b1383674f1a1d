//! The buffer table follows PVM 3.4's rules for ids and the active send and receive
//! buffers (observed on PVM 3.4.6), and large bodies move without copies.

use pvm::error::PvmError;
use pvm::pack::{BufInfo, Buffer, BufferTable, Encoding};

#[test]
fn mkbuf_checks_the_encoding_and_leaves_active_buffers_alone() {
    let mut t = BufferTable::new();
    let a = t.mkbuf(0).unwrap();
    let b = t.mkbuf(1).unwrap();
    let c = t.mkbuf(2).unwrap();
    assert!(a > 0 && b > 0 && c > 0);
    assert!(a != b && b != c && a != c);
    assert_eq!(t.mkbuf(-1), Err(PvmError::BadParam));
    assert_eq!(t.mkbuf(7), Err(PvmError::BadParam));
    assert_eq!(t.mkbuf(4), Err(PvmError::NotImpl));
    assert_eq!((t.getsbuf(), t.getrbuf()), (0, 0));
    assert_eq!(t.get(b).unwrap().encoding(), Encoding::Raw);
    assert_eq!(t.len(), 3);
}

#[test]
fn freebuf_cases() {
    let mut t = BufferTable::new();
    let a = t.mkbuf(0).unwrap();
    assert_eq!(t.freebuf(0), Ok(()));
    assert_eq!(t.freebuf(-1), Err(PvmError::BadParam));
    assert_eq!(t.freebuf(999), Err(PvmError::NoSuchBuf));
    assert_eq!(t.setsbuf(a), Ok(0));
    assert_eq!(t.freebuf(a), Ok(()));
    assert_eq!(t.getsbuf(), 0, "freeing the send buffer empties the role");
    assert_eq!(t.freebuf(a), Err(PvmError::NoSuchBuf));
    assert!(t.is_empty());
    assert_eq!(t.mkbuf(0), Ok(a), "freed ids are reused");
}

#[test]
fn a_buffer_is_never_both_send_and_receive() {
    let mut t = BufferTable::new();
    let a = t.mkbuf(0).unwrap();
    let b = t.mkbuf(1).unwrap();
    assert_eq!(t.setsbuf(a), Ok(0));
    assert_eq!(t.setrbuf(a), Ok(0));
    assert_eq!((t.getsbuf(), t.getrbuf()), (0, a));
    assert_eq!(t.setsbuf(a), Ok(0));
    assert_eq!((t.getsbuf(), t.getrbuf()), (a, 0));
    assert_eq!(t.setrbuf(b), Ok(0));
    assert_eq!(
        t.setsbuf(b),
        Ok(a),
        "setsbuf returns the previous send buffer"
    );
    assert_eq!((t.getsbuf(), t.getrbuf()), (b, 0));
    assert_eq!(t.setsbuf(0), Ok(b));
    assert_eq!(t.setrbuf(0), Ok(0));
    assert_eq!(t.setsbuf(999), Err(PvmError::NoSuchBuf));
    assert_eq!(t.setsbuf(-1), Err(PvmError::BadParam));
    assert_eq!(t.setrbuf(999), Err(PvmError::NoSuchBuf));
    assert_eq!(t.setrbuf(-3), Err(PvmError::BadParam));
}

#[test]
fn no_active_buffer_is_no_buf() {
    let mut t = BufferTable::new();
    assert_eq!(t.sbuf_mut().err(), Some(PvmError::NoBuf));
    assert_eq!(t.rbuf_mut().err(), Some(PvmError::NoBuf));
}

#[test]
fn initsend_replaces_and_frees_the_send_buffer() {
    let mut t = BufferTable::new();
    t.set_mytid(0x40001);
    let first = t.initsend(0).unwrap();
    t.sbuf_mut().unwrap().pack(&5i32).unwrap();
    let second = t.initsend(1).unwrap();
    assert_eq!(t.getsbuf(), second);
    assert_eq!(t.len(), 1, "initsend frees the old send buffer");
    assert!(first == second || !t.contains(first));
    assert!(t.sbuf_mut().unwrap().is_empty());
    assert_eq!(t.sbuf_mut().unwrap().encoding(), Encoding::Raw);
    assert_eq!(t.initsend(9), Err(PvmError::BadParam));
    assert_eq!(t.getsbuf(), second, "a refused initsend keeps the buffer");
    t.sbuf_mut().unwrap().pack(&5i32).unwrap();
    assert_eq!(
        t.bufinfo(second),
        Ok(BufInfo {
            bytes: 4,
            tag: 0,
            src: 0x40001
        })
    );
}

#[test]
fn receive_frees_the_previous_receive_buffer() {
    let mut t = BufferTable::new();
    let mut send = Buffer::new(Encoding::Default);
    send.pack("hello").unwrap();
    let mut msg = Buffer::received(Encoding::Default, send.body());
    msg.set_tag(7);
    msg.set_src(0x40002);
    let first = t.receive(msg).unwrap();
    assert_eq!(t.getrbuf(), first);
    assert_eq!(
        t.bufinfo(first),
        Ok(BufInfo {
            bytes: 12,
            tag: 7,
            src: 0x40002
        })
    );
    assert_eq!(t.rbuf_mut().unwrap().unpack::<String>().unwrap(), "hello");
    let second = t
        .receive(Buffer::received(Encoding::Raw, send.body()))
        .unwrap();
    assert_eq!(t.getrbuf(), second);
    assert_eq!(
        t.bufinfo(first).err(),
        if first == second {
            None
        } else {
            Some(PvmError::NoSuchBuf)
        }
    );
    assert_eq!(t.len(), 1);
    assert_eq!(t.bufinfo(0), Err(PvmError::BadParam));
    assert_eq!(t.bufinfo(-4), Err(PvmError::BadParam));
    assert_eq!(t.bufinfo(77), Err(PvmError::NoSuchBuf));
}

#[test]
fn a_packed_buffer_reads_back_as_receive_buffer() {
    let mut t = BufferTable::new();
    let id = t.initsend(0).unwrap();
    t.sbuf_mut().unwrap().pack(&[1i16, -2]).unwrap();
    t.setrbuf(id).unwrap();
    assert_eq!(t.rbuf_mut().unwrap().unpack_vec::<i16>(2), Ok(vec![1, -2]));
}

#[test]
fn read_position_follows_pvm_when_roles_change() {
    let mut t = BufferTable::new();
    let id = t.initsend(0).unwrap();
    t.sbuf_mut().unwrap().pack(&[11i32, 22, 33]).unwrap();
    t.setrbuf(id).unwrap();
    assert_eq!(t.rbuf_mut().unwrap().unpack::<i32>(), Ok(11));
    t.setrbuf(0).unwrap();
    t.setrbuf(id).unwrap();
    assert_eq!(
        t.rbuf_mut().unwrap().unpack::<i32>(),
        Ok(22),
        "kept its place"
    );
    t.setsbuf(id).unwrap();
    t.sbuf_mut().unwrap().pack(&44i32).unwrap();
    t.setrbuf(id).unwrap();
    assert_eq!(
        t.rbuf_mut().unwrap().unpack::<i32>(),
        Ok(11),
        "from send to read: rewound"
    );
}

#[test]
fn bodies_are_shared_not_copied() {
    let mut send = Buffer::new(Encoding::Raw);
    send.pack(&[7u8; 4096][..]).unwrap();
    let a = send.body();
    let b = send.body();
    assert_eq!(a.as_ptr(), b.as_ptr(), "freezing twice shares one body");
    let mut recv = Buffer::received(Encoding::Raw, a.clone());
    let _ = recv.unpack::<u8>().unwrap();
    let rest = recv.unpack_bytes(100).unwrap();
    assert_eq!(
        rest.as_ptr(),
        a[1..].as_ptr(),
        "received bytes are read in place"
    );
}

#[test]
fn a_100_mb_message_costs_a_small_multiple_of_its_size() {
    const MB: usize = 1 << 20;
    let chunk: Vec<f64> = (0..MB / 8).map(|i| i as f64).collect();
    let mut send = Buffer::new(Encoding::Default);
    for _ in 0..100 {
        send.pack(chunk.as_slice()).unwrap();
    }
    assert_eq!(send.len(), 100 * MB);
    assert!(
        send.capacity() <= 2 * send.len(),
        "capacity {}",
        send.capacity()
    );
    let body = send.body();
    assert_eq!(body.len(), 100 * MB);
    let mut recv = Buffer::received(Encoding::Default, body);
    for _ in 0..100 {
        let got = recv.unpack_vec::<f64>(MB / 8).unwrap();
        assert_eq!(got[MB / 8 - 1], chunk[MB / 8 - 1]);
    }
    assert_eq!(recv.remaining(), 0);
}

mod model {
    //! The table against a plain model of PVM's rules, over random call sequences.

    use std::collections::BTreeSet;

    use proptest::prelude::*;
    use pvm::error::PvmError;
    use pvm::pack::{Buffer, BufferTable, Encoding};

    #[derive(Debug, Clone)]
    enum Call {
        Mkbuf(i32),
        Freebuf(i32),
        Setsbuf(i32),
        Setrbuf(i32),
        Initsend(i32),
        Receive,
    }

    /// Ids mostly near the ones in use, sometimes 0 or negative.
    fn id() -> impl Strategy<Value = i32> {
        prop_oneof![4 => 0i32..6, 1 => Just(-1), 1 => any::<i32>()]
    }

    fn call() -> impl Strategy<Value = Call> {
        prop_oneof![
            (-1i32..5).prop_map(Call::Mkbuf),
            id().prop_map(Call::Freebuf),
            id().prop_map(Call::Setsbuf),
            id().prop_map(Call::Setrbuf),
            (-1i32..3).prop_map(Call::Initsend),
            Just(Call::Receive),
        ]
    }

    #[derive(Debug, Default)]
    struct Model {
        ids: BTreeSet<i32>,
        sbuf: i32,
        rbuf: i32,
    }

    impl Model {
        fn lookup(&self, id: i32) -> Result<(), PvmError> {
            match id {
                i32::MIN..=0 => Err(PvmError::BadParam),
                _ if self.ids.contains(&id) => Ok(()),
                _ => Err(PvmError::NoSuchBuf),
            }
        }

        fn settable(&self, id: i32) -> Result<(), PvmError> {
            if id == 0 {
                Ok(())
            } else {
                self.lookup(id)
            }
        }

        fn free(&mut self, id: i32) -> Result<(), PvmError> {
            if id == 0 {
                return Ok(());
            }
            self.lookup(id)?;
            self.ids.remove(&id);
            for role in [&mut self.sbuf, &mut self.rbuf] {
                if *role == id {
                    *role = 0;
                }
            }
            Ok(())
        }
    }

    /// Valid encoding codes as the table sees them.
    fn encoding_ok(code: i32) -> Result<(), PvmError> {
        Encoding::from_code(code).map(drop)
    }

    fn step(t: &mut BufferTable, m: &mut Model, call: &Call) -> Result<(), TestCaseError> {
        match *call {
            Call::Mkbuf(code) => match (t.mkbuf(code), encoding_ok(code)) {
                (Ok(id), Ok(())) => {
                    prop_assert!(id > 0 && m.ids.insert(id), "fresh positive id {}", id);
                }
                (got, want) => prop_assert_eq!(got.map(drop), want),
            },
            Call::Freebuf(id) => prop_assert_eq!(t.freebuf(id), m.free(id)),
            Call::Setsbuf(id) => {
                let want = m.settable(id).map(|()| m.sbuf);
                prop_assert_eq!(t.setsbuf(id), want);
                if want.is_ok() {
                    m.sbuf = id;
                    if id != 0 && m.rbuf == id {
                        m.rbuf = 0;
                    }
                }
            }
            Call::Setrbuf(id) => {
                let want = m.settable(id).map(|()| m.rbuf);
                prop_assert_eq!(t.setrbuf(id), want);
                if want.is_ok() {
                    m.rbuf = id;
                    if id != 0 && m.sbuf == id {
                        m.sbuf = 0;
                    }
                }
            }
            Call::Initsend(code) => match (t.initsend(code), encoding_ok(code)) {
                (Ok(id), Ok(())) => {
                    m.free(m.sbuf)
                        .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
                    prop_assert!(id > 0 && m.ids.insert(id));
                    m.sbuf = id;
                }
                (got, want) => prop_assert_eq!(got.map(drop), want),
            },
            Call::Receive => {
                let id = t
                    .receive(Buffer::received(Encoding::Raw, bytes::Bytes::new()))
                    .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
                m.free(m.rbuf)
                    .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
                prop_assert!(id > 0 && m.ids.insert(id));
                m.rbuf = id;
            }
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn table_follows_pvm_rules(calls in proptest::collection::vec(call(), 0..40)) {
            let mut t = BufferTable::new();
            let mut m = Model::default();
            for call in &calls {
                step(&mut t, &mut m, call)?;
                prop_assert_eq!((t.getsbuf(), t.getrbuf()), (m.sbuf, m.rbuf));
                prop_assert!(m.sbuf == 0 || m.sbuf != m.rbuf);
                prop_assert_eq!(t.len(), m.ids.len());
                for &id in &m.ids {
                    prop_assert!(t.contains(id));
                }
            }
        }
    }
}
