//! Sealing and opening what crosses a TCP link between hosts (`pvm::proto::seal`):
//! one small frame (an 8-byte message with its head) and a 1 MB body, each sealed and
//! opened again by one thread. A round trip across hosts seals and opens twice; a
//! 1 MB message is sealed by the sender and opened by the receiver.
//! `cargo bench -p pvm-benches --bench seal`.

use bytes::BytesMut;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use pvm::proto::seal::{Inbound, LinkKeys, Role};

fn seal_and_open(c: &mut Criterion) {
    let (a, b) = ([1u8; 32], [2u8; 32]);
    let secret = b"the virtual machine's secret";
    let (mut sealer, _) = LinkKeys::derive(secret, &a, &b, Role::Initiator).split();
    let (_, opener) = LinkKeys::derive(secret, &a, &b, Role::Responder).split();
    let mut inbound = Inbound::new(opener, BytesMut::new());
    let mut wire = BytesMut::new();
    let mut plain = BytesMut::new();
    let mut g = c.benchmark_group("seal");
    for (name, len) in [("small frame (48 B)", 48usize), ("1 MB body", 1 << 20)] {
        let data = vec![0x5au8; len];
        g.throughput(Throughput::Bytes(len as u64));
        g.bench_function(format!("{name}: seal and open"), |bench| {
            bench.iter(|| {
                wire.clear();
                sealer.seal_all(&data, &mut wire).expect("seal");
                inbound.raw_mut(wire.len()).extend_from_slice(&wire);
                inbound.open_all().expect("open");
                plain.clear();
                inbound.take(&mut plain, usize::MAX);
                assert_eq!(plain.len(), len);
            })
        });
    }
    g.finish();
}

criterion_group!(benches, seal_and_open);
criterion_main!(benches);
