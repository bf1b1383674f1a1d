//! Pack and unpack throughput of libpvm's message buffers, per item type and encoding.
//!
//! Each group packs (or unpacks) 1 MiB worth of items in one call, as a PVM program
//! sending an array does; criterion reports bytes per second of the native data. The
//! `strided` group measures every-other-item packing, and `string` many short strings.
//!
//! Run: `cargo bench -p pvm-benches --bench pack`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use pvm::pack::{Buffer, Complex32, Complex64, Encoding, Scalar};

/// Native bytes moved per iteration.
const PAYLOAD: usize = 1 << 20;

const ENCODINGS: [(&str, Encoding); 2] = [("xdr", Encoding::Default), ("raw", Encoding::Raw)];

/// Items of `T` filling the payload, with values that fit every encoding (longs in 32 bits).
fn items<T: Scalar>(make: impl Fn(usize) -> T) -> Vec<T> {
    (0..PAYLOAD / T::RAW_SIZE).map(make).collect()
}

fn bench_type<T: Scalar>(c: &mut Criterion, name: &str, data: &[T]) {
    let mut group = c.benchmark_group(format!("pack/{name}"));
    group.throughput(Throughput::Bytes(std::mem::size_of_val(data) as u64));
    for (enc_name, enc) in ENCODINGS {
        group.bench_function(BenchmarkId::new("pack", enc_name), |b| {
            b.iter(|| {
                let mut buf = Buffer::with_capacity(enc, PAYLOAD);
                buf.pack(black_box(data)).expect("pack");
                black_box(buf.body())
            })
        });
        let mut packed = Buffer::new(enc);
        packed.pack(data).expect("pack");
        let body = packed.body();
        let mut out = vec![T::default(); data.len()];
        group.bench_function(BenchmarkId::new("unpack", enc_name), |b| {
            b.iter(|| {
                let mut buf = Buffer::received(enc, body.clone());
                buf.unpack_into(black_box(&mut out), 1).expect("unpack");
            })
        });
    }
    group.finish();
}

fn per_type(c: &mut Criterion) {
    bench_type(c, "byte", &items(|i| i as u8));
    bench_type(c, "short", &items(|i| i as i16));
    bench_type(c, "int", &items(|i| i as i32));
    bench_type(c, "long", &items(|i| i as i64));
    bench_type(c, "float", &items(|i| i as f32));
    bench_type(c, "double", &items(|i| i as f64));
    bench_type(c, "cplx", &items(|i| Complex32::new(i as f32, -(i as f32))));
    bench_type(
        c,
        "dcplx",
        &items(|i| Complex64::new(i as f64, -(i as f64))),
    );
}

fn strided(c: &mut Criterion) {
    let data: Vec<f64> = items(|i| i as f64);
    let mut group = c.benchmark_group("pack/strided");
    group.throughput(Throughput::Bytes((PAYLOAD / 2) as u64));
    for (enc_name, enc) in ENCODINGS {
        group.bench_function(BenchmarkId::new("double_stride2", enc_name), |b| {
            b.iter(|| {
                let mut buf = Buffer::with_capacity(enc, PAYLOAD);
                buf.pack_slice(black_box(&data), 2).expect("pack");
                black_box(buf.body())
            })
        });
    }
    group.finish();
}

fn strings(c: &mut Criterion) {
    let words: Vec<String> = (0..10_000).map(|i| format!("word number {i}")).collect();
    let bytes: usize = words.iter().map(String::len).sum();
    let mut group = c.benchmark_group("pack/string");
    group.throughput(Throughput::Bytes(bytes as u64));
    for (enc_name, enc) in ENCODINGS {
        group.bench_function(BenchmarkId::new("pack", enc_name), |b| {
            b.iter(|| {
                let mut buf = Buffer::new(enc);
                for w in &words {
                    buf.pack(w.as_str()).expect("pack");
                }
                black_box(buf.body())
            })
        });
        let mut packed = Buffer::new(enc);
        for w in &words {
            packed.pack(w.as_str()).expect("pack");
        }
        let body = packed.body();
        group.bench_function(BenchmarkId::new("unpack", enc_name), |b| {
            b.iter(|| {
                let mut buf = Buffer::received(enc, body.clone());
                for _ in 0..words.len() {
                    black_box(buf.unpack_string().expect("unpack"));
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, per_type, strided, strings);
criterion_main!(benches);
